"""Sample entries shared by the history tests (this module holds no tests itself)."""

from __future__ import annotations

import json
from pathlib import Path

from desktop_app.core.history import Completion, EntryKind, HistoryStore, NewEntry, Outcome
from desktop_app.core.model import ApiMessage, Entity, KeyKind, RedemptionKey

ASHA = Entity("CUSTOMER", "mobile", "919800000001")
BEFORE = {"billId": 235, "billNumber": "bill-old-77", "purpose": "why"}


def update_entry(
    key: str = "NZVAt9",
    *,
    after: dict | None = None,
    before: dict | None = None,
    entity: Entity = ASHA,
    request_json: str | None = None,
) -> NewEntry:
    after = {"billNumber": "bill-new-77"} if after is None else after
    body = {"entity": entity.to_json(), "redemptionId": key, **after}
    return NewEntry(
        kind=EntryKind.UPDATE,
        profile="Demo",
        host="127.0.0.1",
        username="store.server",
        entity=entity,
        key=RedemptionKey(KeyKind.REDEMPTION_ID, key),
        before=BEFORE if before is None else before,
        after=after,
        request_json=json.dumps(body) if request_json is None else request_json,
    )


def lookup_entry(key: str = "NZVAt9") -> NewEntry:
    return NewEntry(
        kind=EntryKind.LOOKUP,
        profile="Demo",
        host="127.0.0.1",
        username="store.server",
        entity=ASHA,
        key=RedemptionKey(KeyKind.REDEMPTION_ID, key),
        before=None,
        after=None,
        request_json="GET /v1.1/customer/redemptions?mobile=919800000001",
    )


SUCCESS = Completion(Outcome.SUCCEEDED, 200, '{"id": 1}', duration_ms=12.5)
FAILURE = Completion(
    Outcome.FAILED,
    400,
    '{"errors": [{"code": 750, "message": "Redemption update failed"}]}',
    errors=(ApiMessage(750, "Redemption update failed : redemption already reversed"),),
    message="Redemption update failed",
)


def open_store(folder: Path, **options) -> HistoryStore:
    return HistoryStore.open(folder / "history.sqlite3", **options)
