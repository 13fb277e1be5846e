"""Test-wide set-up: Qt offscreen, and no test ever touches the real user's files."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from hypothesis import HealthCheck, settings

# Property tests: thousands of examples in CI, a quick sample while working.
settings.register_profile(
    "ci", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")


@pytest.fixture
def sandbox():
    """A fresh sandbox server on loopback, with freshly seeded data, for one test."""
    from desktop_app.sandbox import Sandbox

    with Sandbox() as server:
        yield server


# --- keyring: every test gets an in-memory one, so none ever touches the real OS keyring -------
import keyring  # noqa: E402
import keyring.backend  # noqa: E402
import keyring.backends.fail  # noqa: E402
import keyring.errors  # noqa: E402


class InMemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring backend in a dict, with switches that make it fail the ways real ones do."""

    priority = -10  # never picked by keyring's own backend detection

    def __init__(self):
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}
        self.locked = False  # every call raises KeyringLocked (a dismissed unlock prompt)
        self.init_error = False  # every call raises InitError (the collection cannot be opened)
        self.refuse_set = False  # set_password raises PasswordSetError
        self.refuse_delete = False  # delete_password raises PasswordDeleteError

    def _check(self) -> None:
        if self.locked:
            raise keyring.errors.KeyringLocked("Failed to unlock the collection!")
        if self.init_error:
            raise keyring.errors.InitError("Failed to create the collection")

    def get_password(self, service, username):
        self._check()
        return self.entries.get((service, username))

    def set_password(self, service, username, password):
        self._check()
        if self.refuse_set:
            raise keyring.errors.PasswordSetError("access denied")
        self.entries[(service, username)] = password

    def delete_password(self, service, username):
        self._check()
        if self.refuse_delete or (service, username) not in self.entries:
            raise keyring.errors.PasswordDeleteError("access denied")
        del self.entries[(service, username)]

    def use_no_keyring(self) -> None:
        """From now on the process has no keyring at all: keyring's own `fail` backend."""
        keyring.set_keyring(keyring.backends.fail.Keyring())


@pytest.fixture(autouse=True)
def memory_keyring(request):
    """The in-memory keyring every test uses; tests marked real_keyring get the OS one."""
    if request.node.get_closest_marker("real_keyring"):
        yield None
        return
    backend = InMemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(keyring.backends.fail.Keyring())
