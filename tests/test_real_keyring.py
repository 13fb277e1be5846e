"""The digest's round trip through the operating system's real keyring (gnome-keyring here).

It writes to whatever keyring the session has, so it only runs when asked to:
`.ci/run` sets REQUIRE_REAL_KEYRING=1 under `dbus-run-session`, with HOME and the XDG folders in
a throwaway directory and a freshly unlocked gnome-keyring. There, a missing Secret Service is a
failure, not a skip. Everywhere else (a developer's desktop included) it skips.
"""

import contextlib
import hashlib
import os
import uuid

import keyring
import keyring.core
import pytest

from desktop_app.core.credentials import SERVICE, CredentialSession, SecretStore

pytestmark = pytest.mark.real_keyring

USER = "store.server"
PASSWORD = "server123"
DIGEST = hashlib.md5(PASSWORD.encode()).hexdigest()
NEW_PASSWORD = "server456"
NEW_DIGEST = hashlib.md5(NEW_PASSWORD.encode()).hexdigest()


@pytest.fixture
def secret_service():
    """A secretstorage connection to the session's Secret Service, for reading behind our back."""
    if os.environ.get("REQUIRE_REAL_KEYRING") != "1":
        pytest.skip("touches the real OS keyring: run by .ci/run with REQUIRE_REAL_KEYRING=1")
    keyring.core.init_backend()  # detect as the app does, ignoring the test-wide memory keyring
    backend = keyring.get_keyring()
    if type(backend).__module__ != "keyring.backends.SecretService":
        pytest.fail(f"no Secret Service reachable: keyring chose {backend!r}")
    import secretstorage

    with contextlib.closing(secretstorage.dbus_init()) as connection:
        yield connection


def items_of(connection):
    import secretstorage

    for collection in secretstorage.get_all_collections(connection):
        if collection.is_locked():
            collection.unlock()
        yield from collection.get_all_items()


def test_the_digest_not_the_password_round_trips_through_the_secret_service(secret_service):
    host = f"ci-{uuid.uuid4().hex[:12]}.example.com"
    account = f"{host}|{USER}"
    store = SecretStore()
    assert store.location_label() == "Secret Service"

    session = CredentialSession(store)
    session.pending(host, USER, DIGEST, remember=True)
    assert session.accepted(host, USER) is None

    ours = [i for i in items_of(secret_service) if i.get_attributes().get("username") == account]
    assert len(ours) == 1
    assert ours[0].get_attributes()["service"] == SERVICE
    assert ours[0].get_secret() == DIGEST.encode()
    for item in items_of(secret_service):  # the password is nowhere in the keyring
        assert PASSWORD.encode() not in item.get_secret()
        assert PASSWORD not in item.get_label()
        assert PASSWORD not in repr(item.get_attributes())

    assert SecretStore().load(host, USER) == DIGEST  # a restart reads it back

    # The till's password changed: a 401, then the new digest replaces the old one.
    later = CredentialSession(SecretStore())
    assert later.rejected(host, USER).stored_secret_exists
    later.pending(host, USER, NEW_DIGEST, remember=True)
    assert later.accepted(host, USER) is None
    secrets = [
        i.get_secret()
        for i in items_of(secret_service)
        if i.get_attributes().get("username") == account
    ]
    assert secrets == [NEW_DIGEST.encode()]

    assert SecretStore().forget(host, USER) is None
    assert SecretStore().load(host, USER) is None
    assert not [
        i for i in items_of(secret_service) if i.get_attributes().get("username") == account
    ]
