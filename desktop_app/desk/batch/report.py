"""The report of a run: one CSV line per data row, safe to open in a spreadsheet (UTF-8 with a
byte-order mark, so Excel reads it as UTF-8; formulas neutralised as in the history export)."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from desktop_app.core.history.export import neutralised
from desktop_app.desk.batch.outcomes import RowResult

REPORT_COLUMNS = (
    "row",
    "redemption",
    "outcome",
    "message",
    "bill_id_before",
    "bill_id_after",
    "bill_number_before",
    "bill_number_after",
    "purpose_before",
    "purpose_after",
)
_VALUES = (("bill_id", "billId"), ("bill_number", "billNumber"), ("purpose", "purpose"))


def report_line(result: RowResult) -> list[str]:
    message = " ".join([result.message, *(f"Warning: {w}" for w in result.warnings)]).strip()
    cells = [str(result.row), result.redemption, result.outcome.value, message]
    for _column, key in _VALUES:
        cells.append(_value(result.before, key))
        cells.append(_value(result.after, key))
    return [cells[0], *(neutralised(cell) for cell in cells[1:])]


def write_report(results: Iterable[RowResult], destination: Path) -> int:
    """Writes next to `destination` and renames into place: never half a report under its name."""
    destination = Path(destination)
    partial = destination.with_name(destination.name + ".part")
    count = 0
    try:
        with open(partial, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(REPORT_COLUMNS)
            for result in results:
                writer.writerow(report_line(result))
                count += 1
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    return count


def _value(values: dict[str, Any] | None, key: str) -> str:
    if values is None or values.get(key) is None:
        return ""
    return str(values[key])
