"""The search box and the outcome and date filters, turned into one HistoryQuery."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.history import EntryKind, HistoryQuery, Outcome
from desktop_app.ui import icons

SEARCH_DELAY_MS = 150

OUTCOME_CHOICES: tuple[tuple[str, frozenset[Outcome]], ...] = (
    ("All outcomes", frozenset()),
    ("Succeeded", frozenset({Outcome.SUCCEEDED})),
    ("Failed", frozenset({Outcome.FAILED})),
    ("Outcome unknown", frozenset({Outcome.UNKNOWN})),
    ("Pending", frozenset({Outcome.PENDING})),
)
KIND_CHOICES: tuple[tuple[str, frozenset[EntryKind]], ...] = (
    ("Updates and lookups", frozenset()),
    ("Updates only", frozenset({EntryKind.UPDATE})),
    ("Lookups only", frozenset({EntryKind.LOOKUP})),
)
ANY_TIME, TODAY, LAST_7_DAYS, LAST_30_DAYS, CUSTOM = range(5)
PERIOD_CHOICES = ("Any time", "Today", "Last 7 days", "Last 30 days", "Between dates…")


def local_midnight(day: date) -> datetime:
    """The start of `day` in the computer's time zone, as an aware datetime."""
    return datetime.combine(day, time.min).astimezone()


def _to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class FilterBar(QWidget):
    """Emits `query_changed` ~150 ms after typing stops, at once for the other filters."""

    query_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setObjectName("historySearch")
        self.search.setPlaceholderText("Search identifiers, bill numbers, purposes, messages")
        self.search.setAccessibleName("Search history")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icons.icon("search"), QLineEdit.ActionPosition.LeadingPosition)

        # With "Updates only", "Failed" means failed updates, not every customer not found.
        self.kind = QComboBox()
        self.kind.setObjectName("historyKindFilter")
        self.kind.setAccessibleName("Show kind of request")
        self.kind.addItems([label for label, _ in KIND_CHOICES])

        self.outcome = QComboBox()
        self.outcome.setObjectName("historyOutcomeFilter")
        self.outcome.setAccessibleName("Show outcome")
        self.outcome.addItems([label for label, _ in OUTCOME_CHOICES])

        self.period = QComboBox()
        self.period.setObjectName("historyPeriodFilter")
        self.period.setAccessibleName("Show period")
        self.period.addItems(PERIOD_CHOICES)

        # The date edits are built on first use: they are the costliest widgets here and
        # most agents never pick a custom range.
        self.since: QDateEdit | None = None
        self.until: QDateEdit | None = None
        self.between: QLabel | None = None

        # Two rows (three with a custom range), in Tab order, so the History page fits
        # beside the form on a 1024-pixel-wide screen.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        first, second, self._dates_row = QHBoxLayout(), QHBoxLayout(), QHBoxLayout()
        first.addWidget(self.search, 1)
        first.addWidget(self.kind)
        second.addWidget(self.outcome)
        second.addWidget(self.period)
        second.addStretch(1)
        self._dates_row.addStretch(1)  # the date edits go before it when first needed
        for row in (first, second, self._dates_row):
            row.setSpacing(6)
            layout.addLayout(row)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self._emit)
        self.search.textChanged.connect(self._debounce.start)
        self.kind.currentIndexChanged.connect(self._emit)
        self.outcome.currentIndexChanged.connect(self._emit)
        self.period.currentIndexChanged.connect(self._period_changed)

    def _date_edit(self, name: str, accessible: str, value: QDate) -> QDateEdit:
        edit = QDateEdit(value)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.dateChanged.connect(self._emit)
        self._dates_row.insertWidget(self._dates_row.count() - 1, edit)
        return edit

    def _show_dates(self, visible: bool) -> None:
        if visible and self.since is None:
            today = QDate.currentDate()
            self.since = self._date_edit("historySince", "From date", today.addDays(-30))
            self.between = QLabel("to")
            self._dates_row.insertWidget(self._dates_row.count() - 1, self.between)
            self.until = self._date_edit("historyUntil", "To date (included)", today)
        for widget in (self.since, self.between, self.until):
            if widget is not None:
                widget.setVisible(visible)

    def _period_changed(self, index: int) -> None:
        self._show_dates(index == CUSTOM)
        self._emit()

    def _emit(self) -> None:
        self._debounce.stop()
        self.query_changed.emit(self.query())

    def query(self) -> HistoryQuery:
        today = date.today()
        since = until = None
        period = self.period.currentIndex()
        if period == TODAY:
            since = local_midnight(today)
        elif period == LAST_7_DAYS:
            since = local_midnight(today - timedelta(days=6))
        elif period == LAST_30_DAYS:
            since = local_midnight(today - timedelta(days=29))
        elif period == CUSTOM and self.since is not None and self.until is not None:
            first, last = sorted((_to_date(self.since.date()), _to_date(self.until.date())))
            since, until = local_midnight(first), local_midnight(last + timedelta(days=1))
        return HistoryQuery(
            text=self.search.text(),
            outcomes=OUTCOME_CHOICES[self.outcome.currentIndex()][1],
            kinds=KIND_CHOICES[self.kind.currentIndex()][1],
            since=since,
            until=until,
        )
