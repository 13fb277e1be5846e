"""The answer the response panel shows is prepared off the UI thread, from any body the client
lets through: 4 MB of the worst shapes end in plain rows and texts, never an exception."""

from __future__ import annotations

import json

import pytest

from desktop_app.core.model import ApiMessage, ApiProblem, ProblemKind, UpdateResult
from desktop_app.desk.answer_view import (
    SHOWN_MESSAGES,
    prepare_failure,
    prepare_success,
)
from tests.hostile_bodies import CLIENT_CAP_BYTES, SHAPES


@pytest.mark.parametrize("shape", ["deep JSON arrays", "deep JSON objects", "repeated open tags"])
def test_a_4_mb_hostile_body_is_prepared_as_one_plain_body_row(shape):
    body = SHAPES[shape](CLIENT_CAP_BYTES)
    problem = ApiProblem(ProblemKind.UNKNOWN, "unreadable", http_status=200, raw=body)

    answer = prepare_failure(problem)

    assert answer.fields[0] == ("HTTP status", "200", "")
    assert answer.fields[1][0] == "Body (not JSON)"
    assert answer.fields[1][1] == body[:2000]
    assert answer.raw_response == body  # Raw shows the whole body, as received


def test_a_4_mb_json_answer_becomes_field_rows_and_warning_rows():
    warnings = tuple(ApiMessage(1301, f"warning {n}") for n in range(100_000))
    body = json.dumps(
        {"billId": -1, "notes": "n" * (CLIENT_CAP_BYTES - 100), "warnings": [{"code": 1301}]}
    )
    result = UpdateResult(http_status=200, warnings=warnings, raw=body)

    answer = prepare_success(result)

    fields = {label: (value, meaning) for label, value, meaning in answer.fields}
    assert fields["HTTP status"] == ("200", "")
    assert fields["Bill ID"] == ("-1", "not set")
    assert len(fields["Notes"][0]) == CLIENT_CAP_BYTES - 100
    assert "warnings" not in fields  # shown in their own list
    assert answer.warning_count == 100_000
    assert len(answer.warning_rows) == SHOWN_MESSAGES + 1
    assert answer.warning_rows[-1][0] == "…"
    assert answer.warning_rows[-1][1].startswith("99,800 more warnings")


def test_errors_are_explained_once_each_and_an_empty_body_says_so():
    errors = (ApiMessage(750, "ledger locked"), ApiMessage(750, "ledger locked"))
    problem = ApiProblem(ProblemKind.VALIDATION, "failed", http_status=400, errors=errors)

    answer = prepare_failure(problem)

    assert [row[0] for row in answer.error_rows] == ["750", "750"]
    assert len(answer.error_advice) == 1
    assert answer.raw_response == "(no response body)"
    assert answer.fields == (("HTTP status", "400", ""),)
