"""What a lookup or an update answer means for the form: current values, fields concerned, words.

After a successful update the response's own values win; a field the response left out keeps
what was sent, or what the lookup found.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import TypeVar

from desktop_app.core.model import (
    ApiProblem,
    Entity,
    MetadataChange,
    ProblemKind,
    Redemption,
    UpdateResult,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Baseline:
    """The current values as text, as the fields show them (bill ID "" when not set)."""

    bill_id: str
    bill_number: str
    purpose: str

    def text(self, name: str) -> str:
        return {"billId": self.bill_id, "billNumber": self.bill_number, "purpose": self.purpose}[
            name
        ]


def baseline_of(redemption: Redemption) -> Baseline:
    return Baseline(
        bill_id="" if redemption.bill_id is None else str(redemption.bill_id),
        bill_number=redemption.bill_number,
        purpose=redemption.purpose,
    )


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

    def pick(key: str, received: T, fallback: T) -> T:
        return received if key in present else fallback

    def sent_or(value: T | None, fallback: T) -> T:
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


def no_lookup_reason(entity: Entity) -> str:
    if entity.type != "CUSTOMER":
        return (
            f"Capillary has no lookup for a {entity.type} entity: the current values are unknown. "
            "You can still send a correction: every field you fill in below is sent."
        )
    return (
        "Capillary has no lookup by card identifiers: the current values are unknown. "
        "You can still send a correction: every field you fill in below is sent."
    )


def problem_fields(problem: ApiProblem) -> tuple[str, ...]:
    """The form fields an error concerns, from the catalogue (or the problem's kind)."""
    from desktop_app.core.error_catalogue import explain  # a lookup's or a send's, not start-up's

    fields: set[str] = set()
    for code in problem.codes:
        fields.update(explain(code, problem.message).fields)
    if not fields and problem.kind is ProblemKind.NOT_FOUND:
        fields.add("redemptionKey")
    if problem.kind is ProblemKind.AUTH:
        fields.add("credentials")
    return tuple(sorted(fields))


def retry_after_text(seconds: float | None) -> str:
    """The server's Retry-After in words, or "" when it gave none."""
    if seconds is None:
        return ""
    return f" Capillary asks to wait {max(1, round(seconds))} s before sending again."


def lookup_failure_text(problem: ApiProblem) -> str:
    from desktop_app.core.error_catalogue import explain

    wait = retry_after_text(problem.retry_after_seconds)
    if problem.code is not None:
        explanation = explain(problem.code, problem.message)
        return (
            f"{explanation.title} ({problem.code}: {problem.message}). {explanation.action}{wait}"
        )
    return problem.message + wait
