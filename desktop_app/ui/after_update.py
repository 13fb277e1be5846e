"""What the redemption looks like after a successful update, for the summary and the form.

The response's own values win; a field the response left out keeps what was sent, or what the
lookup found.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from desktop_app.core.model import MetadataChange, Redemption, UpdateResult
from desktop_app.ui.edit_form import Baseline


def _keys_in(raw: str) -> set[str]:
    try:
        data = json.loads(raw)
    except (ValueError, TypeError):
        return set()
    return set(data) if isinstance(data, dict) else set()


def redemption_after_update(
    previous: Redemption | None, result: UpdateResult, sent: MetadataChange, redemption_id: str
) -> Redemption:
    present = _keys_in(result.raw)
    base = previous or Redemption(redemption_id=result.redemption_id or redemption_id)

    def pick(key: str, received: Any, fallback: Any) -> Any:
        return received if key in present else fallback

    def sent_or(value: Any, fallback: Any) -> Any:
        return value if value is not None else fallback

    return replace(
        base,
        redemption_id=result.redemption_id or base.redemption_id,
        external_reference=pick(
            "externalReferenceNumber", result.external_reference, base.external_reference
        ),
        bill_id=pick("billId", result.bill_id, sent_or(sent.bill_id, base.bill_id)),
        bill_number=pick(
            "billNumber", result.bill_number, sent_or(sent.bill_number, base.bill_number)
        ),
        purpose=pick(
            "redemptionPurpose", result.redemption_purpose, sent_or(sent.purpose, base.purpose)
        ),
        notes=pick("notes", result.notes, base.notes),
        points=pick("pointsRedeemed", result.points_redeemed, base.points),
        program_id=pick("programId", result.program_id, base.program_id),
        redeemed_time=base.redeemed_time or result.redemption_date,
        till=result.till_name or base.till,  # an answer with an empty till name forgets none
        validation_code=pick("validationCode", result.validation_code, base.validation_code),
        custom_fields=pick("customFields", result.custom_fields, base.custom_fields),
    )


def baseline_of(redemption: Redemption) -> Baseline:
    return Baseline(
        bill_id="" if redemption.bill_id is None else str(redemption.bill_id),
        bill_number=redemption.bill_number,
        purpose=redemption.purpose,
    )
