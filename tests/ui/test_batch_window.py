"""Desk → Batch corrections… in the real window against the sandbox: the file's rows checked,
a dry run with before → after and nothing sent, a row excluded, one confirmation, the run,
the outcome filter, the report, and a row opened in the History."""

from __future__ import annotations

import csv

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QMessageBox, QPushButton, QTableView

from desktop_app.ui.batch_table import INCLUDE, OUTCOME
from tests.desk.batch.conftest import ASHA, RAVI, csv_bytes, deep_rows, row


def outcomes(table: QTableView) -> dict[str, str]:
    model = table.model()
    return {
        model.index(r, 1).data(): model.index(r, OUTCOME).data() for r in range(model.rowCount())
    }


def open_batch(desk, tmp_path, rows):
    path = tmp_path / "outage.csv"
    path.write_bytes(csv_bytes(rows))
    dialog = desk.window.open_batch()
    assert dialog.objectName() == "batchDialog"
    dialog.open_file(path)
    table = dialog.findChild(QTableView, "batchTable")
    desk.qtbot.waitUntil(lambda: table.model().rowCount() == len(rows))
    return dialog, table


def accept(box: QMessageBox) -> None:
    role = QMessageBox.ButtonRole.AcceptRole
    next(b for b in box.buttons() if box.buttonRole(b) == role).click()


def button(dialog, name) -> QPushButton:
    return dialog.findChild(QPushButton, name)


def test_check_dry_run_exclude_confirm_send_filter_report_history(desk, tmp_path, sandbox):
    rows = [
        row(ASHA, rid="NZVAt9", bill_number="bill-new-77"),
        row(RAVI, rid="RaVi01", bill_id="701"),
        row(RAVI, rid="RaVi02", purpose="excluded"),
        row(ASHA, rid="FaiL50", bill_id="12a"),
    ]
    dialog, table = open_batch(desk, tmp_path, rows)
    model = table.model()
    problem = model.index(3, 4).data(Qt.ItemDataRole.ToolTipRole)
    assert "digits 0-9" in problem  # the bad cell says why, in words
    assert model.index(3, OUTCOME).data() == "refused"

    desk.click(button(dialog, "batchDryRunButton"))
    desk.answer_credentials()
    qtbot = desk.qtbot
    qtbot.waitUntil(
        lambda: button(dialog, "batchSendButton").isEnabled() and bool(outcomes(table)["1"])
    )
    assert outcomes(table) == {
        "1": "would_apply",
        "2": "unchanged",
        "3": "would_apply",
        "4": "refused",
    }
    assert model.index(0, 5).data() == "bill-old-77 → bill-new-77"
    assert sandbox.update_count == 0

    model.setData(model.index(2, INCLUDE), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    desk.click(button(dialog, "batchSendButton"))
    confirm = desk.wait_dialog("batchConfirm")
    text = confirm.text() + confirm.informativeText()
    assert sandbox.base_url.split("//")[1] in text
    assert "up to 2 updates" in text and "1 excluded" in text and "2 rows to update" in text
    accept(confirm)
    qtbot.waitUntil(lambda: outcomes(table)["3"] == "not_run" and not dialog.running)
    assert outcomes(table) == {"1": "applied", "2": "unchanged", "3": "not_run", "4": "refused"}
    assert sandbox.update_count == 1
    assert sandbox.redemption("NZVAt9").bill_number == "bill-new-77"

    dialog.findChild(QComboBox, "batchFilter").setCurrentText("applied")
    assert outcomes(table) == {"1": "applied"}

    report = tmp_path / "report.csv"
    dialog.export_to(report)
    qtbot.waitUntil(report.exists)
    with open(report, encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert [line["outcome"] for line in lines] == ["applied", "unchanged", "not_run", "refused"]

    qtbot.waitUntil(lambda: desk.window.history_panel is not None)
    table.setCurrentIndex(table.model().index(0, 1))
    qtbot.keyClick(table, Qt.Key.Key_Return)  # as a double-click does: the row is activated
    panel = desk.window.history_panel
    qtbot.waitUntil(lambda: panel.selected_entry() is not None)
    entry = panel.selected_entry()
    assert (entry.kind.value, entry.key.value, entry.batch.row) == ("update", "NZVAt9", 1)
    assert desk.window.side_tabs.currentWidget() is panel


def test_same_file_again_offers_resume_and_sends_nothing_twice(desk, tmp_path, sandbox):
    rows = [row(ASHA, rid="NZVAt9", purpose="first")]
    dialog, table = open_batch(desk, tmp_path, rows)
    desk.click(button(dialog, "batchSendButton"))
    confirm = desk.wait_dialog("batchConfirm")
    accept(confirm)
    desk.answer_credentials()
    desk.qtbot.waitUntil(lambda: outcomes(table) == {"1": "applied"} and not dialog.running)

    dialog.open_file(tmp_path / "outage.csv")
    question = desk.wait_dialog("batchResumeQuestion")
    assert "1 row applied" in question.text()
    accept(question)
    desk.click(button(dialog, "batchSendButton"))
    confirm = desk.wait_dialog("batchConfirm")
    accept(confirm)
    desk.qtbot.waitUntil(lambda: outcomes(table) == {"1": "unchanged"} and not dialog.running)
    assert sandbox.update_count == 1


def start_slow_run(desk, tmp_path, sandbox):
    """Six rows whose updates each take 0.5 s; returns once the first PUT has arrived."""
    rows = deep_rows(6)
    dialog, table = open_batch(desk, tmp_path, rows)
    sandbox.set_fault("delay", endpoint="update", seconds=0.5)
    desk.click(button(dialog, "batchSendButton"))
    accept(desk.wait_dialog("batchConfirm"))
    desk.answer_credentials()
    desk.qtbot.waitUntil(lambda: sandbox.update_count >= 1)
    return dialog, table


def test_cancel_lets_rows_in_flight_finish_and_starts_no_more(desk, tmp_path, sandbox):
    dialog, table = start_slow_run(desk, tmp_path, sandbox)
    assert button(dialog, "batchCancelButton").isEnabled()
    desk.click(button(dialog, "batchCancelButton"))
    desk.qtbot.waitUntil(lambda: not dialog.running)
    shown = outcomes(table)
    applied = [n for n, outcome in shown.items() if outcome == "applied"]
    assert len(applied) == sandbox.update_count  # each PUT that left is shown as applied
    assert sorted(set(shown.values())) == ["applied", "not_run"]
    assert "Done:" in dialog.findChild(QLabel, "batchStatusLabel").text()


def test_a_file_that_cannot_be_used_says_why_and_nothing_is_sent(desk, tmp_path, sandbox):
    path = tmp_path / "broken.csv"
    path.write_bytes(b"identifier_type,redemption_id,purpose\r\nmobile,NZVAt9,x\r\n")
    dialog = desk.window.open_batch()
    dialog.open_file(path)
    label = dialog.findChild(QLabel, "batchStatusLabel")
    desk.qtbot.waitUntil(lambda: "identifier_value" in label.text())
    assert not button(dialog, "batchSendButton").isEnabled()
    assert not button(dialog, "batchDryRunButton").isEnabled()
    assert sandbox.received == []


def test_pause_then_esc_cancels_and_closes_once_rows_in_flight_finish(desk, tmp_path, sandbox):
    dialog, table = start_slow_run(desk, tmp_path, sandbox)
    pause = button(dialog, "batchPauseButton")
    desk.click(pause)
    assert pause.text() == "Resume"
    desk.qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()  # not before the rows in flight are done
    desk.qtbot.waitUntil(lambda: not dialog.isVisible())
    assert not dialog.running
    shown = outcomes(table)
    assert [n for n, o in shown.items() if o == "applied"] == ["1"]
    assert sandbox.update_count == 1
