"""A batch file's rows: the columns it may have, and each row checked by the form's validators.

Header names are matched case-insensitively; identifier and entity types too (a spreadsheet
user types "MOBILE" as often as "mobile"), and are then spelled as the API wants them. Cell
values are never trimmed or changed: what is wrong is said per cell, and nothing is sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from desktop_app.core import validation
from desktop_app.core.model import (
    ENTITY_TYPES,
    IDENTIFIER_TYPES,
    LOOKUP_QUERY_KEYS,
    Entity,
    KeyKind,
    MetadataChange,
    RedemptionKey,
)

ENTITY_TYPE = "entity_type"
IDENTIFIER_TYPE = "identifier_type"
IDENTIFIER_VALUE = "identifier_value"
REDEMPTION_ID = "redemption_id"
EXTERNAL_REFERENCE = "external_reference_number"
BILL_ID = "bill_id"
BILL_NUMBER = "bill_number"
PURPOSE = "purpose"

KNOWN_COLUMNS = (
    IDENTIFIER_TYPE,
    IDENTIFIER_VALUE,
    ENTITY_TYPE,
    REDEMPTION_ID,
    EXTERNAL_REFERENCE,
    BILL_ID,
    BILL_NUMBER,
    PURPOSE,
)
KEY_COLUMNS = (REDEMPTION_ID, EXTERNAL_REFERENCE)
VALUE_COLUMNS = (BILL_ID, BILL_NUMBER, PURPOSE)
DEFAULT_ENTITY_TYPE = "CUSTOMER"

_IDENTIFIER_SPELLING = {name.lower(): name for name in IDENTIFIER_TYPES}
_ENTITY_SPELLING = {name.lower(): name for name in ENTITY_TYPES}


class BatchFileError(ValueError):
    """The file cannot be used at all (unreadable, empty, a column missing); says why."""


@dataclass(frozen=True)
class Columns:
    """Where each known column is in the file's header (0-based), and the header's extras."""

    positions: dict[str, int]
    ignored: tuple[str, ...] = ()

    @classmethod
    def from_header(cls, header: Sequence[str]) -> Columns:
        positions: dict[str, int] = {}
        ignored: list[str] = []
        for index, raw in enumerate(header):
            name = raw.strip().lower()
            if name not in KNOWN_COLUMNS:
                if name:
                    ignored.append(raw.strip())
                continue
            if name in positions:
                raise BatchFileError(f"The column '{name}' appears twice in the header.")
            positions[name] = index
        missing = [name for name in (IDENTIFIER_TYPE, IDENTIFIER_VALUE) if name not in positions]
        if not any(name in positions for name in KEY_COLUMNS):
            missing.append(" or ".join(KEY_COLUMNS))
        if not any(name in positions for name in VALUE_COLUMNS):
            missing.append("at least one of " + ", ".join(VALUE_COLUMNS))
        if missing:
            found = ", ".join(h.strip() for h in header if h.strip()) or "nothing"
            raise BatchFileError(
                "The header row lacks the column(s) " + "; ".join(missing) + f" (it has: {found})."
            )
        return cls(positions, tuple(ignored))

    def cells(self, values: Sequence[str]) -> dict[str, str]:
        return {
            name: values[index] if index < len(values) else ""
            for name, index in self.positions.items()
        }


@dataclass(frozen=True)
class BatchRow:
    """One data row: `number` is 1-based (the spreadsheet line is number + 1, after the header).

    `problems` maps a column to what is wrong with its cell; a row with any is never sent.
    """

    number: int
    cells: dict[str, str]
    entity: Entity | None = None
    key: RedemptionKey | None = None
    target: MetadataChange = field(default_factory=MetadataChange)
    problems: dict[str, str] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.problems

    @property
    def redemption(self) -> str:
        """The redemption identifier as the file gives it (for tables and the report)."""
        return self.cells.get(REDEMPTION_ID, "") or self.cells.get(EXTERNAL_REFERENCE, "")

    def problem_text(self) -> str:
        return " ".join(f"{column}: {message}" for column, message in self.problems.items())


def check_row(number: int, cells: dict[str, str]) -> BatchRow:
    """The row as the desk would send it, or the reason per cell why it would not."""
    problems: dict[str, str] = {}
    entity = _entity(cells, problems)
    key = _key(cells, problems)
    target = _target(cells, problems)
    if problems:
        return BatchRow(number, cells, problems=problems)
    assert entity is not None and key is not None
    return BatchRow(number, cells, entity, key, target)


def check_rows(columns: Columns, records: Iterable[tuple[int, Sequence[str]]]) -> list[BatchRow]:
    """Every row checked; a row naming the same customer and redemption as an earlier one is
    refused (two rows for one redemption would race, and one update could undo the other)."""
    rows: list[BatchRow] = []
    first_of: dict[tuple[Entity, RedemptionKey], int] = {}
    for number, values in records:
        row = check_row(number, columns.cells(values))
        if row.entity is not None and row.key is not None:
            earlier = first_of.setdefault((row.entity, row.key), number)
            if earlier != number:
                column = (
                    REDEMPTION_ID if row.key.kind is KeyKind.REDEMPTION_ID else EXTERNAL_REFERENCE
                )
                row = BatchRow(number, row.cells, problems={column: duplicate_problem(earlier)})
        rows.append(row)
    return rows


def duplicate_problem(earlier: int) -> str:
    return f"Row {earlier} already corrects this redemption: put both changes in one row."


def _entity(cells: dict[str, str], problems: dict[str, str]) -> Entity | None:
    entity_text = cells.get(ENTITY_TYPE, "") or DEFAULT_ENTITY_TYPE
    entity_type = _ENTITY_SPELLING.get(entity_text.lower(), entity_text)
    type_problem = validation.entity_type_problem(entity_type)
    if type_problem:
        problems[ENTITY_TYPE] = type_problem
    identifier_text = cells.get(IDENTIFIER_TYPE, "")
    identifier_type = _IDENTIFIER_SPELLING.get(identifier_text.lower(), identifier_text)
    value = cells.get(IDENTIFIER_VALUE, "")
    if identifier_type not in IDENTIFIER_TYPES:
        problems[IDENTIFIER_TYPE] = validation.entity_value_problem(identifier_type, value) or ""
        return None
    if identifier_type not in LOOKUP_QUERY_KEYS or entity_type != DEFAULT_ENTITY_TYPE:
        problems[IDENTIFIER_TYPE] = (
            f"A batch row must be looked up before it is sent, and Capillary has no lookup by "
            f"{entity_type} {identifier_type}: use mobile, email, externalId or id of a CUSTOMER, "
            "or correct this one in the desk."
        )
    value_problem = validation.entity_value_problem(identifier_type, value)
    if value_problem:
        problems[IDENTIFIER_VALUE] = value_problem
    return Entity(entity_type, identifier_type, value)


def _key(cells: dict[str, str], problems: dict[str, str]) -> RedemptionKey | None:
    filled = [column for column in KEY_COLUMNS if cells.get(column, "") != ""]
    if len(filled) != 1:
        message = (
            "Fill only one of redemption_id and external_reference_number."
            if filled
            else "Fill one of redemption_id and external_reference_number."
        )
        for column in filled or [c for c in KEY_COLUMNS if c in cells]:
            problems[column] = message
        return None
    column = filled[0]
    value = cells[column]
    problem = validation.redemption_key_problem(value)
    if problem:
        problems[column] = problem
        return None
    kind = KeyKind.REDEMPTION_ID if column == REDEMPTION_ID else KeyKind.EXTERNAL_REFERENCE
    return RedemptionKey(kind, value)


def _target(cells: dict[str, str], problems: dict[str, str]) -> MetadataChange:
    bill_id_text = cells.get(BILL_ID, "")
    bill_number = cells.get(BILL_NUMBER, "")
    purpose = cells.get(PURPOSE, "")
    if bill_id_text == bill_number == purpose == "":
        for column in VALUE_COLUMNS:
            if column in cells:
                problems[column] = "Set at least one of bill_id, bill_number and purpose."
        return MetadataChange()
    checks = (
        (BILL_ID, bill_id_text, validation.bill_id_problem),
        (BILL_NUMBER, bill_number, validation.bill_number_problem),
        (PURPOSE, purpose, validation.purpose_problem),
    )
    for column, text, check in checks:
        problem = check(text) if text != "" else None
        if problem:
            problems[column] = problem
    if any(column in problems for column in VALUE_COLUMNS):
        return MetadataChange()
    return MetadataChange(
        bill_id=int(bill_id_text) if bill_id_text else None,
        bill_number=bill_number or None,
        purpose=purpose or None,
    )
