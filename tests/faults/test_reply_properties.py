"""Whole update replies — any status, any body, any Retry-After — end as a result or an
ApiFailure, never another exception. (tests/core/test_properties.py covers the parsers piece by
piece; this drives the path a real reply takes, headers included, 5,000 times.)"""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.api_problems import Reply, update_outcome
from desktop_app.core.model import ApiFailure, UpdateResult

statuses = st.sampled_from([200, 400, 401, 403, 429, 500, 503, 521]) | st.integers(100, 599)
json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["errors", "warnings", "code", "message", "billId", "id"])
            | st.text(max_size=5),
            inner,
            max_size=4,
        )
    ),
    max_leaves=8,
)
bodies = st.text(max_size=80) | json_like.map(json.dumps)
retry_after = (
    st.none()
    | st.text(max_size=12)
    | st.datetimes().map(lambda moment: moment.strftime("%a, %d %b %Y %H:%M:%S GMT"))
)


@given(statuses, bodies, retry_after)
def test_any_update_reply_becomes_a_result_or_an_api_failure(status, body, wait):
    headers = {} if wait is None else {"Retry-After": wait}
    try:
        result = update_outcome(Reply(status, body, headers))
    except ApiFailure as failure:
        problem = failure.problem
        assert problem.message and problem.http_status == status
        assert problem.retry_after_seconds is None or problem.retry_after_seconds >= 0
    else:
        assert isinstance(result, UpdateResult) and status == 200
