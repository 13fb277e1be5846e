"""What tends to break on Windows: user folders with spaces and non-ASCII names, %LOCALAPPDATA%,
two copies of the app locking the same history, and the OS keyring backend.

The path tests run on every system (they hold everywhere and cost little); the rest run on the
system they are about and say why they skip elsewhere.
"""

import logging
import os
import sys
from pathlib import Path

import pytest

from desktop_app import APP_ID
from desktop_app.core.history import HistoryQuery, HistoryStore, Outcome
from desktop_app.core.logging_setup import configure_logging
from desktop_app.core.paths import AppPaths
from desktop_app.core.profiles import Profile, ProfilesState, ProfileStore
from tests.core.history.samples import SUCCESS, update_entry
from tests.core.history.test_processes import go, start_child

# A Windows profile folder as a real agent's may be named: spaces, accents, CJK, an apostrophe.
AGENT_HOME = Path("Users", "Zoë O'Brien-Ångström 山田", "AppData", "Local", "Redemption Desk data")


def test_profiles_history_and_log_work_under_a_user_folder_with_spaces_and_non_ascii(tmp_path):
    paths = AppPaths.under(tmp_path / AGENT_HOME)
    paths.ensure()

    profile = Profile("Ånga — EU", "https://eu.api.capillarytech.com", "kassa.förare")
    store = ProfileStore(paths.profiles_file)
    assert store.save(ProfilesState((profile,), profile.name)) is None
    assert store.load().profiles == (profile,)

    history = HistoryStore.open(paths.data_dir / "history.sqlite3")
    assert history.path is not None, history.notice  # on disk, not the in-memory fallback
    history.complete(history.add_pending(update_entry("ÜNICODE1")), SUCCESS)
    history.close()
    reopened = HistoryStore.open(paths.data_dir / "history.sqlite3")
    entries = list(reopened.iter_entries(HistoryQuery()))
    reopened.close()
    assert [(e.key.value, e.outcome) for e in entries] == [("ÜNICODE1", Outcome.SUCCEEDED)]

    setup = configure_logging(paths.log_dir)
    try:
        assert setup.handler is not None, setup.notice
        logging.getLogger("desktop_app.test").warning("till kassa.förare in %s", paths.log_dir)
        setup.handler.flush()
        assert "kassa.förare" in setup.path.read_text(encoding="utf-8")
    finally:
        logging.getLogger().removeHandler(setup.handler)
        setup.handler.close()


def test_a_second_copy_sees_the_first_ones_lock_in_a_non_ascii_folder(tmp_path):
    # The writer lock is msvcrt.locking on Windows and flock elsewhere: a running copy's pending
    # request must stay pending for a second copy, and become unknown once the first has died.
    path = tmp_path / AGENT_HOME / "history.sqlite3"
    path.parent.mkdir(parents=True)
    child = start_child(path, "pending", "LOCKED")
    go(child)
    entry_id = int(child.stdout.readline())

    second = HistoryStore.open(path)
    assert second.get(entry_id).outcome is Outcome.PENDING
    second.close()

    child.kill()
    child.wait(timeout=30)
    after = HistoryStore.open(path)
    assert after.get(entry_id).outcome is Outcome.UNKNOWN
    after.close()


@pytest.mark.skipif(sys.platform != "win32", reason="%LOCALAPPDATA% exists on Windows only")
def test_windows_data_and_logs_live_in_localappdata_where_the_uninstaller_looks():
    # packaging/windows/redemption-desk.iss purges {localappdata}\redemption-desk: the same folder.
    local = Path(os.environ["LOCALAPPDATA"]).resolve()
    paths = AppPaths.default()
    assert paths.data_dir.resolve() == local / APP_ID
    assert paths.log_dir.resolve().is_relative_to(local / APP_ID)


@pytest.mark.skipif(
    sys.platform not in ("win32", "darwin"),
    reason="Linux has a native keyring only where a Secret Service runs: tests/test_real_keyring",
)
def test_the_native_keyring_backend_is_the_one_keyring_picks():
    import keyring

    expected = {"win32": "keyring.backends.Windows", "darwin": "keyring.backends.macOS"}
    assert type(keyring.get_keyring()).__module__ == expected[sys.platform]
