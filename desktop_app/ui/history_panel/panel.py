"""The History panel (`historyView`): find an entry, read it in full, reopen or verify it, export.

It never sends anything: "Reopen" and "Verify by lookup" ask the main window through signals.
Every read and write of the store runs in a TaskRunner job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.history import HistoryEntry, HistoryStore, write_csv, write_json
from desktop_app.ui import icons
from desktop_app.ui.history_panel.details import DetailsPane
from desktop_app.ui.history_panel.filters import FilterBar
from desktop_app.ui.history_panel.model import (
    AGENT,
    CHANGE,
    ENTRY_ROLE,
    TIME,
    HistoryTableModel,
)
from desktop_app.ui.history_panel.scope import ScopeSwitch
from desktop_app.ui.tasks import TaskRunner
from desktop_app.ui.widgets import FormScroll, role_label

log = logging.getLogger(__name__)

EXPORTERS = {"csv": write_csv, "json": write_json}
_COLUMN_WIDTHS = (150, 120, 260, 80)  # time, outcome, change, identifier; customer the rest
_AGENT_WIDTH = 160
DEFAULT_RETENTION_DAYS = 365
MIN_LINES = 12  # the page's height, in lines of text, below which it scrolls


def export_folder() -> Path:
    """Where an export is offered first: the agent's Documents folder (home if there is none),
    never the folder the app happened to be started from."""
    from PySide6.QtCore import QStandardPaths

    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents else Path.home()


class HistoryPanel(QWidget):
    """`refresh()` after each recorded request; connect the two signals to the form."""

    reopen_requested = Signal(object)  # HistoryEntry: fill the form with it, never send
    verify_requested = Signal(object)  # HistoryEntry (outcome unknown): look it up, record it

    def __init__(self, store: HistoryStore, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("historyView")
        self.setAccessibleName("History")
        self.store = store
        self.runner = runner
        self._team_source: Any = None
        self._details_task: int | None = None

        self.filters = FilterBar()
        self.scope = ScopeSwitch()
        self.notice = role_label(store.notice or "", "notice", selectable=True)
        self.notice.setObjectName("historyNotice")
        self.notice.setVisible(bool(store.notice))
        self.model = HistoryTableModel(store, runner, self)
        self.table = self._build_table()
        self.details = DetailsPane()
        self.status = role_label("", "muted")
        self.status.setObjectName("historyStatus")
        self.status.setAccessibleName("How many entries are shown")
        self.message = role_label("", "muted", selectable=True)
        self.message.setObjectName("historyMessage")
        self.message.setAccessibleName("Result of the last history action")
        self._build_buttons()
        self._build_layout()

        self.filters.query_changed.connect(self.model.set_query)
        self.model.loading_changed.connect(lambda _loading: self._show_count())
        # refresh() adds rows on top (and a filter may drop finished ones) without loading.
        self.model.rowsInserted.connect(lambda *_: self._show_count())
        self.model.rowsRemoved.connect(lambda *_: self._show_count())
        self.model.failed.connect(self.message.setText)
        self.model.modelReset.connect(lambda: self._show_entry(None))
        self.model.dataChanged.connect(self._rows_changed)
        # ResizeToContents alone misses rows that arrive after the header last laid itself out.
        for signal in (self.model.rowsInserted, self.model.modelReset, self.model.dataChanged):
            signal.connect(lambda *_: self.table.resizeColumnToContents(CHANGE))
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_entry(self._entry_at(current))
        )
        self.scope.changed.connect(self._scope_changed)
        self.model.set_query(self.filters.query())

    # -- building ---------------------------------------------------------------------------

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("historyTable")
        table.setAccessibleName("History entries, newest first")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate(_COLUMN_WIDTHS):
            table.setColumnWidth(column, width)
        table.setColumnWidth(AGENT, _AGENT_WIDTH)
        header.moveSection(header.visualIndex(AGENT), header.visualIndex(TIME) + 1)
        table.setColumnHidden(AGENT, True)  # one agent's own desk: shown in the Team scope
        # The change is read whole (the table scrolls sideways on a narrow screen).
        header.setSectionResizeMode(CHANGE, QHeaderView.ResizeMode.ResizeToContents)
        table.doubleClicked.connect(lambda index: self._reopen(self._entry_at(index)))
        return table

    def _button(
        self, text: str, icon: str, accessible: str, slot: Callable[[], Any]
    ) -> QPushButton:
        button = QPushButton(icons.icon(icon), text)
        button.setAccessibleName(accessible)
        button.clicked.connect(slot)
        return button

    def _build_buttons(self) -> None:
        self.reopen_button = self._button(
            "Reopen",
            "revert",
            "Reopen the entry in the form (does not send)",
            lambda: self._reopen(self.selected_entry()),
        )
        self.reopen_button.setToolTip("Put its customer, identifier and values back in the form")
        self.verify_button = self._button(
            "Verify by lookup",
            "search",
            "Verify the outcome by looking the redemption up",
            lambda: self._verify(self.selected_entry()),
        )
        self.verify_button.setToolTip("Look the redemption up and record what the server holds")
        self.export_csv_button = self._button(
            "Export CSV…",
            "receipt",
            "Export the shown entries as CSV",
            lambda: self.ask_export("csv"),
        )
        self.export_json_button = self._button(
            "Export JSON…",
            "terminal",
            "Export the shown entries as JSON",
            lambda: self.ask_export("json"),
        )
        self.delete_button = self._button(
            "Delete older than…",
            "stop",
            "Delete entries older than a number of days",
            self.ask_delete_older,
        )
        for button, name in (
            (self.reopen_button, "historyReopen"),
            (self.verify_button, "historyVerify"),
            (self.export_csv_button, "historyExportCsv"),
            (self.export_json_button, "historyExportJson"),
            (self.delete_button, "historyDeleteOld"),
        ):
            button.setObjectName(name)
        self._show_entry(None)

    def _build_layout(self) -> None:
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        # Two rows, so the panel fits beside the form on a 1024-pixel-wide screen.
        entry_actions = QHBoxLayout()
        entry_actions.setSpacing(6)
        for button in (self.reopen_button, self.verify_button):
            entry_actions.addWidget(button)
        entry_actions.addStretch(1)
        list_actions = QHBoxLayout()
        list_actions.setSpacing(6)
        for button in (self.export_csv_button, self.export_json_button):
            list_actions.addWidget(button)
        list_actions.addStretch(1)
        # Deleting is for this desk's own history: beside "My desk", hidden in the Team scope
        # (where the agent filter takes its place).
        scope_row = QHBoxLayout()
        scope_row.addWidget(self.scope, 1)
        scope_row.addWidget(self.delete_button)
        status_row = QHBoxLayout()
        self.status.setWordWrap(False)
        status_row.addWidget(self.status)
        status_row.addWidget(self.message, 1)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.notice)
        layout.addLayout(scope_row)
        layout.addWidget(self.filters)
        layout.addWidget(splitter, 1)
        layout.addLayout(status_row)
        layout.addLayout(entry_actions)
        layout.addLayout(list_actions)
        # Below its natural height (a short window, large fonts) the page scrolls rather than
        # making the window taller than the screen.
        scroll = FormScroll(page, min_height=MIN_LINES * self.fontMetrics().lineSpacing())
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # -- public ---------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """Call after each recorded request: new entries appear on top, finished ones update."""
        self.model.refresh()

    def set_team_source(self, source: Any) -> None:
        """The team's rows (desk.team_link.TeamHistory), or None: enables the Team scope."""
        self._team_source = source
        self.scope.set_team_available(source is not None)
        if source is None and self.scope.is_team:
            self.scope.show_desk()

    def _scope_changed(self) -> None:
        team = self.scope.is_team and self._team_source is not None
        source = self._team_source.with_agent(self.scope.agent) if team else self.store
        self.delete_button.setVisible(not team)  # team rows are an append-only audit trail
        self.table.setColumnHidden(AGENT, not team)
        self.message.setText("")
        self.model.set_source(source)

    def selected_entry(self) -> HistoryEntry | None:
        return self._entry_at(self.table.currentIndex())

    def select_entry(self, entry_id: int) -> bool:
        row = self.model.row_of(entry_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    # -- selection and details --------------------------------------------------------------

    def _entry_at(self, index: QModelIndex) -> HistoryEntry | None:
        return index.data(ENTRY_ROLE) if index.isValid() else None

    def _rows_changed(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        current = self.table.currentIndex()
        if current.isValid() and top_left.row() <= current.row() <= bottom_right.row():
            self._show_entry(self._entry_at(current))

    def _show_entry(self, entry: HistoryEntry | None) -> None:
        self.reopen_button.setEnabled(entry is not None)
        self.verify_button.setEnabled(
            entry is not None and entry.can_be_verified and not self.scope.is_team
        )
        self.details.show_entry(entry)
        if self._details_task is not None:
            self.runner.forget(self._details_task)
            self._details_task = None
        if entry is not None and (entry.can_be_verified or entry.is_verified):
            entry_id = entry.id
            self._details_task = self.runner.run(
                lambda: self.model.source.verifications_of(entry_id),
                lambda found: self._verifications_arrived(entry, found),
                lambda error: log.error("verifications of %s: %s", entry_id, error),
            )

    def _verifications_arrived(self, entry: HistoryEntry, found: list[HistoryEntry]) -> None:
        self._details_task = None
        if found and self.details.shown_entry == entry:
            self.details.show_entry(entry, found)

    def _show_count(self) -> None:
        if self.model.is_loading:
            self.status.setText("Loading…")
            return
        shown = self.model.rowCount()
        if shown == 0:
            self.status.setText("No entries match.")
        elif self.model.exhausted:
            self.status.setText(f"{shown} entries.")
        else:
            self.status.setText(f"{shown} newest entries shown; scroll down for more.")

    def _reopen(self, entry: HistoryEntry | None) -> None:
        if entry is not None:
            self.reopen_requested.emit(entry)

    def _verify(self, entry: HistoryEntry | None) -> None:
        if entry is not None and entry.can_be_verified:
            self.message.setText(f"Looking up {entry.key.describe()} to verify entry #{entry.id}…")
            self.verify_requested.emit(entry)

    # -- export -----------------------------------------------------------------------------

    def ask_export(self, kind: str) -> None:
        suggested = export_folder() / f"redemption-history-{date.today():%Y%m%d}.{kind}"
        path, _ = QFileDialog.getSaveFileName(
            self,
            f"Export history as {kind.upper()}",
            str(suggested),
            f"{kind.upper()} files (*.{kind})",
        )
        if path:
            self.export_to(Path(path), kind)

    def export_to(self, path: Path, kind: str) -> int:
        """Write the entries of the current filter to `path`, off the UI thread."""
        writer, query, source = EXPORTERS[kind], self.model.query, self.model.source
        self.message.setText(f"Exporting to {path.name}…")
        return self.runner.run(
            lambda: writer(source.iter_entries(query), path),
            lambda count: self.message.setText(f"Exported {count} entries to {path}."),
            lambda error: self.message.setText(f"The export to {path} failed: {error}"),
        )

    # -- retention --------------------------------------------------------------------------

    def ask_delete_older(self) -> None:
        """Asks for a number of days, counts, asks to confirm with the count, then deletes."""
        dialog = QInputDialog(self)
        dialog.setObjectName("historyRetentionDialog")
        dialog.setWindowTitle("Delete old history")
        dialog.setLabelText("Delete entries older than this many days:")
        dialog.setInputMode(QInputDialog.InputMode.IntInput)
        dialog.setIntRange(1, 100_000)
        dialog.setIntValue(DEFAULT_RETENTION_DAYS)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.intValueSelected.connect(self._count_older)
        dialog.open()

    def _count_older(self, days: int) -> None:
        self.runner.run(
            lambda: self.store.count_older_than(days),
            lambda count: self._confirm_delete(days, count),
            lambda error: self.message.setText(f"Could not count old entries: {error}"),
        )

    def _confirm_delete(self, days: int, count: int) -> None:
        if count == 0:
            self.message.setText(f"No entries are older than {days} days.")
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Delete old history",
            f"Delete {count} entries older than {days} days? This cannot be undone. "
            "Export them first if they may be needed for an audit.",
            parent=self,
        )
        box.setObjectName("historyDeleteConfirm")
        box.addButton(f"Delete {count} entries", QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda button: (
                self._delete_older(days)
                if box.buttonRole(button) == QMessageBox.ButtonRole.DestructiveRole
                else self.message.setText("Nothing was deleted.")
            )
        )
        box.open()

    def _delete_older(self, days: int) -> None:
        self.runner.run(
            lambda: self.store.delete_older_than(days),
            self._deleted,
            lambda error: self.message.setText(f"Nothing was deleted: {error}"),
        )

    def _deleted(self, count: int) -> None:
        self.model.set_query(self.model.query)
        self.message.setText(f"Deleted {count} entries.")
