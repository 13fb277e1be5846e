"""Finished history entries as a desk records them, for the team tests."""

from __future__ import annotations

from desktop_app.core.history import (
    BatchTag,
    Completion,
    EntryKind,
    HistoryStore,
    NewEntry,
    Outcome,
)
from desktop_app.core.model import Entity, KeyKind, MetadataChange, RedemptionKey
from desktop_app.core.update_request import build_update_body, dumps_body

ASHA = Entity("CUSTOMER", "mobile", "919800000001")


def record_updates(
    store: HistoryStore, count: int, *, prefix: str = "bill", batch_file: str | None = None
) -> list[str]:
    """`count` finished updates (pending, then completed, as a desk writes them); their UUIDs.
    With `batch_file`, they are the rows of that batch file."""
    uuids = []
    for number in range(count):
        key = RedemptionKey(KeyKind.REDEMPTION_ID, f"R{number:05d}")
        change = MetadataChange(bill_number=f"{prefix}-new-{number}")
        entry = NewEntry(
            kind=EntryKind.UPDATE,
            profile="Europe",
            host="eu.api.capillarytech.com",
            username="store.server",
            entity=ASHA,
            key=key,
            before={"billId": 235, "billNumber": f"{prefix}-old-{number}", "purpose": "why"},
            after=change.to_json(),
            request_json=dumps_body(build_update_body(ASHA, key, change)),
            batch=BatchTag(batch_file, "ab" * 32, number + 1) if batch_file else None,
        )
        entry_id = store.add_pending(entry)
        store.complete(
            entry_id,
            Completion(Outcome.SUCCEEDED, 200, '{"status":{"success":true}}', duration_ms=12.5),
        )
        uuids.append(entry.uuid)
    return uuids
