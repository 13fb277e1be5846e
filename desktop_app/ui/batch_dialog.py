"""Desk → Batch corrections…: pick a file, see every row checked, dry run, confirm, send.

Reading the file and every request run on the window's TaskRunner; the run's rows come back
one by one through a queued signal, so the UI thread never waits on the disk or the network.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSortFilterProxyModel, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
)

from desktop_app import resources_dir
from desktop_app.core.model import Credentials
from desktop_app.desk.batch import (
    BatchFile,
    BatchRunResult,
    PreviousRun,
    RowOutcome,
    RowResult,
    counts,
    previous_run,
    summary_text,
)
from desktop_app.ui import icons, theme
from desktop_app.ui.batch_table import OUTCOME, RESULT_ROLE, BatchTableModel
from desktop_app.ui.startup_path import set_enum_property

if TYPE_CHECKING:
    from desktop_app.desk.batch import BatchRun
    from desktop_app.desk.jobs import FreshSecret
    from desktop_app.desk.session import Connection
    from desktop_app.ui.main_window import MainWindow

SAMPLE_FILE = resources_dir() / "sample_batch.csv"
HISTORY_REFRESH_MS = 1000
DRAIN_MS = 100
ALL_OUTCOMES = "All outcomes"


class _Inbox(QObject):
    """Rows finished on worker threads wait here. The first row into an empty inbox wakes the
    UI thread through a queued signal; rows arriving before it drains join that one wake-up,
    so a fast batch costs the UI a repaint every DRAIN_MS, not one per row."""

    arrived = Signal()

    def __init__(self, parent: QObject):
        super().__init__(parent)
        self._lock = threading.Lock()
        self._rows: list[RowResult] = []

    def put(self, result: RowResult) -> None:
        with self._lock:
            self._rows.append(result)
            first = len(self._rows) == 1
        if first:
            self.arrived.emit()

    def take(self) -> list[RowResult]:
        with self._lock:
            rows, self._rows = self._rows, []
        return rows


def _load(services: Any, path: Path, host: str) -> tuple[BatchFile, PreviousRun]:
    """On a worker: the file read and checked, and what the history knows of earlier runs."""
    from desktop_app.desk.batch import read_batch_file

    batch = read_batch_file(path)
    return batch, previous_run(services, batch.sha256, host)


class BatchDialog(QDialog):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self._w = window
        self.setObjectName("batchDialog")
        self.setWindowTitle("Batch corrections")
        self.setAccessibleName("Batch corrections")
        self.setMinimumSize(760, 440)
        self.resize(1000, 560)
        self._batch: BatchFile | None = None
        self._run: BatchRun | None = None
        self._dry_counts: dict[RowOutcome, int] | None = None
        self._close_when_done = False
        self._inbox = _Inbox(self)
        self._drain_timer = QTimer(self)
        self._drain_timer.setSingleShot(True)
        self._drain_timer.setInterval(DRAIN_MS)
        self._drain_timer.timeout.connect(self._drain)
        self._inbox.arrived.connect(self._drain_timer.start)
        self._history_timer = QTimer(self)
        self._history_timer.setInterval(HISTORY_REFRESH_MS)
        self._history_timer.timeout.connect(self._refresh_history)
        self._build()
        self._sync()

    # -- building --------------------------------------------------------------------------------
    def _button(self, name: str, text: str, slot: Any, icon: str | None = None) -> QPushButton:
        button = QPushButton(icons.icon(icon), text) if icon else QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _build(self) -> None:
        self.file_label = QLabel("No file chosen: a CSV or XLSX file, one correction per row.")
        self.file_label.setObjectName("batchFileLabel")
        self.file_label.setWordWrap(True)
        theme.set_role(self.file_label, "cardTitle")
        self.choose_button = self._button("batchChooseButton", "Choose file…", self._choose)
        self.sample_button = self._button(
            "batchSampleButton", "Open the sample file", self._open_sample
        )
        connection = self._w.connection
        self.sample_button.setVisible(connection is not None and connection.is_demo)
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(self.sample_button)
        top.addWidget(self.choose_button)

        self.status_label = QLabel()
        self.status_label.setObjectName("batchStatusLabel")
        self.status_label.setWordWrap(True)

        self.model = BatchTableModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(OUTCOME)
        self.table = QTableView()
        self.table.setObjectName("batchTable")
        self.table.setAccessibleName("Rows of the batch file")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((44, 44, 170, 90, 110, 170, 150, 90)):
            self.table.setColumnWidth(column, width)
        self.table.activated.connect(self._open_in_history)  # double-click or Enter

        self.filter = QComboBox()
        self.filter.setObjectName("batchFilter")
        self.filter.setAccessibleName("Show outcome")
        self.filter.addItems([ALL_OUTCOMES, *(outcome.value for outcome in RowOutcome)])
        self.filter.currentTextChanged.connect(self._filter_changed)
        from desktop_app.desk.batch import DEFAULT_CONCURRENCY, MAX_CONCURRENCY

        self.concurrency = QSpinBox()
        self.concurrency.setObjectName("batchConcurrency")
        self.concurrency.setAccessibleName("Rows sent at once")
        self.concurrency.setRange(1, MAX_CONCURRENCY)
        self.concurrency.setValue(DEFAULT_CONCURRENCY)
        self.concurrency.setToolTip("How many rows are looked up and sent at the same time.")
        self.progress = QProgressBar()
        self.progress.setObjectName("batchProgress")
        self.progress.setTextVisible(True)
        self.progress.setFormat("%v of %m rows")
        self.progress.setValue(0)

        self.dry_run_button = self._button(
            "batchDryRunButton", "Dry run", partial(self._start, True)
        )
        self.send_button = self._button("batchSendButton", "Send…", self._ask_send, "send")
        self.pause_button = self._button("batchPauseButton", "Pause", self._toggle_pause)
        self.cancel_button = self._button(
            "batchCancelButton", "Cancel run", self.cancel_run, "stop"
        )
        self.export_button = self._button("batchExportButton", "Export report…", self._export)
        self.close_button = self._button("batchCloseButton", "Close", self.close)
        self.send_button.setStyleSheet(theme.primary_button_sheet(self.palette()))

        filters = QHBoxLayout()
        filters.addWidget(QLabel("Show:"))
        filters.addWidget(self.filter)
        filters.addWidget(QLabel("Rows at once:"))
        filters.addWidget(self.concurrency)
        filters.addWidget(self.progress, 1)
        buttons = QHBoxLayout()
        for button in (
            self.dry_run_button,
            self.send_button,
            self.pause_button,
            self.cancel_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(filters)
        layout.addLayout(buttons)

    # -- state -------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._run is not None

    def _sync(self) -> None:
        loaded = self._batch is not None and bool(self._batch.valid_rows)
        idle = not self.running
        self.choose_button.setEnabled(idle)
        self.sample_button.setEnabled(idle)
        self.dry_run_button.setEnabled(idle and loaded)
        self.send_button.setEnabled(idle and loaded)
        self.pause_button.setEnabled(not idle)
        self.cancel_button.setEnabled(not idle)
        self.export_button.setEnabled(idle and bool(self.model.results()))
        self.concurrency.setEnabled(idle)
        self.model.editable = idle
        if idle:
            self.pause_button.setText("Pause")

    def _say(self, text: str, state: str = "") -> None:
        self.status_label.setText(text)
        theme.set_state(self.status_label, "state", state)

    # -- the file -------------------------------------------------------------------------------
    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a batch file", "", "Batch files (*.csv *.xlsx);;All files (*)"
        )
        if path:
            self.open_file(Path(path))

    def _open_sample(self) -> None:
        self.open_file(SAMPLE_FILE)

    def open_file(self, path: Path) -> None:
        """Reads and checks the file on a worker; the table fills when it is done."""
        self._say(f"Reading {path.name}…", "busy")
        self.choose_button.setEnabled(False)
        connection = self._w.connection
        host = connection.host if connection is not None else ""
        self._w.runner.run(
            partial(_load, self._w.services, path, host),
            self._loaded,
            partial(self._load_failed, path),
        )

    def _load_failed(self, path: Path, error: BaseException) -> None:
        self._batch = None
        self.model.set_rows(())
        self.file_label.setText(f"{path.name} cannot be used")
        self._say(str(error), "error")
        self._sync()

    def _loaded(self, loaded: tuple[BatchFile, PreviousRun]) -> None:
        batch, previous = loaded
        self._batch, self._dry_counts = batch, None
        self.model.set_rows(batch.rows)
        self.progress.setRange(0, len(batch.rows))
        self.progress.setValue(0)
        self.file_label.setText(f"{batch.name} — {len(batch.rows)} rows")
        refused = len(batch.rows) - len(batch.valid_rows)
        words = [f"{len(batch.valid_rows)} rows can be sent"]
        if refused:
            words.append(f"{refused} have problems (in red; point at a cell to read why)")
        if batch.ignored_columns:
            words.append("columns ignored: " + ", ".join(batch.ignored_columns))
        self._say(
            "; ".join(words) + ". Run a dry run to see before → after.", "error" if refused else ""
        )
        self._sync()
        if previous.exists:
            self._offer_resume(batch, previous)

    def _offer_resume(self, batch: BatchFile, previous: PreviousRun) -> None:
        self._ask(
            "batchResumeQuestion",
            "Resume this batch?",
            f"{batch.name} was run before: {previous.describe()}.",
            "Resume it? Every row is looked up first: rows already applied show 'unchanged' and "
            "cost no update; rows whose outcome is unknown are verified by lookup before "
            "anything is sent.",
            ("Resume", "Close the file"),
            partial(self._resume_answered, previous.describe()),
        )

    def _ask(
        self,
        name: str,
        title: str,
        text: str,
        detail: str,
        choices: tuple[str, str],
        answered: Callable[[bool], Any],
    ) -> None:
        """A question that never blocks: `answered(True)` when the first choice is clicked."""
        box = QMessageBox(self)
        box.setObjectName(name)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(title)
        set_enum_property(box, "textFormat", "PlainText")  # file names and server text
        box.setText(text)
        box.setInformativeText(detail)
        yes = box.addButton(choices[0], QMessageBox.ButtonRole.AcceptRole)
        box.addButton(choices[1], QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(yes)
        box.finished.connect(lambda _: answered(box.clickedButton() is yes))
        box.finished.connect(box.deleteLater)
        box.open()

    def _resume_answered(self, earlier: str, resume: bool) -> None:
        if resume:
            self._say(f"Resuming: {earlier} in earlier runs.")
            return
        self._batch = None
        self.model.set_rows(())
        self.file_label.setText("No file chosen")
        self._say("")
        self._sync()

    # -- running ----------------------------------------------------------------------------
    def _ask_send(self) -> None:
        connection = self._w.connection
        if self._batch is None or connection is None:
            return
        included = [r for r in self._batch.valid_rows if r.number not in self.model.excluded()]
        if self._dry_counts is not None:
            would = self._dry_counts.get(RowOutcome.WOULD_APPLY, 0)
            same = self._dry_counts.get(RowOutcome.UNCHANGED, 0)
            detail = f"The dry run found {would} rows to update and {same} already correct."
        else:
            detail = "No dry run yet: each row is compared with the server before it is sent."
        refused = len(self._batch.rows) - len(self._batch.valid_rows)
        excluded = len(self._batch.valid_rows) - len(included)
        self._ask(
            "batchConfirm",
            "Send these updates?",
            f"Send up to {len(included)} updates to {connection.host} as {connection.username}?",
            f"{detail} {refused} rows refused and {excluded} excluded are not sent. Only the "
            "fields that differ from the server are sent; a row is never sent twice.",
            ("Send", "Cancel"),
            lambda send: send and self._start(False),
        )

    def _start(self, dry_run: bool) -> None:
        connection = self._w.connection
        if self._batch is None or self.running:
            return
        if connection is None or connection.starting:
            self._say("No connection yet: choose a profile (File → Profiles…) first.", "error")
            return
        self._say("Getting the till password…", "busy")
        self.dry_run_button.setEnabled(False)
        self.send_button.setEnabled(False)
        self._w.gate.obtain(
            connection, partial(self._launch, connection, dry_run), self._not_started
        )

    def _not_started(self, message: str) -> None:
        self._say(message, "error")
        self._sync()

    def _launch(
        self,
        connection: Connection,
        dry_run: bool,
        credentials: Credentials,
        fresh: FreshSecret | None,
    ) -> None:
        from desktop_app.desk.batch import BatchRun, BatchSettings

        assert self._batch is not None
        self.model.clear_results()
        self.progress.setValue(0)
        run = BatchRun(
            self._w.services,
            connection,
            credentials,
            fresh,
            self._batch,
            BatchSettings(concurrency=self.concurrency.value(), dry_run=dry_run),
            excluded=self.model.excluded(),  # it reads earlier runs from the history itself
            on_row=self._inbox.put,
        )
        self._run = run
        self._close_when_done = False
        doing = "Dry run: looking up" if dry_run else f"Sending to {connection.host}:"
        self._say(f"{doing} {len(self._batch.rows)} rows…", "busy")
        self._history_timer.start()
        self._w.runner.run(run.run, partial(self._finished, connection, dry_run), self._crashed)
        self._sync()

    def _drain(self) -> None:
        rows = self._inbox.take()
        self.model.set_results(rows)
        self.progress.setValue(self.progress.value() + len(rows))

    def _toggle_pause(self) -> None:
        if self._run is None:
            return
        if self._run.paused:
            self._run.resume()
            self.pause_button.setText("Pause")
            self._say("Running again…", "busy")
        else:
            self._run.pause()
            self.pause_button.setText("Resume")
            self._say("Paused: rows in flight finish; no new row starts until you resume.")

    def cancel_run(self) -> None:
        """No new row starts; rows in flight finish and are recorded."""
        if self._run is not None:
            self._run.cancel()
            self._say(
                "Cancelling: rows in flight finish and are recorded; no new row starts.", "busy"
            )

    def _finished(self, connection: Connection, dry_run: bool, outcome: BatchRunResult) -> None:
        self._run = None
        self._history_timer.stop()
        self._refresh_history()
        self._drain_timer.stop()
        self._drain()  # the run is over: every row is in the inbox or shown already
        self._sync()
        if outcome.rejection is not None:
            self._say(outcome.rejection.message + " Nothing was sent.", "error")
            if not self._close_when_done:
                self._w.gate.obtain(
                    connection,
                    partial(self._launch, connection, dry_run),
                    self._not_started,
                    rejection=outcome.rejection,
                )
        else:
            if dry_run:
                self._dry_counts = dict(counts(outcome.results))
            prefix = "Dry run, nothing sent: " if dry_run else "Done: "
            trouble = {RowOutcome.FAILED, RowOutcome.UNKNOWN, RowOutcome.NOT_FOUND}
            bad = any(r.outcome in trouble for r in outcome.results)
            self._say(prefix + summary_text(outcome.results) + ".", "error" if bad else "")
        if self._close_when_done:
            self.close()

    def _crashed(self, error: BaseException) -> None:
        self._run = None
        self._history_timer.stop()
        self._say(f"The batch stopped on an internal error: {error!r}", "error")
        self._sync()

    def _refresh_history(self) -> None:
        panel = self._w.history_panel
        refresh = getattr(panel, "refresh", None)
        if refresh is not None:
            refresh()

    # -- after a run ----------------------------------------------------------------------------
    def _filter_changed(self, text: str) -> None:
        pattern = "" if text == ALL_OUTCOMES else f"^{text}$"
        self.proxy.setFilterRegularExpression(pattern)

    def _export(self) -> None:
        if self._batch is None:
            return
        suggested = str(self._batch.path.with_name(self._batch.path.stem + "-report.csv"))
        path, _ = QFileDialog.getSaveFileName(self, "Export the report", suggested, "CSV (*.csv)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        from desktop_app.desk.batch import write_report

        results = self.model.results()
        self._w.runner.run(
            partial(write_report, results, path),
            lambda count: self._say(f"Report written: {path} ({count} rows)."),
            lambda error: self._say(f"The report could not be written: {error}", "error"),
        )

    def _open_in_history(self, index: Any) -> None:
        result = index.data(RESULT_ROLE) if index.isValid() else None
        if isinstance(result, RowResult) and result.entry_ids:
            self._w.show_in_history(result.redemption, result.entry_ids[-1])

    def reject(self) -> None:
        """Esc, Close or the window's close button: a running batch is cancelled first (rows in
        flight finish and are recorded), and the dialog closes when it has stopped."""
        if self._run is not None:
            self._close_when_done = True
            self.cancel_run()
            return
        self._history_timer.stop()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._run is not None:
            self.reject()
            event.ignore()
            return
        super().closeEvent(event)
