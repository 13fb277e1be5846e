"""Turning Capillary's HTTP replies into typed results or ApiProblems (CAPILLARY_API.md §2, §4)."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desktop_app.core import responses
from desktop_app.core.model import ApiFailure, ApiProblem, ProblemKind, UpdateResult

RAW_KEPT_CHARS = 20_000


@dataclass(frozen=True)
class Reply:
    status: int
    text: str
    headers: Mapping[str, str]


def update_outcome(reply: Reply) -> UpdateResult:
    data = responses.load_json(reply.text)
    errors = responses.parse_messages(data.get("errors")) if isinstance(data, dict) else ()
    if reply.status == 200 and isinstance(data, dict) and not errors:
        return responses.parse_update_result(data, reply.status, reply.text)
    if 200 <= reply.status < 300 and not errors:
        # A success status says the server took the request; only the answer it documents (a
        # 200 with a JSON object) says what it did with it.
        raise ApiFailure(
            ApiProblem(
                ProblemKind.UNKNOWN,
                f"Capillary answered HTTP {reply.status}, but {_shape_of(reply.text, data)}, so "
                "the desk cannot tell whether the update was applied. Look the redemption up to "
                "check.",
                http_status=reply.status,
                raw=reply.text[:RAW_KEPT_CHARS],
                may_have_applied=True,
            )
        )
    raise ApiFailure(http_problem(reply, is_write=True, data=data))


def _shape_of(text: str, data: object) -> str:
    if not text.strip():
        return "the body is empty"
    if data is None:
        return "the body is not JSON"
    if isinstance(data, list):
        return "the body is a JSON list, not the updated redemption"
    if isinstance(data, dict):
        return "not with the documented answer (HTTP 200 and the updated redemption)"
    return "the body is a bare JSON value, not the updated redemption"


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    seconds = responses.as_float(value)
    if seconds is not None:
        return max(0.0, seconds)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


_KIND_BY_CODE = {
    748: ProblemKind.VALIDATION,
    749: ProblemKind.VALIDATION,
    750: ProblemKind.VALIDATION,
    1219: ProblemKind.VALIDATION,
    1212: ProblemKind.VALIDATION,
    400: ProblemKind.VALIDATION,
    8015: ProblemKind.NOT_FOUND,
    1012: ProblemKind.NOT_FOUND,
    4000: ProblemKind.ACCESS,
    4001: ProblemKind.SERVER,
    521: ProblemKind.RATE_LIMITED,
}
_KIND_BY_STATUS = {
    401: ProblemKind.AUTH,
    403: ProblemKind.ACCESS,
    404: ProblemKind.NOT_FOUND,
    429: ProblemKind.RATE_LIMITED,
}


_NOT_READ = object()


def http_problem(reply: Reply, *, is_write: bool, data: Any = _NOT_READ) -> ApiProblem:
    """`data`: the body as load_json decoded it, when the caller has already (a 4 MB body is
    decoded once)."""
    if data is _NOT_READ:
        data = responses.load_json(reply.text)
    errors = responses.parse_messages(data.get("errors")) if isinstance(data, dict) else ()
    warnings = responses.parse_messages(data.get("warnings")) if isinstance(data, dict) else ()
    code = next((e.code for e in errors if e.code is not None), None)
    if code is None and reply.status == 401:
        code = responses.xml_code(reply.text)
    message = responses.text_message(reply.text, data) or f"HTTP {reply.status}"
    kind = (_KIND_BY_CODE.get(code) if code is not None else None) or _KIND_BY_STATUS.get(
        reply.status
    )
    if kind is None:
        kind = ProblemKind.SERVER if reply.status >= 500 else ProblemKind.UNKNOWN
    if reply.status == 401:
        kind = ProblemKind.AUTH
        message = f"The till rejected the credentials ({message})."
    # A gateway error or a server crash says nothing about whether the PUT was applied; a coded
    # v2 error (including 4001, raised before the update runs) means it was not. A success status
    # without the documented answer never gets here: update_outcome calls it outcome unknown.
    unknown_outcome = is_write and reply.status >= 500 and not errors
    return ApiProblem(
        kind,
        message,
        code if code is not None else None,
        reply.status,
        reply.text[:RAW_KEPT_CHARS],
        errors,
        warnings,
        _retry_after_seconds(reply.headers.get("Retry-After")),
        may_have_applied=unknown_outcome,
    )
