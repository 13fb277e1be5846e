"""A row no version of the desk wrote (a hand edit, damage the integrity check did not catch) is
shown as far as it can be read, with a note; it never hides the entries around it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar

from desktop_app.core.history.entries import (
    EntryKind,
    HistoryEntry,
    Outcome,
    messages_from_json,
    parse_utc,
)
from desktop_app.core.model import ApiMessage, Entity, KeyKind, RedemptionKey

_UNREADABLE_TIME = datetime(1970, 1, 1, tzinfo=UTC)
Choice = TypeVar("Choice", bound=StrEnum)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _number(value: Any, kind: type = int) -> Any:
    try:
        return None if value is None else kind(value)
    except (TypeError, ValueError):
        return None


def _choice(enum: type[Choice], value: Any, fallback: Choice) -> Choice:
    try:
        return enum(value)
    except ValueError:
        return fallback


def _time(value: Any) -> datetime | None:
    try:
        return parse_utc(value)
    except (TypeError, ValueError):
        return None


def _values(text: Any) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _messages(text: Any) -> tuple[ApiMessage, ...]:
    try:
        return messages_from_json(json.loads(text))
    except (TypeError, ValueError, AttributeError):
        return ()


def salvaged_entry(raw: dict[str, Any], error: Exception) -> HistoryEntry:
    """`raw` holds the row's columns as stored (JSON still text), named as in to_record()."""
    note = f"Part of this entry could not be read ({type(error).__name__}: {error})."
    return HistoryEntry(
        id=_number(raw.get("id")) or 0,
        created_utc=_time(raw.get("time_utc")) or _UNREADABLE_TIME,
        completed_utc=_time(raw.get("completed_utc")),
        kind=_choice(EntryKind, raw.get("kind"), EntryKind.UPDATE),
        outcome=_choice(Outcome, raw.get("outcome"), Outcome.UNKNOWN),
        profile=_text(raw.get("profile")),
        host=_text(raw.get("host")),
        username=_text(raw.get("till_username")),
        os_user=_text(raw.get("os_user")),
        entity=Entity(
            _text(raw.get("entity_type")),
            _text(raw.get("entity_identifier_type")),
            _text(raw.get("entity_identifier_value")),
        ),
        key=RedemptionKey(
            _choice(KeyKind, raw.get("key_kind"), KeyKind.REDEMPTION_ID),
            _text(raw.get("key_value")),
        ),
        before=_values(raw.get("before")),
        after=_values(raw.get("after")),
        found=_values(raw.get("found")),
        request_json=_text(raw.get("request")),
        http_status=_number(raw.get("http_status")),
        response_json=_text(raw.get("response")),
        warnings=_messages(raw.get("warnings")),
        errors=_messages(raw.get("errors")),
        duration_ms=_number(raw.get("duration_ms"), float),
        message=f"{note} {_text(raw.get('message'))}".strip(),
        verifies_id=_number(raw.get("verifies_id")),
        verified_by_id=_number(raw.get("verified_by_id")),
        uuid=_text(raw.get("uuid")),
        writer_pid=_number(raw.get("writer_pid")) or 0,
    )
