"""Files the desk finds broken at start-up: it starts anyway, says so, keeps the bad file aside
untouched, and goes on working. (The stores' own tests cover the file handling itself; these
check what the agent gets through the window.)"""

from __future__ import annotations

import sqlite3

from PySide6.QtWidgets import QLabel, QWidget

from desktop_app.core.history import HistoryStore, Outcome
from desktop_app.core.paths import AppPaths
from tests.core.history.samples import FAILURE, SUCCESS, update_entry
from tests.faults.flows import newest_entry, still_works
from tests.ui.driver import PASSWORD

CUT_OFF_PROFILES = b'{"profiles": [{"name": "EU production", "base_url": "https://eu.api'


def shown_text(desk) -> str:
    """The status bar's message and every visible label: wherever the window may say it."""
    labels = [label.text() for label in desk.window.findChildren(QLabel) if label.isVisible()]
    return "\n".join([desk.window.statusBar().currentMessage(), *labels])


def test_a_broken_profiles_file_is_kept_aside_and_the_desk_starts(open_desk, tmp_path):
    (tmp_path / "profiles.json").write_bytes(CUT_OFF_PROFILES)
    desk = open_desk(data_dir=tmp_path)
    kept = list(tmp_path.glob("profiles.json.broken-*"))
    assert [path.read_bytes() for path in kept] == [CUT_OFF_PROFILES]
    still_works(desk, password=PASSWORD)


def test_a_broken_profiles_file_is_reported_in_the_window(open_desk, tmp_path):
    (tmp_path / "profiles.json").write_bytes(CUT_OFF_PROFILES)
    desk = open_desk(data_dir=tmp_path)
    desk.qtbot.waitUntil(lambda: "profiles.json.broken-" in shown_text(desk), timeout=2000)


def test_a_damaged_history_file_is_kept_aside_and_a_new_one_records(open_desk, tmp_path):
    garbage = b"SQLite format 3\x00" + bytes(range(256)) * 64  # a header, then noise
    AppPaths.under(tmp_path).history_file.write_bytes(garbage)
    desk = open_desk(data_dir=tmp_path)
    desk.qtbot.waitUntil(lambda: "history.sqlite3.corrupt-" in shown_text(desk))
    assert "new, empty history" in shown_text(desk)
    kept = list(tmp_path.glob("history.sqlite3.corrupt-*"))
    assert [path.read_bytes() for path in kept if not path.name.endswith("-wal")] == [garbage]

    still_works(desk, password=PASSWORD)
    assert newest_entry(desk).outcome is Outcome.SUCCEEDED


def history_with_a_garbage_row(tmp_path):
    """Two good entries around one whose outcome and JSON no version of the desk wrote."""
    path = AppPaths.under(tmp_path).history_file
    store = HistoryStore.open(path)
    for key, completion in (("NZVAt9", SUCCESS), ("FaiL50", FAILURE)):
        store.complete(store.add_pending(update_entry(key)), completion)
    store.close()
    with sqlite3.connect(path) as database:
        columns = [
            row[1]
            for row in database.execute("PRAGMA table_info(entries)")
            if row[1] not in ("id", "entry_uuid")
        ]
        database.execute(
            f"INSERT INTO entries ({', '.join(columns)}) "
            f"SELECT {', '.join(columns)} FROM entries WHERE id = 1"
        )
        database.execute(
            "UPDATE entries SET outcome = 'banana', before_json = '{broken' WHERE id = 3"
        )
    database.close()
    return path


def history_panel(desk) -> QWidget:
    panel = desk.window.findChild(QWidget, "historyView")
    if panel is None:  # not wired into the window yet: put it there the documented way
        from desktop_app.ui.history_panel import HistoryPanel

        panel = HistoryPanel(desk.window.services.history(), desk.window.runner)
        desk.window.set_history_panel(panel)
    return panel


def test_garbage_rows_in_the_history_lose_nothing_and_recording_goes_on(open_desk, tmp_path):
    path = history_with_a_garbage_row(tmp_path)
    desk = open_desk(data_dir=tmp_path)
    still_works(desk, password=PASSWORD)
    with sqlite3.connect(path) as database:
        outcomes = [row[0] for row in database.execute("SELECT outcome FROM entries ORDER BY id")]
    database.close()
    assert outcomes[:3] == ["succeeded", "failed", "banana"]  # nothing dropped or rewritten
    assert outcomes[3:] == ["succeeded", "succeeded"]  # this session's lookup and update


def test_garbage_rows_in_the_history_hide_only_themselves(open_desk, tmp_path):
    history_with_a_garbage_row(tmp_path)
    desk = open_desk(data_dir=tmp_path)
    panel = history_panel(desk)
    desk.qtbot.waitUntil(lambda: panel.model.rowCount() >= 2, timeout=3000)
    shown = {panel.model.entry_at(row).key.value for row in range(panel.model.rowCount())}
    assert {"NZVAt9", "FaiL50"} <= shown
