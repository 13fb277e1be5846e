"""Issue 11 item 7: the desk's files hold customers' mobiles and emails. On POSIX they are
readable by their owner only, old files from an earlier version included, and the log carries
no customer identifier."""

from __future__ import annotations

import os
import stat

import pytest

from desktop_app.core.history import HistoryQuery
from desktop_app.core.history.export import write_csv
from desktop_app.core.logging_setup import LOG_FILE_NAME
from tests.ui.driver import PASSWORD

ASHA_MOBILE = "919800000001"

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX's")


@pytest.fixture
def restored_umask():
    before = os.umask(0o022)
    yield
    os.umask(before)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
def test_history_profiles_settings_log_and_exports_are_private(open_desk, tmp_path, restored_umask):
    data = tmp_path / "desk"
    data.mkdir(mode=0o755)
    old_profiles = data / "profiles.json"
    old_profiles.write_text('{"profiles": []}')
    old_profiles.chmod(0o644)  # as an earlier version left it

    desk = open_desk(data_dir=data)
    log = data / "logs" / LOG_FILE_NAME
    desk.qtbot.waitUntil(log.exists, timeout=5000)
    desk.look_up(ASHA_MOBILE, "NZVAt9", password=PASSWORD)
    history = desk.window.services.history()
    export = tmp_path / "export.csv"
    write_csv(history.iter_entries(HistoryQuery()), export)
    desk.window.settings.setValue("test/written", True)
    desk.window.settings.sync()

    files = [p for p in data.rglob("*") if p.is_file()] + [export]
    folders = [data, *(p for p in data.rglob("*") if p.is_dir())]
    assert {p.name for p in files} >= {"profiles.json", "settings.ini", "history.sqlite3"}
    assert {p.name: oct(mode(p)) for p in files if mode(p) != 0o600} == {}
    assert {p.name: oct(mode(p)) for p in folders if mode(p) != 0o700} == {}


def test_the_log_carries_no_customer_identifier(open_desk, tmp_path):
    desk = open_desk()
    log = tmp_path / "logs" / LOG_FILE_NAME
    desk.qtbot.waitUntil(log.exists, timeout=5000)
    desk.look_up(ASHA_MOBILE, "NZVAt9", password=PASSWORD)
    desk.look_up("asha@example.com", "NZVAt9", identifier_type="email")
    logged = log.read_text(encoding="utf-8")
    assert "Redemption Desk" in logged  # the log is written to
    assert ASHA_MOBILE not in logged and "asha@example.com" not in logged
