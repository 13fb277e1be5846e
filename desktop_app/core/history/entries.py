"""What the history records: the entry written before a request, its end, and the row read back."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from uuid import uuid4

from desktop_app.core.model import ApiMessage, Entity, KeyKind, Redemption, RedemptionKey


class Outcome(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    UNKNOWN = "outcome unknown"


class EntryKind(StrEnum):
    LOOKUP = "lookup"
    UPDATE = "update"


@dataclass(frozen=True)
class BatchTag:
    """The batch file a request came from: its name, the SHA-256 of its bytes, the 1-based row."""

    file_name: str
    sha256: str
    row: int


@dataclass(frozen=True)
class NewEntry:
    """Everything known before the request leaves. `request_json` never holds a secret."""

    kind: EntryKind
    profile: str
    host: str
    username: str
    entity: Entity
    key: RedemptionKey
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_json: str
    batch: BatchTag | None = None
    uuid: str = field(default_factory=lambda: str(uuid4()))


@dataclass(frozen=True)
class Completion:
    """How the request ended. `found` is what a lookup found (the `before` shape), if anything."""

    outcome: Outcome
    http_status: int | None
    response_json: str
    warnings: tuple[ApiMessage, ...] = ()
    errors: tuple[ApiMessage, ...] = ()
    duration_ms: float = 0.0
    message: str = ""
    found: dict[str, Any] | None = None


@dataclass(frozen=True)
class HistoryQuery:
    """The panel's current filter. Empty text, no outcomes and no kinds mean "everything".

    `since`/`until` are timezone-aware; `until` is exclusive.
    """

    text: str = ""
    outcomes: frozenset[Outcome] = frozenset()
    kinds: frozenset[EntryKind] = frozenset()  # empty: lookups and updates
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded request as read back from the store."""

    id: int
    created_utc: datetime
    completed_utc: datetime | None
    kind: EntryKind
    outcome: Outcome
    profile: str
    host: str
    username: str
    os_user: str
    entity: Entity
    key: RedemptionKey
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    found: dict[str, Any] | None
    request_json: str
    http_status: int | None
    response_json: str
    warnings: tuple[ApiMessage, ...] = ()
    errors: tuple[ApiMessage, ...] = ()
    duration_ms: float | None = None
    message: str = ""
    verifies_id: int | None = None
    verified_by_id: int | None = None
    uuid: str = ""
    batch: BatchTag | None = None
    writer_pid: int = field(default=0, compare=False)

    @property
    def is_verified(self) -> bool:
        return self.verified_by_id is not None

    @property
    def outcome_label(self) -> str:
        if self.outcome is Outcome.SUCCEEDED and self.is_verified:
            return "succeeded (verified)"
        return self.outcome.value

    @property
    def can_be_verified(self) -> bool:
        return self.kind is EntryKind.UPDATE and self.outcome is Outcome.UNKNOWN

    def change_summary(self) -> str:
        if self.kind is EntryKind.LOOKUP:
            return describe_values("found", self.found) if self.found else "lookup"
        return describe_change(self.before, self.after)

    def to_record(self) -> dict[str, Any]:
        """A flat, JSON-ready dict: one export row. `from_record` reverses it exactly."""
        return {
            "id": self.id,
            "time_utc": format_utc(self.created_utc),
            "completed_utc": format_utc(self.completed_utc) if self.completed_utc else None,
            "kind": self.kind.value,
            "outcome": self.outcome.value,
            "profile": self.profile,
            "host": self.host,
            "till_username": self.username,
            "os_user": self.os_user,
            "entity_type": self.entity.type,
            "entity_identifier_type": self.entity.identifier_type,
            "entity_identifier_value": self.entity.identifier_value,
            "key_kind": self.key.kind.value,
            "key_value": self.key.value,
            "before": self.before,
            "after": self.after,
            "found": self.found,
            "request": self.request_json,
            "http_status": self.http_status,
            "response": self.response_json,
            "warnings": messages_to_json(self.warnings),
            "errors": messages_to_json(self.errors),
            "duration_ms": self.duration_ms,
            "message": self.message,
            "verifies_id": self.verifies_id,
            "verified_by_id": self.verified_by_id,
            "uuid": self.uuid,
            "batch_file": self.batch.file_name if self.batch else None,
            "batch_sha256": self.batch.sha256 if self.batch else None,
            "batch_row": self.batch.row if self.batch else None,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> HistoryEntry:
        completed = record["completed_utc"]
        return cls(
            id=int(record["id"]),
            created_utc=parse_utc(record["time_utc"]),
            completed_utc=parse_utc(completed) if completed else None,
            kind=_KINDS[record["kind"]],
            outcome=_OUTCOMES[record["outcome"]],
            profile=record["profile"],
            host=record["host"],
            username=record["till_username"],
            os_user=record["os_user"],
            entity=Entity(
                record["entity_type"],
                record["entity_identifier_type"],
                record["entity_identifier_value"],
            ),
            key=RedemptionKey(_KEY_KINDS[record["key_kind"]], record["key_value"]),
            before=record["before"],
            after=record["after"],
            found=record["found"],
            request_json=record["request"],
            http_status=record["http_status"],
            response_json=record["response"],
            warnings=messages_from_json(record["warnings"]),
            errors=messages_from_json(record["errors"]),
            duration_ms=record["duration_ms"],
            message=record["message"],
            verifies_id=record["verifies_id"],
            verified_by_id=record["verified_by_id"],
            uuid=record.get("uuid") or "",
            batch=_batch_of(record),
            writer_pid=record.get("writer_pid", 0),
        )


def _batch_of(record: dict[str, Any]) -> BatchTag | None:
    if not record.get("batch_sha256"):
        return None
    return BatchTag(record["batch_file"] or "", record["batch_sha256"], int(record["batch_row"]))


# Dict look-ups: calling an Enum by value costs more than the rest of a row (pages of 100).
_KINDS = {kind.value: kind for kind in EntryKind}
_OUTCOMES = {outcome.value: outcome for outcome in Outcome}
_KEY_KINDS = {kind.value: kind for kind in KeyKind}

RECORD_FIELDS: tuple[str, ...] = (
    "id",
    "time_utc",
    "completed_utc",
    "kind",
    "outcome",
    "profile",
    "host",
    "till_username",
    "os_user",
    "entity_type",
    "entity_identifier_type",
    "entity_identifier_value",
    "key_kind",
    "key_value",
    "before",
    "after",
    "found",
    "request",
    "http_status",
    "response",
    "warnings",
    "errors",
    "duration_ms",
    "message",
    "verifies_id",
    "verified_by_id",
    "uuid",
    "batch_file",
    "batch_sha256",
    "batch_row",
)

_FIELD_LABELS = {"billId": "bill ID", "billNumber": "bill number", "purpose": "purpose"}


def redemption_values(redemption: Redemption) -> dict[str, Any]:
    """The three editable values of a looked-up redemption: the `before` of an update."""
    return {
        "billId": redemption.bill_id,
        "billNumber": redemption.bill_number,
        "purpose": redemption.purpose,
    }


def field_label(name: str) -> str:
    return _FIELD_LABELS.get(name, name)


def show_value(value: Any) -> str:
    if value is None:
        return "not set"
    if value == "":
        return "(empty)"
    return str(value)


def describe_change(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """`bill number: bill-old-77 → bill-new-77; purpose: why → refund` (only changed fields)."""
    if not after:
        return "no change"
    known = before or {}
    parts = []
    for name, new in after.items():
        old = show_value(known[name]) if name in known else "?"
        parts.append(f"{field_label(name)}: {old} → {show_value(new)}")
    return "; ".join(parts)


def describe_values(prefix: str, values: dict[str, Any]) -> str:
    shown = ", ".join(f"{field_label(k)} {show_value(v)}" for k, v in values.items())
    return f"{prefix}: {shown}"


def messages_to_json(messages: tuple[ApiMessage, ...]) -> list[dict[str, Any]]:
    return [{"code": m.code, "message": m.message} for m in messages]


def messages_from_json(items: list[dict[str, Any]] | None) -> tuple[ApiMessage, ...]:
    return tuple(ApiMessage(item.get("code"), item.get("message", "")) for item in items or ())


def dumps_compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def format_utc(moment: datetime) -> str:
    """Fixed-width ISO 8601 in UTC with milliseconds, so text order is time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text)
