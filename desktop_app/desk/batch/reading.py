"""Reading a batch file (CSV or XLSX) into checked rows, before any request is made.

The whole file is read once (at most MAX_FILE_BYTES), hashed, then parsed from memory in one
pass: the SHA-256 of its bytes is what ties a later run of the same file to this one. At most
MAX_ROWS data rows and MAX_COLUMNS columns are read; a larger file is refused, not cut short.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from desktop_app.desk.batch.rows import BatchFileError, BatchRow, Columns, check_rows

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 10_000
MAX_COLUMNS = 64
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class BatchFile:
    path: Path
    sha256: str
    rows: tuple[BatchRow, ...]
    ignored_columns: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def valid_rows(self) -> tuple[BatchRow, ...]:
        return tuple(row for row in self.rows if row.is_valid)


def read_batch_file(path: Path) -> BatchFile:
    """The file's rows, each checked. Raises BatchFileError saying what is wrong with the file."""
    path = Path(path)
    data = _read_bytes(path)
    if not data.strip():
        raise BatchFileError(f"{path.name} is empty.")
    suffix = path.suffix.lower()
    if suffix == ".xls" or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise BatchFileError(
            f"{path.name} is an old Excel 97-2003 workbook: save it as .xlsx or as CSV UTF-8."
        )
    records = (
        _xlsx_records(path.name, data)
        if data.startswith(_ZIP_MAGIC)
        else _csv_records(path.name, data)
    )
    header = next(records, None)
    if header is None or not any(cell.strip() for cell in header):
        raise BatchFileError(f"{path.name} has no header row (the first row is empty).")
    columns = Columns.from_header(header)
    numbered = _numbered_data_rows(path.name, records)
    rows = check_rows(columns, numbered)
    if not rows:
        raise BatchFileError(f"{path.name} has a header but no data rows.")
    return BatchFile(path, hashlib.sha256(data).hexdigest(), tuple(rows), columns.ignored)


def _read_bytes(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise BatchFileError(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise BatchFileError(f"{path} is a folder, not a file.") from None
    except OSError as error:
        raise BatchFileError(f"{path.name} could not be read: {error.strerror or error}.") from None
    if len(data) > MAX_FILE_BYTES:
        raise BatchFileError(
            f"{path.name} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB: split it."
        )
    return data


def _numbered_data_rows(
    name: str, records: Iterator[list[str]]
) -> Iterator[tuple[int, Sequence[str]]]:
    """(1-based row number, cells) for every non-blank row; blank rows keep their number."""
    for number, values in enumerate(records, start=1):
        if number > MAX_ROWS:
            raise BatchFileError(f"{name} has more than {MAX_ROWS:,} data rows: split it.")
        if any(value != "" for value in values):
            yield number, values


def _csv_records(name: str, data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BatchFileError(
            f"{name} is not UTF-8 text (byte {error.start + 1} cannot be read): in Excel, "
            "save it as 'CSV UTF-8', or save it as .xlsx."
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for values in reader:
            if len(values) > MAX_COLUMNS:
                values = values[:MAX_COLUMNS]
            yield values
    except csv.Error as error:
        raise BatchFileError(
            f"{name} is not valid CSV (line {reader.line_num}: {error})."
        ) from None


def _xlsx_records(name: str, data: bytes) -> Iterator[list[str]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise BatchFileError(f"{name} is not a readable .xlsx workbook ({error}).") from None
    try:
        if not workbook.worksheets:
            raise BatchFileError(f"{name} has no worksheet.")
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            yield [_cell_text(value) for value in values]
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as the text an agent sees in it (9001.0 stored for 9001 reads 9001)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)
