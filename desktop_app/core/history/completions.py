"""How a finished call becomes a Completion, so every caller records outcomes the same way.

A failure whose request may have reached the server (`ApiProblem.may_have_applied`) is
"outcome unknown", never "failed": the agent must verify before sending again.
"""

from __future__ import annotations

from desktop_app.core.history.entries import Completion, Outcome, redemption_values
from desktop_app.core.model import ApiMessage, ApiProblem, Redemption, UpdateResult


def update_succeeded(result: UpdateResult, duration_ms: float = 0.0) -> Completion:
    return Completion(
        outcome=Outcome.SUCCEEDED,
        http_status=result.http_status,
        response_json=result.raw,
        warnings=result.warnings,
        duration_ms=duration_ms,
    )


def lookup_succeeded(redemption: Redemption, duration_ms: float = 0.0) -> Completion:
    return Completion(
        outcome=Outcome.SUCCEEDED,
        http_status=200,
        response_json="",
        duration_ms=duration_ms,
        found=redemption_values(redemption),
    )


def call_failed(problem: ApiProblem, duration_ms: float = 0.0) -> Completion:
    errors = problem.errors
    if not errors and problem.code is not None:
        errors = (ApiMessage(problem.code, problem.message),)
    return Completion(
        outcome=Outcome.UNKNOWN if problem.may_have_applied else Outcome.FAILED,
        http_status=problem.http_status,
        response_json=problem.raw,
        warnings=problem.warnings,
        errors=errors,
        duration_ms=duration_ms,
        message=problem.message,
    )
