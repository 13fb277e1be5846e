"""The history as the running desk keeps it: every send and lookup on disk (pending before the
request leaves), the History tab (historyView) showing it, Reopen, and Verify by lookup."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from desktop_app.core.paths import AppPaths
from desktop_app.desk.session import Connection
from desktop_app.sandbox import DEMO_USERNAME
from desktop_app.ui.history_panel.model import OUTCOME
from tests.ui.driver import PASSWORD

REPO = Path(__file__).resolve().parents[2]
ASHA_MOBILE = "919800000001"


# --- reading what is on disk, and what the panel shows ----------------------------------------


def recorded(desk, kind: str) -> list[tuple[int, str]]:
    """(id, outcome) of each entry of `kind`, oldest first, read from the file by a connection
    of its own (read-only): what is on disk, not what the window holds in memory."""
    path = desk.window.paths.history_file
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as database:
        return database.execute(
            "SELECT id, outcome FROM entries WHERE kind = ? ORDER BY id", (kind,)
        ).fetchall()


def history_panel(desk):
    """The History tab's panel, once the start-up has opened the store; the tab is shown."""
    desk.qtbot.waitUntil(lambda: desk.window.history_panel is not None)
    panel = desk.find("historyView")
    assert panel is desk.window.history_panel
    desk.window.history_action.trigger()  # Ctrl+H
    assert desk.window.side_tabs.currentWidget() is panel
    desk.qtbot.waitUntil(lambda: not panel.model.is_loading)
    return panel


def shown_outcome(panel, entry_id: int) -> str | None:
    row = panel.model.row_of(entry_id)
    return None if row is None else panel.model.index(row, OUTCOME).data()


def wait_on_top(desk, panel, entry_id: int, outcome: str) -> None:
    def on_top() -> bool:
        top = panel.model.entry_at(0)
        return top is not None and top.id == entry_id and shown_outcome(panel, entry_id) == outcome

    desk.qtbot.waitUntil(on_top)


def refused_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


# --- sends and lookups on record --------------------------------------------------------------


def send_after_lookup(desk, key: str, fault: str | None = None) -> None:
    desk.look_up(ASHA_MOBILE, key, password=PASSWORD)
    if fault:
        desk.sandbox.set_fault(fault, endpoint="update")
    desk.type("purposeEdit", "on record")
    desk.send()


def send_to_a_refusing_server(desk) -> None:
    # As if a profile for a server that is down had been chosen.
    desk.window.set_connection(Connection("down", refused_url(), DEMO_USERNAME))
    desk.fill_lookup("CARD-0001", "NZVAt9", identifier_type="cardnumber")  # needs no lookup
    desk.type("purposeEdit", "on record")
    desk.send(password=PASSWORD)


SENDS = {
    "success": (lambda desk: send_after_lookup(desk, "NZVAt9"), "succeeded", 1, 1),
    "750": (lambda desk: send_after_lookup(desk, "FaiL50"), "failed", 1, 1),
    "dropped": (
        lambda desk: send_after_lookup(desk, "NZVAt9", "drop_connection"),
        "outcome unknown",
        1,
        1,
    ),
    "refused": (send_to_a_refusing_server, "failed", 0, 0),
}


@pytest.mark.parametrize("case", SENDS)
def test_each_send_leaves_one_update_entry_with_its_outcome(desk, case):
    act, outcome, lookups, puts = SENDS[case]
    panel = history_panel(desk)
    assert recorded(desk, "update") == []

    act(desk)

    updates = recorded(desk, "update")
    assert [o for _, o in updates] == [outcome]
    assert len(recorded(desk, "lookup")) == lookups
    assert desk.sandbox.update_count == puts
    history_panel(desk)  # the send showed the Response tab: back to History
    wait_on_top(desk, panel, updates[0][0], outcome)


def test_the_pending_entry_is_on_disk_before_the_answer_arrives(desk):
    desk.look_up(ASHA_MOBILE, "NZVAt9", password=PASSWORD)
    desk.sandbox.set_fault("delay", seconds=2.0, endpoint="update")
    desk.type("billNumberEdit", "bill-slow")
    desk.confirm(desk.open_confirm())

    desk.qtbot.waitUntil(lambda: recorded(desk, "update") != [])
    assert [o for _, o in recorded(desk, "update")] == ["pending"]
    assert desk.window.flows.update_in_flight()  # the answer has not come back yet
    panel = history_panel(desk)
    entry_id = recorded(desk, "update")[0][0]
    wait_on_top(desk, panel, entry_id, "pending")  # the panel shows it while it waits

    desk.wait_idle()
    assert recorded(desk, "update") == [(entry_id, "succeeded")]
    wait_on_top(desk, panel, entry_id, "succeeded")
    assert desk.sandbox.update_count == 1


def test_each_lookup_leaves_one_lookup_entry(desk):
    panel = history_panel(desk)
    desk.look_up(ASHA_MOBILE, "NZVAt9", password=PASSWORD)
    desk.look_up(ASHA_MOBILE, "NoSuch")
    desk.look_up(ASHA_MOBILE, "sTDVyi")

    lookups = recorded(desk, "lookup")
    assert [o for _, o in lookups] == ["succeeded", "failed", "succeeded"]
    assert [r.method for r in desk.sandbox.received] == ["GET"] * 3
    assert recorded(desk, "update") == []
    history_panel(desk)
    wait_on_top(desk, panel, lookups[-1][0], "succeeded")
    assert [panel.model.entry_at(n).key.value for n in range(3)] == ["sTDVyi", "NoSuch", "NZVAt9"]
    assert desk.label("historyStatus") == "3 entries."  # rows added by refreshes are counted


# --- Reopen and Verify by lookup ---------------------------------------------------------------


def test_reopen_puts_an_old_send_back_in_the_form_and_sends_nothing(desk):
    desk.look_up(ASHA_MOBILE, "NZVAt9", password=PASSWORD)
    desk.type("billNumberEdit", "bill-first")
    desk.send()
    desk.type("billNumberEdit", "bill-second")
    desk.send()
    first_id = recorded(desk, "update")[0][0]
    desk.fill_lookup(ASHA_MOBILE, "sTDVyi")  # the agent has moved on to something else
    panel = history_panel(desk)
    desk.qtbot.waitUntil(lambda: shown_outcome(panel, first_id) == "succeeded")

    assert panel.select_entry(first_id)
    desk.click(desk.find("historyReopen", QPushButton))
    desk.wait_idle()

    assert desk.window.side_tabs.currentIndex() == 0  # back on the form
    assert desk.edit("redemptionKeyEdit").text() == "NZVAt9"
    assert desk.label("summaryBillNumber") == "bill-second"  # looked up: what the server holds
    assert desk.edit("billNumberEdit").text() == "bill-first"  # the reopened value over it
    assert desk.send_button.isEnabled()
    assert desk.visible_dialog("confirmDialog") is None
    assert desk.sandbox.update_count == 2  # nothing was sent by reopening


def test_verify_by_lookup_confirms_an_update_whose_answer_was_lost(desk):
    send_after_lookup(desk, "NZVAt9", "drop_connection")
    [(update_id, outcome)] = recorded(desk, "update")
    assert outcome == "outcome unknown"
    desk.sandbox.clear_faults()
    panel = history_panel(desk)
    desk.qtbot.waitUntil(lambda: shown_outcome(panel, update_id) == "outcome unknown")
    sent_before = len(desk.sandbox.received)

    assert panel.select_entry(update_id)
    verify = desk.find("historyVerify", QPushButton)
    assert verify.isEnabled()
    desk.click(verify)

    desk.qtbot.waitUntil(lambda: shown_outcome(panel, update_id) == "succeeded (verified)")
    assert recorded(desk, "update") == [(update_id, "succeeded")]
    assert [r.method for r in desk.sandbox.received[sent_before:]] == ["GET"]
    assert desk.sandbox.update_count == 1  # verifying never sends the update again
    desk.qtbot.waitUntil(lambda: "it was applied" in desk.label("historyMessage"))
    assert not verify.isEnabled()  # nothing left to verify


# --- what a previous session left behind ------------------------------------------------------


def test_a_damaged_history_file_is_said_and_the_new_one_records(open_desk, tmp_path):
    garbage = b"SQLite format 3\x00" + bytes(range(256)) * 64
    AppPaths.under(tmp_path).history_file.write_bytes(garbage)
    desk = open_desk(data_dir=tmp_path)
    panel = history_panel(desk)

    desk.qtbot.waitUntil(
        lambda: "history.sqlite3.corrupt-" in desk.window.statusBar().currentMessage()
    )
    notice = desk.find("historyNotice", QLabel)
    assert notice.isVisible() and "history.sqlite3.corrupt-" in notice.text()
    desk.look_up(ASHA_MOBILE, "NZVAt9", password=PASSWORD)
    [(lookup_id, _)] = recorded(desk, "lookup")
    history_panel(desk)
    wait_on_top(desk, panel, lookup_id, "succeeded")


# A copy of the desk that records an update as pending, as if its request had just left, then
# waits to be killed (the way tests/core/history/test_processes.py kills one).
PENDING_CHILD = """
import json, sys
from pathlib import Path
from desktop_app.core.history import EntryKind, HistoryStore, NewEntry
from desktop_app.core.model import Entity, KeyKind, RedemptionKey

path, host, username = sys.argv[1:4]
entity = Entity("CUSTOMER", "mobile", "919800000001")
key = RedemptionKey(KeyKind.REDEMPTION_ID, "NZVAt9")
after = {"billNumber": "bill-never-answered"}
body = {"entity": entity.to_json(), "redemptionId": key.value, **after}
store = HistoryStore.open(Path(path))
entry_id = store.add_pending(NewEntry(
    EntryKind.UPDATE, "sandbox", host, username, entity, key,
    {"billId": 235, "billNumber": "bill-old-77", "purpose": "why"}, after, json.dumps(body)))
print(entry_id, flush=True)
sys.stdin.readline()
"""


def leave_a_pending_update(history_file: Path, host: str, username: str) -> int:
    child = subprocess.Popen(
        [sys.executable, "-c", PENDING_CHILD, str(history_file), host, username],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    entry_id = int(child.stdout.readline())
    child.kill()  # no clean-up runs: the entry stays pending on disk
    child.wait(timeout=30)
    child.stdin.close()
    child.stdout.close()
    return entry_id


def test_a_killed_sessions_pending_update_shows_as_unknown_and_can_be_verified(
    open_desk, sandbox, tmp_path
):
    host = sandbox.base_url.removeprefix("http://")
    paths = AppPaths.under(tmp_path)
    paths.ensure()
    entry_id = leave_a_pending_update(paths.history_file, host, DEMO_USERNAME)

    desk = open_desk(data_dir=tmp_path)
    panel = history_panel(desk)
    wait_on_top(desk, panel, entry_id, "outcome unknown")
    assert "never got an answer" in desk.window.statusBar().currentMessage()

    assert panel.select_entry(entry_id)
    desk.click(desk.find("historyVerify", QPushButton))
    desk.answer_credentials(PASSWORD)  # the same credential gate as a lookup

    desk.qtbot.waitUntil(lambda: "does not hold" in desk.label("historyMessage"))
    assert "bill-never-answered" in desk.label("historyMessage")
    assert shown_outcome(panel, entry_id) == "outcome unknown"  # the agent decides what next
    [(lookup_id, outcome)] = recorded(desk, "lookup")
    assert outcome == "succeeded"
    assert desk.window.services.history().get(lookup_id).verifies_id == entry_id
    assert [r.method for r in sandbox.received] == ["GET"]
    assert sandbox.update_count == 0
    desk.qtbot.waitUntil(lambda: panel.model.entry_at(0).id == lookup_id)
    assert json.loads(panel.model.entry_at(0).request_json)["redemptionId"] == "NZVAt9"
