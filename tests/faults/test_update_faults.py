"""Every way the server can fail an update, through the window: what the agent reads, what the
history records (failed, or outcome unknown when the PUT may have been applied), that the PUT
was sent exactly once, and that the same window then works normally."""

from __future__ import annotations

import pytest

from desktop_app.core.history import Outcome
from tests.faults.flows import look_up_and_edit, newest_entry, still_works

UNKNOWN_HEADLINE = "Outcome unknown — the update may have been applied"

# fault, its parameters, what the banner says, what bannerDetail says, the history outcome
CASES = [
    pytest.param("html_500", {}, UNKNOWN_HEADLINE, "HTTP 500", Outcome.UNKNOWN, id="500-html"),
    pytest.param(
        "malformed_json", {}, UNKNOWN_HEADLINE, "body is not JSON", Outcome.UNKNOWN, id="bad-json"
    ),
    pytest.param(
        "forbidden_4000",
        {},
        "Update failed — 4000: Not authorized. Access is denied!",
        "HTTP 403",
        Outcome.FAILED,
        id="403-4000",
    ),
    pytest.param(
        "unavailable_4001",
        {},
        "Update failed — 4001: Authorization service is unavailable, try again later",
        "HTTP 503",
        Outcome.FAILED,
        id="503-4001",
    ),
    pytest.param(
        "rate_limited",
        {"retry_after": 7},
        "Update failed — 429: Too many requests",
        "HTTP 429",
        Outcome.FAILED,
        id="429",
    ),
    pytest.param(
        "busy_521",
        {},
        "Update failed — 521: Another action is running for the same customer, retry shortly",
        "HTTP 400",
        Outcome.FAILED,
        id="521",
    ),
    pytest.param(
        "huge_body",
        {"megabytes": 20},
        UNKNOWN_HEADLINE,
        "larger than 4 MB",
        Outcome.UNKNOWN,
        id="20MB-body",
    ),
    pytest.param(
        "drop_connection",
        {},
        UNKNOWN_HEADLINE,
        "connection broke before Capillary's answer arrived",
        Outcome.UNKNOWN,
        id="dropped-mid-response",
    ),
    pytest.param(
        "delay",
        {"seconds": 3.0},
        UNKNOWN_HEADLINE,
        "did not answer in time",
        Outcome.UNKNOWN,
        id="read-timeout",
    ),
    pytest.param(
        # The head comes in within the deadline; the body would take seconds more.
        "slow_drip",
        {"seconds_per_byte": 0.004},
        UNKNOWN_HEADLINE,
        "overall time limit",
        Outcome.UNKNOWN,
        id="slow-drip",
    ),
    # A success status with a body that is not the updated redemption: the server took the
    # request, so it may have applied it.
    pytest.param(
        "odd_success",
        {"status": 200, "body": "[]"},
        UNKNOWN_HEADLINE,
        "a JSON list",
        Outcome.UNKNOWN,
        id="200-list",
    ),
    pytest.param(
        "odd_success",
        {"status": 200, "body": '"ok"'},
        UNKNOWN_HEADLINE,
        "bare JSON value",
        Outcome.UNKNOWN,
        id="200-string",
    ),
    pytest.param(
        "odd_success",
        {"status": 201, "body": "{}"},
        UNKNOWN_HEADLINE,
        "HTTP 201",
        Outcome.UNKNOWN,
        id="201",
    ),
    pytest.param(
        "odd_success",
        {"status": 204, "body": ""},
        UNKNOWN_HEADLINE,
        "body is empty",
        Outcome.UNKNOWN,
        id="204",
    ),
]


@pytest.mark.parametrize(("fault", "params", "headline", "detail", "outcome"), CASES)
def test_a_failed_update_is_explained_recorded_sent_once_and_the_desk_goes_on(
    desk, fault, params, headline, detail, outcome
):
    look_up_and_edit(desk)
    desk.sandbox.set_fault(fault, endpoint="update", times=1, **params)
    desk.send()

    assert desk.banner.startswith(headline), desk.banner
    assert detail in desk.label("bannerDetail"), desk.label("bannerDetail")
    entry = newest_entry(desk)
    assert (entry.kind, entry.outcome) == ("update", outcome)
    assert entry.after == {"billNumber": "bill-fault"}
    assert desk.sandbox.update_count == 1  # never re-sent by itself
    if outcome is Outcome.UNKNOWN:
        # The values on screen may be stale now: a fresh lookup comes before any new send.
        assert not desk.send_button.isEnabled()
    else:
        assert desk.edit("billNumberEdit").text() == "bill-fault"  # the edit waits for a retry

    still_works(desk)


def test_a_200_carrying_errors_is_a_recorded_failure(desk):
    look_up_and_edit(desk, key="ErR200")
    desk.send()
    assert desk.banner.startswith("Update failed"), desk.banner
    assert newest_entry(desk).outcome is Outcome.FAILED
    assert desk.sandbox.update_count == 1
    still_works(desk)


def test_401_with_xml_asks_again_and_sends_only_when_the_agent_confirms(desk):
    look_up_and_edit(desk)
    desk.sandbox.set_fault("xml_401", endpoint="update", times=1)
    desk.confirm(desk.open_confirm())
    dialog = desk.wait_dialog("credentialsDialog")
    assert "rejected" in desk.banner
    assert newest_entry(desk).outcome is Outcome.FAILED
    assert desk.sandbox.update_count == 1  # the dialog waits: nothing re-sent meanwhile
    assert dialog.isVisible()

    desk.answer_credentials()
    desk.wait_idle()
    assert desk.banner == "Update applied"
    assert desk.sandbox.update_count == 2  # the agent's second go
    still_works(desk)


def test_429_tells_the_agent_how_long_to_wait(desk):
    look_up_and_edit(desk)
    desk.sandbox.set_fault("rate_limited", endpoint="update", times=1, retry_after=7)
    desk.send()
    shown = desk.banner + " " + desk.label("bannerDetail")
    assert "7 s" in shown or "7 seconds" in shown, shown
