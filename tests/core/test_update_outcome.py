"""A 2xx answer to the update that is not the documented JSON object may still mean it was
applied: it is an unknown outcome, never a plain failure."""

from __future__ import annotations

import pytest

from desktop_app.core.api_problems import Reply, update_outcome
from desktop_app.core.model import ApiFailure, ProblemKind


@pytest.mark.parametrize(
    ("status", "body", "words"),
    [
        (200, "[]", "a JSON list"),
        (200, '"ok"', "a bare JSON value"),
        (200, "", "the body is empty"),
        (200, "<html>", "not JSON"),
        (201, "{}", "documented answer"),
        (204, "", "the body is empty"),
    ],
)
def test_an_unexpected_success_is_an_unknown_outcome(status, body, words):
    with pytest.raises(ApiFailure) as failure:
        update_outcome(Reply(status, body, {}))
    problem = failure.value.problem
    assert problem.may_have_applied
    assert problem.kind is ProblemKind.UNKNOWN
    assert problem.http_status == status
    assert words in problem.message
    assert f"HTTP {status}" in problem.message


def test_a_success_status_carrying_errors_is_a_failure_that_was_not_applied():
    body = '{"errors": [{"code": 750, "message": "points ledger is locked"}]}'
    with pytest.raises(ApiFailure) as failure:
        update_outcome(Reply(201, body, {}))
    assert not failure.value.problem.may_have_applied
    assert failure.value.problem.code == 750
