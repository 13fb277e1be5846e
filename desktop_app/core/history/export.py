"""Export the entries of a filter to CSV or JSON, streamed, and read an export back.

Both formats carry `HistoryEntry.to_record()` per entry, so `read_*_export` returns entries equal
to the stored ones. The file is written next to its destination and renamed into place at the
end, so a failed export never leaves half a file under the chosen name.

CSV (for spreadsheets: UTF-8 with a byte-order mark, so Excel on Windows reads "café ₹"; every
JSON cell on one line): structured values (before/after/found, warnings, errors) are compact JSON
text, and a request recorded as indented JSON (the update body exactly as sent) is written
compact and indented again on reading. A cell that a
spreadsheet would run as a formula (starts with = + - @ or a tab/CR) gets a leading apostrophe,
as does one that already starts with one, and the reader removes exactly one: nothing a customer
typed into a purpose can run in Excel, and the round trip stays exact.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from desktop_app.core.history.entries import RECORD_FIELDS, HistoryEntry, dumps_compact
from desktop_app.core.private_files import make_private

_STRUCTURED = frozenset({"before", "after", "found", "warnings", "errors"})
_NUMBERS = {
    "id": int,
    "http_status": int,
    "duration_ms": float,
    "verifies_id": int,
    "verified_by_id": int,
}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


@contextmanager
def _replacing(destination: Path, encoding: str = "utf-8") -> Iterator[TextIO]:
    partial = destination.with_name(destination.name + ".part")
    try:
        with open(partial, "w", encoding=encoding, newline="") as handle:
            make_private(partial)  # customers' mobiles and emails, wherever it is saved
            yield handle
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)


def _indented(value: Any) -> str:
    """JSON text as the update body is sent and recorded (update_request.dumps_body)."""
    return json.dumps(value, ensure_ascii=False, indent=2)


def _one_line_request(text: str) -> str:
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return dumps_compact(value) if _indented(value) == text and "\n" in text else text


def _request_as_recorded(cell: str) -> str:
    if not cell.startswith(("{", "[")):
        return cell
    try:
        value = json.loads(cell)
    except ValueError:
        return cell
    return _indented(value) if dumps_compact(value) == cell and value else cell


def neutralised(text: str) -> str:
    """The cell text a spreadsheet shows as text, never runs as a formula (see the module doc)."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _csv_cell(name: str, value: Any) -> str:
    if value is None:
        return ""
    if name == "request":
        value = _one_line_request(value)
    text = dumps_compact(value) if name in _STRUCTURED else str(value)
    return text if name in _NUMBERS else neutralised(text)


def _csv_value(name: str, cell: str) -> Any:
    if cell == "":
        return None if name in _NUMBERS or name in _STRUCTURED or name == "completed_utc" else ""
    if name in _NUMBERS:
        return _NUMBERS[name](cell)
    if cell.startswith("'"):
        cell = cell[1:]
    if name == "request":
        return _request_as_recorded(cell)
    return json.loads(cell) if name in _STRUCTURED else cell


def write_csv(entries: Iterable[HistoryEntry], destination: Path) -> int:
    count = 0
    with _replacing(destination, encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(RECORD_FIELDS)
        for entry in entries:
            record = entry.to_record()
            writer.writerow([_csv_cell(name, record[name]) for name in RECORD_FIELDS])
            count += 1
    return count


def write_json(entries: Iterable[HistoryEntry], destination: Path) -> int:
    """A JSON array, one entry per line, written as it is read."""
    count = 0
    with _replacing(destination) as handle:
        handle.write("[")
        for entry in entries:
            handle.write(",\n" if count else "\n")
            handle.write(json.dumps(entry.to_record(), ensure_ascii=False))
            count += 1
        handle.write("\n]\n")
    return count


def read_csv_export(source: Path) -> Iterator[HistoryEntry]:
    with open(source, encoding="utf-8-sig", newline="") as handle:  # with or without the BOM
        for row in csv.DictReader(handle):
            yield HistoryEntry.from_record({k: _csv_value(k, v) for k, v in row.items()})


def read_json_export(source: Path) -> list[HistoryEntry]:
    with open(source, encoding="utf-8") as handle:
        return [HistoryEntry.from_record(record) for record in json.load(handle)]
