"""The batch dialog's table: one line per file row, its cells checked, then before → after."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from desktop_app.desk.batch import BatchRow, RowOutcome, RowResult
from desktop_app.desk.batch.rows import (
    BILL_ID,
    BILL_NUMBER,
    EXTERNAL_REFERENCE,
    IDENTIFIER_TYPE,
    IDENTIFIER_VALUE,
    PURPOSE,
    REDEMPTION_ID,
)
from desktop_app.ui import theme

HEADERS = (
    "Send",
    "Row",
    "Customer",
    "Redemption",
    "Bill ID",
    "Bill number",
    "Purpose",
    "Outcome",
    "Message",
)
(
    INCLUDE,
    ROW,
    CUSTOMER,
    REDEMPTION,
    BILL_ID_COLUMN,
    BILL_NUMBER_COLUMN,
    PURPOSE_COLUMN,
    OUTCOME,
    MESSAGE,
) = range(9)
# Table column -> (file columns whose problems it shows, the value's key in before/after)
_CELLS = {
    CUSTOMER: ((IDENTIFIER_TYPE, IDENTIFIER_VALUE, "entity_type"), ""),
    REDEMPTION: ((REDEMPTION_ID, EXTERNAL_REFERENCE), ""),
    BILL_ID_COLUMN: ((BILL_ID,), "billId"),
    BILL_NUMBER_COLUMN: ((BILL_NUMBER,), "billNumber"),
    PURPOSE_COLUMN: ((PURPOSE,), "purpose"),
}
_OUTCOME_KIND = {
    RowOutcome.APPLIED: "success",
    RowOutcome.UNCHANGED: "info",
    RowOutcome.WOULD_APPLY: "info",
    RowOutcome.REFUSED: "error",
    RowOutcome.NOT_FOUND: "warning",
    RowOutcome.FAILED: "error",
    RowOutcome.UNKNOWN: "warning",
    RowOutcome.NOT_RUN: "warning",
}
RESULT_ROLE = Qt.ItemDataRole.UserRole + 1
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_CHECK = Qt.ItemDataRole.CheckStateRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
_BACKGROUND = Qt.ItemDataRole.BackgroundRole.value
_ROLES = frozenset({_DISPLAY, _CHECK, _TOOLTIP, _FOREGROUND, _BACKGROUND, RESULT_ROLE})


def _shown(value: Any) -> str:
    return "not set" if value is None else ("(empty)" if value == "" else str(value))


class BatchTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[BatchRow] = []
        self._results: dict[int, RowResult] = {}
        self._excluded: set[int] = set()
        self._position: dict[int, int] = {}
        self.editable = True
        self._colors: dict[str, QColor] = {}

    # -- contents --------------------------------------------------------------------------------
    def set_rows(self, rows: tuple[BatchRow, ...]) -> None:
        self.beginResetModel()
        self._colors.clear()  # the palette may have changed since (light or dark)
        self._rows = list(rows)
        self._position = {row.number: index for index, row in enumerate(self._rows)}
        self._results.clear()
        self._excluded.clear()
        self.endResetModel()

    def clear_results(self) -> None:
        self._results.clear()
        self._emit_all()

    def set_results(self, results: list[RowResult]) -> None:
        """Shows finished rows; one repaint of the lines from the first to the last of them."""
        lines = [self._position[r.row] for r in results if r.row in self._position]
        for result in results:
            self._results[result.row] = result
        if lines:
            last = len(HEADERS) - 1
            self.dataChanged.emit(self.index(min(lines), 0), self.index(max(lines), last))

    def excluded(self) -> frozenset[int]:
        return frozenset(self._excluded)

    def result_at(self, line: int) -> RowResult | None:
        return self._results.get(self._rows[line].number) if 0 <= line < len(self._rows) else None

    def row_at(self, line: int) -> BatchRow:
        return self._rows[line]

    def results(self) -> list[RowResult]:
        return [self._results[row.number] for row in self._rows if row.number in self._results]

    def _emit_all(self) -> None:
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(HEADERS) - 1)
            )

    # -- Qt's model interface ------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == INCLUDE and self.editable and self._rows[index.row()].is_valid:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if index.column() != INCLUDE or role != Qt.ItemDataRole.CheckStateRole:
            return False
        number = self._rows[index.row()].number
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2)
        if checked:
            self._excluded.discard(number)
        else:
            self._excluded.add(number)
        self.dataChanged.emit(index, index)
        return True

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> Any:
        # Called for every visible cell and role on each repaint: unasked roles return at once.
        if role not in _ROLES or not index.isValid():
            return None
        row = self._rows[index.row()]
        result = self._results.get(row.number)
        column = index.column()
        if role == _DISPLAY:
            return self._text(row, result, column)
        if role == RESULT_ROLE:
            return result
        if role == _CHECK:
            if column != INCLUDE:
                return None
            included = row.is_valid and row.number not in self._excluded
            return Qt.CheckState.Checked if included else Qt.CheckState.Unchecked
        problems = self._problems(row, column) if row.problems else ""
        if role == _TOOLTIP:
            return problems or (self._text(row, result, column) if column == MESSAGE else None)
        if role == _FOREGROUND:
            if problems:
                return self._color("error")
            if column == OUTCOME and result is not None:
                return self._color(_OUTCOME_KIND[result.outcome])
            return None
        return self._color("error fill") if problems else None  # _BACKGROUND

    def _color(self, kind: str) -> QColor:
        """The palette's semantic colours, worked out once per table, not once per cell."""
        color = self._colors.get(kind)
        if color is None:
            palette = QApplication.palette()
            color = (
                theme.fill("error", palette)
                if kind == "error fill"
                else theme.semantic(kind, palette)
            )
            self._colors[kind] = color
        return color

    def _problems(self, row: BatchRow, column: int) -> str:
        if column == MESSAGE:
            return ""
        names = _CELLS[column][0] if column in _CELLS else ()
        return " ".join(row.problems[name] for name in names if name in row.problems)

    def _text(self, row: BatchRow, result: RowResult | None, column: int) -> str:
        cells = row.cells
        if column == ROW:
            return str(row.number)
        if column == CUSTOMER:
            return f"{cells.get(IDENTIFIER_TYPE, '')} {cells.get(IDENTIFIER_VALUE, '')}".strip()
        if column == REDEMPTION:
            return row.redemption
        if column == OUTCOME:
            return result.outcome.value if result else ("refused" if not row.is_valid else "")
        if column == MESSAGE:
            if result is not None:
                return " ".join([result.message, *(f"Warning: {w}" for w in result.warnings)])
            return row.problem_text()
        if column in _CELLS:
            return self._value_text(row, result, column)
        return ""

    def _value_text(self, row: BatchRow, result: RowResult | None, column: int) -> str:
        names, key = _CELLS[column]
        asked = row.cells.get(names[0], "")
        if result is None or result.before is None:
            return asked
        before = result.before.get(key)
        after = (result.after or {}).get(key) if result.after is not None else None
        if result.after is None:  # unknown: what was asked for
            return f"{_shown(before)} → {asked} ?" if asked else _shown(before)
        if after != before:
            return f"{_shown(before)} → {_shown(after)}"
        return _shown(before)
