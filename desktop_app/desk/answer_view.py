"""What the response panel shows of an update's answer, prepared on the worker that made the call.

Parsing a 4 MB body into the Fields table takes about 100 ms: done here, the UI thread only puts
the prepared rows and texts into its widgets.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.core.model import ApiMessage, ApiProblem, UpdateResult
from desktop_app.desk.response_rows import Row, response_rows

# A table row per message: a reply with 100,000 warnings would hold the window for seconds.
SHOWN_MESSAGES = 200
# The Fields table's row for a body that is not JSON shows this much of it (Raw shows it all).
BODY_ROW_CHARS = 2000


@dataclass(frozen=True)
class PreparedAnswer:
    """Plain data for every part of the panel that depends on the answer's body."""

    fields: tuple[tuple[str, str, str], ...]  # label, value, meaning
    raw_response: str
    error_rows: tuple[tuple[str, str, str], ...] = ()  # code, what it means, server message
    # One paragraph of advice per distinct error, in order (the banner shows the first).
    error_advice: tuple[str, ...] = ()
    warning_rows: tuple[tuple[str, str], ...] = ()  # code, warning
    warning_count: int = 0


def message_line(message: ApiMessage) -> str:
    return f"{message.code}: {message.message}" if message.code is not None else message.message


def problem_messages(problem: ApiProblem) -> tuple[ApiMessage, ...]:
    if problem.errors:
        return problem.errors
    return (ApiMessage(problem.code, problem.message),) if problem.code is not None else ()


def more_messages_text(count: int, what: str) -> str:
    return f"{count:,} more {what}: the Raw tab and History keep them all."


def prepare_success(result: UpdateResult) -> PreparedAnswer:
    return _prepared(result.http_status, result.raw, (), result.warnings)


def prepare_failure(problem: ApiProblem) -> PreparedAnswer:
    return _prepared(problem.http_status, problem.raw, problem_messages(problem), problem.warnings)


def _prepared(
    http_status: int | None,
    body: str,
    errors: tuple[ApiMessage, ...],
    warnings: tuple[ApiMessage, ...],
) -> PreparedAnswer:
    error_rows, advice = _error_rows(errors)
    return PreparedAnswer(
        fields=_field_rows(http_status, body),
        raw_response=body or "(no response body)",
        error_rows=error_rows,
        error_advice=advice,
        warning_rows=_warning_rows(warnings),
        warning_count=len(warnings),
    )


def _field_rows(http_status: int | None, body: str) -> tuple[tuple[str, str, str], ...]:
    rows = [Row("httpStatus", "HTTP status", "—" if http_status is None else str(http_status))]
    parsed = response_rows(body)
    if parsed is not None:
        rows += parsed
    elif body:
        rows.append(Row("body", "Body (not JSON)", body[:BODY_ROW_CHARS]))
    return tuple((row.label, row.value, row.meaning) for row in rows)


def _error_rows(
    errors: tuple[ApiMessage, ...],
) -> tuple[tuple[tuple[str, str, str], ...], tuple[str, ...]]:
    from desktop_app.core.error_catalogue import explain

    rows: list[tuple[str, str, str]] = []
    advice: list[str] = []
    for message in errors[:SHOWN_MESSAGES]:
        explanation = explain(message.code, message.message)
        code = "" if message.code is None else str(message.code)
        rows.append((code, explanation.title, message.message))
        paragraph = f"{explanation.title}. {explanation.explanation} {explanation.action}"
        if paragraph not in advice:
            advice.append(paragraph)
    if len(errors) > SHOWN_MESSAGES:
        rows.append(("…", "", more_messages_text(len(errors) - SHOWN_MESSAGES, "errors")))
    return tuple(rows), tuple(advice)


def _warning_rows(warnings: tuple[ApiMessage, ...]) -> tuple[tuple[str, str], ...]:
    rows = [("" if w.code is None else str(w.code), w.message) for w in warnings[:SHOWN_MESSAGES]]
    if len(warnings) > SHOWN_MESSAGES:
        rows.append(("…", more_messages_text(len(warnings) - SHOWN_MESSAGES, "warnings")))
    return tuple(rows)
