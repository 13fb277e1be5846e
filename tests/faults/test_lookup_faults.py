"""A lookup the server fails: the agent reads why under the summary, the history records a
failed lookup, and the next lookup in the same window works."""

from __future__ import annotations

import pytest

from desktop_app.core.history import Outcome
from tests.faults.flows import ASHA_MOBILE, newest_entry, still_works


@pytest.mark.parametrize(
    ("fault", "params", "says"),
    [
        ("html_500", {}, "500 Server Error"),
        ("malformed_json", {}, "not in the expected shape"),
        ("unavailable_4001", {}, "4001"),
        ("huge_body", {"megabytes": 20}, "larger than 4 MB"),
        ("drop_connection", {}, "connection broke"),
        ("delay", {"seconds": 3.0}, "did not answer in time"),
    ],
)
def test_a_failed_lookup_is_explained_recorded_and_the_desk_goes_on(desk, fault, params, says):
    desk.sandbox.set_fault(fault, endpoint="lookup", times=1, **params)
    desk.fill_lookup(ASHA_MOBILE, "NZVAt9")
    desk.click(desk.find("lookupButton"))
    desk.answer_credentials()
    desk.wait_idle()
    assert says in desk.label("summaryMessage"), desk.label("summaryMessage")
    entry = newest_entry(desk)
    assert (entry.kind, entry.outcome) == ("lookup", Outcome.FAILED)
    assert sum(r.method == "GET" for r in desk.sandbox.received) == 1
    still_works(desk)  # the password typed for the failed lookup is still held
