"""The History panel as an agent uses it: browse, search, filter, read, reopen, verify, export."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QPushButton

from desktop_app.core.history import (
    PAGE_SIZE,
    Completion,
    HistoryStore,
    Outcome,
    read_csv_export,
    read_json_export,
)
from desktop_app.core.history.entries import BatchTag
from desktop_app.core.model import ApiMessage
from desktop_app.ui.history_panel import HistoryPanel
from desktop_app.ui.history_panel.filters import CUSTOM, OUTCOME_CHOICES
from desktop_app.ui.history_panel.model import CHANGE, CUSTOMER, IDENTIFIER, OUTCOME, TIME
from desktop_app.ui.tasks import TaskRunner
from tests.core.history.samples import FAILURE, SUCCESS, update_entry

NOW = datetime.now(UTC).replace(microsecond=0)
UNKNOWN = Completion(Outcome.UNKNOWN, None, "", message="The connection broke mid-answer.")


class SlowStore:
    """The real store, except that a search for "slow" waits until the test lets it go."""

    def __init__(self, store: HistoryStore):
        self._store = store
        self.release = threading.Event()
        self.searched: list[str] = []

    def __getattr__(self, name):
        return getattr(self._store, name)

    def search(self, query, *args, **kwargs):
        self.searched.append(query.text)
        if query.text == "slow":
            self.release.wait(10)
        return self._store.search(query, *args, **kwargs)


@pytest.fixture
def store(tmp_path):
    store = HistoryStore.open(tmp_path / "history.sqlite3")
    yield store
    store.close()


@pytest.fixture
def runner(qtbot):
    runner = TaskRunner()
    yield runner
    runner.wait_for_all()


def fill(store, count: int, completion=SUCCESS, start=NOW - timedelta(days=1)) -> None:
    store.import_completed(
        (
            update_entry(f"R{n:05d}", after={"billNumber": f"bill-new-{n}"}),
            completion,
            start + timedelta(seconds=n),
        )
        for n in range(count)
    )


def make_panel(qtbot, store, runner) -> HistoryPanel:
    panel = HistoryPanel(store, runner)
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    panel.show()
    qtbot.waitUntil(lambda: not panel.model.is_loading)
    return panel


def shown_keys(panel) -> list[str]:
    return [panel.model.entry_at(n).key.value for n in range(panel.model.rowCount())]


def cell(panel, row: int, column: int) -> str:
    return panel.model.index(row, column).data()


def test_the_newest_page_shows_first_and_more_loads_on_scrolling(qtbot, store, runner):
    total = PAGE_SIZE * 2 + 30
    fill(store, total)
    panel = make_panel(qtbot, store, runner)
    assert panel.objectName() == "historyView"
    assert panel.model.rowCount() == PAGE_SIZE  # never everything at once
    assert shown_keys(panel)[0] == f"R{total - 1:05d}"
    assert "scroll down for more" in panel.status.text()

    panel.table.scrollToBottom()
    qtbot.waitUntil(lambda: panel.model.rowCount() == PAGE_SIZE * 2)
    panel.table.scrollToBottom()
    qtbot.waitUntil(lambda: panel.model.rowCount() == total)
    assert not panel.model.canFetchMore()
    assert shown_keys(panel)[-1] == "R00000"
    assert len(set(shown_keys(panel))) == total
    assert panel.status.text() == f"{total} entries."


def test_columns_show_time_outcome_identifier_customer_and_the_change(qtbot, store, runner):
    entry_id = store.add_pending(update_entry("NZVAt9"))
    store.complete(entry_id, SUCCESS)
    panel = make_panel(qtbot, store, runner)
    created = store.get(entry_id).created_utc.astimezone()
    assert cell(panel, 0, TIME) == created.strftime("%Y-%m-%d %H:%M:%S")
    assert cell(panel, 0, OUTCOME) == "succeeded"
    assert cell(panel, 0, IDENTIFIER) == "NZVAt9"
    assert cell(panel, 0, CUSTOMER) == "919800000001"
    assert cell(panel, 0, CHANGE) == "bill number: bill-old-77 → bill-new-77"


def test_typing_searches_once_after_a_pause_and_off_the_ui_thread(qtbot, store, runner):
    fill(store, 30)
    slow = SlowStore(store)
    panel = make_panel(qtbot, slow, runner)
    slow.searched.clear()
    qtbot.keyClicks(panel.filters.search, "R00012")
    assert slow.searched == []  # nothing yet: the search waits for typing to pause
    qtbot.waitUntil(lambda: shown_keys(panel) == ["R00012"])
    assert slow.searched == ["R00012"]


def test_a_late_result_of_an_older_search_is_dropped(qtbot, store, runner):
    fill(store, 30)
    slow = SlowStore(store)
    panel = make_panel(qtbot, slow, runner)
    panel.filters.search.setText("slow")
    qtbot.waitUntil(lambda: "slow" in slow.searched)  # running, and stuck, in the pool
    panel.filters.search.setText("R00007")
    qtbot.waitUntil(lambda: shown_keys(panel) == ["R00007"])

    slow.release.set()  # the old search ("slow" matches nothing) finishes now, too late
    runner.wait_for_all()
    QApplication.processEvents()  # delivers its queued result
    assert shown_keys(panel) == ["R00007"]


def test_a_result_arriving_after_the_panel_closed_is_dropped(qtbot, store, runner):
    slow = SlowStore(store)
    panel = make_panel(qtbot, slow, runner)
    panel.filters.search.setText("slow")
    qtbot.waitUntil(lambda: "slow" in slow.searched)
    with qtbot.waitSignal(panel.destroyed):
        panel.deleteLater()
    slow.release.set()
    runner.wait_for_all()
    with qtbot.captureExceptions() as raised:
        QApplication.processEvents()
    assert raised == []


def test_outcome_and_date_filters(qtbot, store, runner):
    fill(store, 3, SUCCESS, start=NOW - timedelta(days=40))
    fill(store, 2, FAILURE, start=NOW - timedelta(days=1))
    store.import_completed([(update_entry("LOST01"), UNKNOWN, NOW - timedelta(hours=1))])
    panel = make_panel(qtbot, store, runner)
    assert panel.model.rowCount() == 6

    labels = [label for label, _ in OUTCOME_CHOICES]
    panel.filters.outcome.setCurrentIndex(labels.index("Outcome unknown"))
    qtbot.waitUntil(lambda: shown_keys(panel) == ["LOST01"])
    panel.filters.outcome.setCurrentIndex(labels.index("All outcomes"))
    panel.filters.period.setCurrentIndex(3)  # last 30 days
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3)

    panel.filters.period.setCurrentIndex(CUSTOM)
    assert panel.filters.since.isVisible()
    old_day = (NOW - timedelta(days=40)).astimezone().date()
    panel.filters.since.setDate(old_day)
    panel.filters.until.setDate(old_day)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3 and shown_keys(panel)[0] == "R00002")


def test_details_show_before_after_request_response_warnings_and_errors(qtbot, store, runner):
    entry_id = store.add_pending(update_entry("WaRn01"))
    store.complete(
        entry_id,
        Completion(
            Outcome.FAILED,
            400,
            '{"errors":[{"code":750,"message":"already reversed"}]}',
            warnings=(ApiMessage(91, "points expire soon"),),
            errors=(ApiMessage(750, "already reversed"),),
        ),
    )
    panel = make_panel(qtbot, store, runner)
    assert panel.details.toPlainText() == panel.details.PLACEHOLDER
    panel.table.selectRow(0)
    text = panel.details.toPlainText()
    for expected in (
        "Update #1 — failed",
        "bill number",
        "bill-old-77",
        "bill-new-77",
        "91: points expire soon",
        "750: already reversed",
        '"redemptionId": "WaRn01"',
        '"message": "already reversed"',  # the response, pretty-printed
        "HTTP status:\n400",
    ):
        assert expected in text


def test_details_name_the_batch_file_row_and_hash_of_a_batch_entry(qtbot, store, runner):
    sha = "3f7a9c01b2d4" + "e" * 52
    tag = BatchTag("<b>outage</b> store 17.csv", sha, 12)
    store.complete(store.add_pending(replace(update_entry("BATCH12"), batch=tag)), SUCCESS)
    store.complete(store.add_pending(update_entry("DESK01")), SUCCESS)
    panel = make_panel(qtbot, store, runner)
    panel.table.selectRow(shown_keys(panel).index("BATCH12"))
    text = panel.details.toPlainText()
    assert "Batch:\n<b>outage</b> store 17.csv · row 12 · sha256 3f7a9c01b2d4\n" in text
    assert sha[:13] not in text  # a short, readable hash
    panel.table.selectRow(shown_keys(panel).index("DESK01"))
    assert "Batch:" not in panel.details.toPlainText()


def test_reopen_hands_the_entry_to_the_form_and_sends_nothing(qtbot, store, runner):
    entry_id = store.add_pending(update_entry("NZVAt9"))
    store.complete(entry_id, FAILURE)
    panel = make_panel(qtbot, store, runner)
    assert not panel.reopen_button.isEnabled()
    panel.table.selectRow(0)
    with qtbot.waitSignal(panel.reopen_requested) as reopened:
        panel.reopen_button.click()
    assert reopened.args[0] == store.get(entry_id)
    assert len(store.search()) == 1  # nothing recorded, so nothing was sent


def test_verify_by_lookup_is_offered_for_unknown_outcomes_and_shows_the_result(
    qtbot, store, runner
):
    done = store.add_pending(update_entry("NZVAt9"))
    store.complete(done, SUCCESS)
    lost = store.add_pending(update_entry("LOST01"))
    store.complete(lost, UNKNOWN)
    panel = make_panel(qtbot, store, runner)

    panel.select_entry(done)
    assert not panel.verify_button.isEnabled()
    panel.select_entry(lost)
    assert panel.verify_button.isEnabled()
    with qtbot.waitSignal(panel.verify_requested) as asked:
        panel.verify_button.click()
    assert asked.args[0].id == lost

    # What the main window does with it: look up, record, refresh.
    store.record_verification(lost, {"billId": 235, "billNumber": "bill-new-77", "purpose": "why"})
    panel.refresh()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3)
    row = panel.model.row_of(lost)
    assert cell(panel, row, OUTCOME) == "succeeded (verified)"
    assert shown_keys(panel)[0] == "LOST01"  # the verification lookup, newest, on top
    panel.select_entry(lost)
    qtbot.waitUntil(lambda: "Verified by lookup" in panel.details.toPlainText())
    assert not panel.verify_button.isEnabled()


def test_refresh_adds_new_entries_on_top_and_completes_pending_ones(qtbot, store, runner):
    fill(store, 3)
    panel = make_panel(qtbot, store, runner)
    pending = store.add_pending(update_entry("NEW001"))
    panel.refresh()
    qtbot.waitUntil(lambda: shown_keys(panel)[0] == "NEW001")
    assert cell(panel, 0, OUTCOME) == "pending"
    panel.table.selectRow(0)

    store.complete(pending, SUCCESS)
    panel.refresh()
    qtbot.waitUntil(lambda: cell(panel, 0, OUTCOME) == "succeeded")
    assert panel.model.rowCount() == 4
    assert "Update #4 — succeeded" in panel.details.toPlainText()  # the open entry follows


@pytest.mark.parametrize(("kind", "reader"), [("csv", read_csv_export), ("json", read_json_export)])
def test_export_writes_the_current_filter(
    qtbot, store, runner, tmp_path, monkeypatch, kind, reader
):
    fill(store, 5)
    fill(store, 2, FAILURE, start=NOW)
    panel = make_panel(qtbot, store, runner)
    panel.filters.outcome.setCurrentIndex([label for label, _ in OUTCOME_CHOICES].index("Failed"))
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)

    target = tmp_path / f"failed.{kind}"
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), "")
    )
    button = panel.export_csv_button if kind == "csv" else panel.export_json_button
    button.click()
    qtbot.waitUntil(lambda: panel.message.text().startswith("Exported 2 entries"))
    assert [e.outcome for e in reader(target)] == [Outcome.FAILED, Outcome.FAILED]


def answer_retention_questions(qtbot, panel, days: int, confirm: bool) -> str:
    """Type `days` into the retention dialog, then press Delete or Cancel; returns the question."""
    panel.delete_button.click()
    dialog = panel.findChild(QInputDialog, "historyRetentionDialog")
    dialog.setIntValue(days)
    dialog.accept()
    qtbot.waitUntil(lambda: panel.findChild(QMessageBox, "historyDeleteConfirm") is not None)
    box = panel.findChild(QMessageBox, "historyDeleteConfirm")
    question = box.text()
    wanted = (
        QMessageBox.ButtonRole.DestructiveRole if confirm else QMessageBox.ButtonRole.RejectRole
    )
    [button] = [b for b in box.buttons() if box.buttonRole(b) == wanted]
    button.click()
    qtbot.waitUntil(  # both dialogs close and are deleted, so the next round finds new ones
        lambda: panel.findChild(QMessageBox) is None and panel.findChild(QInputDialog) is None
    )
    return question


def test_delete_older_than_asks_first(qtbot, store, runner):
    fill(store, 4, start=NOW - timedelta(days=100))
    fill(store, 2, start=NOW - timedelta(hours=1))
    panel = make_panel(qtbot, store, runner)

    question = answer_retention_questions(qtbot, panel, 30, confirm=False)
    assert "Delete 4 entries older than 30 days?" in question
    assert panel.message.text() == "Nothing was deleted."
    runner.wait_for_all()
    assert len(store.search()) == 6

    answer_retention_questions(qtbot, panel, 30, confirm=True)
    qtbot.waitUntil(lambda: panel.message.text() == "Deleted 4 entries.")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    assert len(store.search()) == 2


def test_the_store_notice_is_shown(qtbot, tmp_path, runner):
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"not a database" * 100)
    store = HistoryStore.open(path)
    panel = make_panel(qtbot, store, runner)
    assert panel.notice.isVisible()
    assert "new, empty history" in panel.notice.text()
    store.close()


def test_every_control_has_an_accessible_name(qtbot, store, runner):
    panel = make_panel(qtbot, store, runner)
    filters = panel.filters
    filters.period.setCurrentIndex(CUSTOM)  # builds the date edits
    controls = [
        filters.search,
        filters.outcome,
        filters.period,
        filters.since,
        filters.until,
        panel.table,
        panel.details,
        panel.status,
        panel.message,
        *panel.findChildren(QPushButton),
    ]
    assert len(controls) == 14
    assert [w.objectName() for w in controls if not w.accessibleName()] == []
