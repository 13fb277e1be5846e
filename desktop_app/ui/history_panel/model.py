"""The history table's model: pages of entries loaded off the UI thread as the view scrolls.

Every query runs in a TaskRunner job. A generation number is bumped whenever the filter
changes; a page or refresh that arrives for an older generation is dropped, never shown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QApplication

from desktop_app.core.history import PAGE_SIZE, HistoryEntry, HistoryQuery, HistoryStore, Outcome
from desktop_app.ui import theme
from desktop_app.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

# The change right after the outcome: it is what an agent scans for, and the last column is the
# one a narrow panel cuts. Agent comes last in the model (the other columns keep their numbers);
# the panel shows it after the time, and only in the Team scope.
COLUMNS = ("Time", "Outcome", "Change", "Identifier", "Customer", "Agent")
TIME, OUTCOME, CHANGE, IDENTIFIER, CUSTOMER, AGENT = range(len(COLUMNS))
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
_UNFINISHED = (Outcome.PENDING, Outcome.UNKNOWN)
_MAX_REFRESHED = 500
_OUTCOME_KIND = {
    Outcome.SUCCEEDED: "success",
    Outcome.FAILED: "error",
    Outcome.UNKNOWN: "warning",
}

Index = QModelIndex | QPersistentModelIndex


def local_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def time_header() -> str:
    """Says which clock the Time column reads: this computer's, with its offset from UTC."""
    offset = datetime.now().astimezone().strftime("%z")
    if offset in ("", "+0000"):
        return "Time (UTC)"
    return f"Time (local, UTC{offset[:3]}:{offset[3:]})"


def _display(entry: HistoryEntry, column: int) -> str:
    if column == TIME:
        return local_time(entry.created_utc)
    if column == OUTCOME:
        return entry.outcome_label
    if column == IDENTIFIER:
        return entry.key.value
    if column == CUSTOMER:
        return entry.entity.identifier_value
    if column == AGENT:
        return f"{entry.os_user} ({entry.username})"
    return entry.change_summary()


def _tooltip(entry: HistoryEntry, column: int) -> str:
    if column == TIME:
        return f"{local_time(entry.created_utc)} local · {entry.created_utc:%Y-%m-%d %H:%M:%S} UTC"
    if column == IDENTIFIER:
        return f"{entry.kind.value.capitalize()} of {entry.key.describe()}"
    if column == CUSTOMER:
        return entry.entity.describe()
    if column == AGENT:
        return f"Computer user {entry.os_user}, till user {entry.username}"
    if column == OUTCOME and entry.message:
        return entry.message
    return _display(entry, column)


class HistoryTableModel(QAbstractTableModel):
    """Newest first. `loading_changed(bool)` and `failed(str)` let the panel tell the agent."""

    loading_changed = Signal(bool)
    page_loaded = Signal()
    failed = Signal(str)

    def __init__(self, store: HistoryStore, runner: TaskRunner, parent: QObject | None = None):
        super().__init__(parent)
        self._store = store
        self._runner = runner
        self._rows: list[HistoryEntry] = []
        self._query = HistoryQuery()
        self._generation = 0
        self._exhausted = False
        self._page_task: int | None = None
        # A plain set the closure holds (not self), so a deleted model's results are dropped.
        self._tasks: set[int] = set()
        tasks = self._tasks
        self.destroyed.connect(lambda *_: [runner.forget(t) for t in list(tasks)])

    # -- Qt model API ----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return time_header() if section == TIME else COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        entry = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return _display(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(entry, column)
        if role == ENTRY_ROLE:
            return entry
        if role == Qt.ItemDataRole.ForegroundRole and column == OUTCOME:
            palette = QApplication.palette()
            kind = _OUTCOME_KIND.get(entry.outcome)
            return theme.semantic(kind, palette) if kind else theme.muted(palette)
        return None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted or self._page_task is not None:
            return
        before_id = self._rows[-1].id if self._rows else None
        query, generation = self._query, self._generation
        self._page_task = self._run(
            lambda: self._store.search(query, before_id=before_id, limit=PAGE_SIZE),
            lambda page: self._page_arrived(generation, page),
        )
        self.loading_changed.emit(True)

    # -- what the panel uses ---------------------------------------------------------------

    @property
    def query(self) -> HistoryQuery:
        return self._query

    @property
    def source(self) -> Any:
        """What the rows are read from: the local HistoryStore, or the team's (desk TeamHistory)."""
        return self._store

    def set_source(self, source: Any) -> None:
        self._store = source
        self.set_query(self._query)

    @property
    def is_loading(self) -> bool:
        return self._page_task is not None

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    def entry_at(self, row: int) -> HistoryEntry | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, entry_id: int) -> int | None:
        return next((n for n, e in enumerate(self._rows) if e.id == entry_id), None)

    def set_query(self, query: HistoryQuery) -> None:
        """Show the entries matching `query`, from the newest; drops any result in flight."""
        self._generation += 1
        for task in list(self._tasks):
            self._runner.forget(task)
        self._tasks.clear()
        self._page_task = None
        self.beginResetModel()
        self._query = query
        self._rows = []
        self._exhausted = False
        self.endResetModel()
        self.fetchMore()

    def refresh(self) -> None:
        """Add entries recorded since the newest shown, and update unfinished ones in place."""
        if not self._rows:
            self.set_query(self._query)
            return
        query, generation = self._query, self._generation
        top_id = self._rows[0].id
        unfinished = [e.id for e in self._rows if e.outcome in _UNFINISHED][:_MAX_REFRESHED]

        def work() -> tuple[list[HistoryEntry], list[HistoryEntry]]:
            newer = self._store.search(query, after_id=top_id, limit=PAGE_SIZE + 1)
            return newer, self._store.get_many(unfinished)

        self._run(work, lambda result: self._refresh_arrived(generation, *result))

    # -- results (UI thread) ---------------------------------------------------------------

    def _run(self, work: Callable[[], Any], on_success: Callable[[Any], None]) -> int:
        holder: list[int] = []

        def succeeded(result: Any) -> None:
            self._tasks.discard(holder[0])
            on_success(result)

        def failed(error: BaseException) -> None:
            self._tasks.discard(holder[0])
            if holder[0] == self._page_task:
                self._page_task = None
                self.loading_changed.emit(False)
            log.error("history query failed: %s", error)
            self.failed.emit(f"The history could not be read: {error}")

        task = self._runner.run(work, succeeded, failed)
        holder.append(task)
        self._tasks.add(task)
        return task

    def _page_arrived(self, generation: int, page: list[HistoryEntry]) -> None:
        if generation != self._generation:
            return
        self._page_task = None
        known = self._rows[-1].id if self._rows else None
        page = [e for e in page if known is None or e.id < known]
        self._exhausted = len(page) < PAGE_SIZE
        if page:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()
        self.loading_changed.emit(False)
        self.page_loaded.emit()

    def _refresh_arrived(
        self, generation: int, newer: list[HistoryEntry], updated: list[HistoryEntry]
    ) -> None:
        if generation != self._generation:
            return
        if len(newer) > PAGE_SIZE:  # more arrived than one page: start again from the top
            self.set_query(self._query)
            return
        top_id = self._rows[0].id if self._rows else 0
        newer = [e for e in newer if e.id > top_id]
        if newer:
            self.beginInsertRows(QModelIndex(), 0, len(newer) - 1)
            self._rows[0:0] = newer
            self.endInsertRows()
        for entry in updated:
            self._replace(entry)

    def _replace(self, entry: HistoryEntry) -> None:
        row = self.row_of(entry.id)
        if row is None or self._rows[row] == entry:
            return
        if self._query.outcomes and entry.outcome not in self._query.outcomes:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()
            return
        self._rows[row] = entry
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
