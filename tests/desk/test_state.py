"""The desk's state machine without a window: every trust defect of issue 10, in milliseconds."""

from __future__ import annotations

from datetime import datetime

import pytest

from desktop_app.core.model import (
    ApiProblem,
    Entity,
    KeyKind,
    MetadataChange,
    ProblemKind,
    Redemption,
    RedemptionKey,
    UpdateResult,
)
from desktop_app.desk.outcomes import Baseline
from desktop_app.desk.session import Connection
from desktop_app.desk.state import (
    OUTCOME_UNKNOWN_LOCK,
    Corrections,
    DeskState,
    FormMode,
    Phase,
    Refusal,
    Request,
    SendPlan,
    Verdict,
)

HOST_A = Connection("A", "https://eu.api.example.com", "desk.till")
HOST_B = Connection("B", "https://in.api.example.com", "other.till")
ASHA = Entity("CUSTOMER", "mobile", "919800000001")
RAVI = Entity("CUSTOMER", "mobile", "919800000002")
NZV = RedemptionKey(KeyKind.REDEMPTION_ID, "NZVAt9")
OTHER = RedemptionKey(KeyKind.REDEMPTION_ID, "Other1")
FOUND = Redemption("NZVAt9", bill_id=1001, bill_number="bill-1", purpose="gift")
NOT_FOUND = ApiProblem(ProblemKind.NOT_FOUND, "Customer not found", http_status=200)
REJECTED = ApiProblem(ProblemKind.AUTH, "The till rejected the credentials.", http_status=401)
ODD_SUCCESS = ApiProblem(
    ProblemKind.UNKNOWN, "Capillary answered HTTP 200, but ...", 200, may_have_applied=True
)
NEW_NUMBER = Corrections(MetadataChange(bill_number="bill-2"), changed=True)


def at(hour: int, minute: int) -> DeskState:
    return DeskState(now=lambda: datetime(2026, 11, 27, hour, minute, 5))


def desk_on(connection: Connection = HOST_A) -> DeskState:
    desk = at(14, 16)
    desk.connection_changed(connection)
    desk.form_changed(ASHA, NZV, Corrections())
    return desk


def start_lookup(desk: DeskState) -> Request:
    request = desk.lookup_requested()
    assert isinstance(request, Request)
    assert desk.lookup_credentials_given(request)
    return request


def looked_up(desk: DeskState) -> DeskState:
    assert desk.lookup_answered(start_lookup(desk), FOUND, None) is Verdict.FOUND
    return desk


def start_send(desk: DeskState, corrections: Corrections = NEW_NUMBER) -> SendPlan:
    desk.form_changed(desk.entity, desk.key, corrections)
    plan = desk.send_requested()
    assert isinstance(plan, SendPlan), plan
    assert desk.send_confirmed(plan) is None
    assert desk.send_credentials_given(plan)
    return plan


def applied(raw: str = '{"billNumber": "bill-2"}') -> UpdateResult:
    return UpdateResult(bill_number="bill-2", redemption_id="NZVAt9", raw=raw)


# -- defect 1: a late answer crosses hosts -------------------------------------------------------
def test_a_lookup_answer_from_the_previous_host_is_dropped():
    desk = desk_on(HOST_A)
    request = start_lookup(desk)
    assert desk.busy

    desk.connection_changed(HOST_B)
    assert not desk.busy
    assert desk.lookup_answered(request, FOUND, None) is Verdict.DISCARDED
    assert desk.context is None
    assert desk.mode is FormMode.NEEDS_LOOKUP
    assert desk.send_blocker() == "Look the redemption up first, so its current values are known."


def test_values_found_on_one_host_are_forgotten_when_the_connection_changes():
    desk = looked_up(desk_on(HOST_A))
    desk.form_changed(ASHA, NZV, NEW_NUMBER)
    assert desk.send_blocker() is None

    desk.connection_changed(HOST_B)
    assert desk.baseline() is None
    assert desk.send_blocker() is not None


def test_an_update_answer_after_a_connection_change_is_titled_but_never_fills_the_form():
    desk = looked_up(desk_on(HOST_A))
    plan = start_send(desk)
    desk.connection_changed(HOST_B)

    assert desk.update_answered(plan, applied(), None) is Verdict.APPLIED
    assert desk.context is None  # B's form does not get A's values
    assert desk.answer is not None and "form changed" in desk.answer.note
    assert desk.answer.title.startswith("NZVAt9 · mobile 919800000001")


def test_a_review_confirmed_after_the_connection_changed_is_not_sent():
    desk = looked_up(desk_on(HOST_A))
    desk.form_changed(ASHA, NZV, NEW_NUMBER)
    plan = desk.send_requested()
    assert isinstance(plan, SendPlan)
    desk.connection_changed(HOST_B)

    refusal = desk.send_confirmed(plan)
    assert isinstance(refusal, Refusal)
    assert "connection changed" in refusal.reason
    assert desk.phase is Phase.IDLE


@pytest.mark.parametrize("step", ["credentials", "answer"])
def test_the_desk_is_busy_from_the_request_until_its_answer(step):
    desk = looked_up(desk_on())
    desk.form_changed(ASHA, NZV, NEW_NUMBER)
    plan = desk.send_requested()
    assert isinstance(plan, SendPlan)
    assert desk.send_confirmed(plan) is None
    assert desk.busy  # the profile switcher is disabled from here
    if step == "answer":
        desk.send_credentials_given(plan)
        assert desk.busy
        desk.update_answered(plan, applied(), None)
    else:
        desk.send_credentials_refused(plan, "No password was given, so nothing was sent.")
    assert not desk.busy


# -- defect 2: the answer panel says what it answers --------------------------------------------
def test_the_answer_is_titled_with_redemption_customer_time_and_outcome():
    desk = looked_up(desk_on())
    plan = start_send(desk)
    desk.update_answered(plan, applied(), None)
    assert desk.answer is not None
    assert desk.answer.title == "NZVAt9 · mobile 919800000001 · 14:16:05 — Update applied"


@pytest.mark.parametrize("what", ["new lookup", "failed lookup", "reopen"])
def test_the_answer_becomes_an_earlier_answer_when_the_desk_moves_on(what):
    desk = looked_up(desk_on())
    desk.update_answered(start_send(desk), applied(), None)
    desk.form_changed(ASHA, OTHER, Corrections())
    if what == "reopen":
        desk.reopen(ASHA, OTHER, {"purpose": "again"})
    else:
        request = start_lookup(desk)
        if what == "failed lookup":
            assert desk.lookup_answered(request, None, NOT_FOUND) is Verdict.FAILED
    assert desk.answer is not None and desk.answer.earlier
    assert desk.answer.title.startswith("Earlier answer: NZVAt9 · mobile 919800000001")


# -- defect 3: no other redemption's values after a failed lookup -------------------------------
def test_a_failed_lookup_leaves_no_values_of_another_redemption():
    desk = looked_up(desk_on())
    assert desk.baseline() == Baseline("1001", "bill-1", "gift")

    desk.form_changed(RAVI, OTHER, Corrections())
    request = start_lookup(desk)
    assert desk.lookup_answered(request, None, NOT_FOUND) is Verdict.FAILED
    assert desk.context is None
    assert desk.baseline() is None
    assert "Customer not found" in desk.failure
    desk.form_changed(ASHA, NZV, Corrections())  # back to the one found earlier
    assert desk.mode is FormMode.NEEDS_LOOKUP


# -- defect 4: why nothing happened stays said --------------------------------------------------
def test_after_a_rejected_password_and_cancel_the_desk_says_the_till_rejected_it():
    desk = desk_on()
    request = start_lookup(desk)
    assert desk.lookup_answered(request, None, REJECTED) is Verdict.REJECTED
    assert desk.phase is Phase.LOOKUP_CREDENTIALS

    desk.lookup_credentials_refused(request, "No password was given, so nothing was sent.")
    expected = "Lookup stopped: the till rejected the password for desk.till on eu.api.example.com"
    assert desk.stopped == expected
    assert desk.failure == expected
    assert not desk.busy


def test_after_a_rejected_password_and_cancel_the_update_says_the_till_rejected_it():
    desk = looked_up(desk_on())
    plan = start_send(desk)
    assert desk.update_answered(plan, None, REJECTED) is Verdict.REJECTED
    desk.send_credentials_refused(plan, "No password was given, so nothing was sent.")
    assert desk.stopped == (
        "Update not sent: the till rejected the password for desk.till on eu.api.example.com"
    )
    assert not desk.busy


def test_a_cancel_without_a_rejection_says_no_password_was_given():
    desk = desk_on()
    request = desk.lookup_requested()
    assert isinstance(request, Request)
    desk.lookup_credentials_refused(request, "No password was given, so nothing was sent.")
    assert desk.stopped == "Lookup stopped: No password was given, so nothing was sent."


# -- defect 5: a 2xx that is not the expected object --------------------------------------------
def test_an_unexpected_success_locks_send_until_a_fresh_lookup():
    desk = looked_up(desk_on())
    plan = start_send(desk)
    assert desk.update_answered(plan, None, ODD_SUCCESS) is Verdict.OUTCOME_UNKNOWN
    assert desk.answer is not None and desk.answer.headline == "Outcome unknown"

    desk.form_changed(ASHA, NZV, Corrections(MetadataChange(purpose="retry"), changed=True))
    assert desk.send_blocker() == OUTCOME_UNKNOWN_LOCK
    assert isinstance(desk.send_requested(), Refusal)

    looked_up(desk)
    desk.form_changed(ASHA, NZV, NEW_NUMBER)
    assert desk.send_blocker() is None


def test_stopping_the_wait_for_an_update_also_locks_send():
    desk = looked_up(desk_on())
    start_send(desk)
    assert desk.stop_waiting() is Phase.SENDING
    desk.form_changed(ASHA, NZV, NEW_NUMBER)
    assert desk.send_blocker() == OUTCOME_UNKNOWN_LOCK


# -- defect 6: after a send the form says what was applied --------------------------------------
def test_after_a_successful_send_the_form_says_what_was_applied_and_when():
    desk = looked_up(desk_on())
    plan = start_send(desk)
    assert desk.update_answered(plan, applied(), None) is Verdict.APPLIED
    desk.form_changed(ASHA, NZV, Corrections(MetadataChange(), changed=False))

    reason = desk.send_blocker()
    assert reason is not None
    assert reason.startswith("Update applied at 14:16:05 (bill number bill-2).")
    assert "Nothing changed yet" not in reason
    assert desk.baseline() == Baseline("1001", "bill-2", "gift")


# -- the token ----------------------------------------------------------------------------------
def test_a_lookup_answer_after_the_form_changed_is_not_applied():
    desk = desk_on()
    request = start_lookup(desk)
    desk.form_changed(ASHA, OTHER, Corrections())
    assert desk.lookup_answered(request, FOUND, None) is Verdict.NOT_APPLIED
    assert desk.context is None


def test_the_token_moves_on_every_change_of_form_and_connection():
    desk = desk_on()
    seen = {desk.token}
    desk.form_changed(ASHA, NZV, NEW_NUMBER)
    seen.add(desk.token)
    desk.connection_changed(HOST_B)
    seen.add(desk.token)
    desk.connection_changed(HOST_B)
    seen.add(desk.token)
    assert len(seen) == 4


def test_a_lookup_waits_for_the_demo_sandbox_and_starts_when_it_is_up():
    desk = at(9, 0)
    desk.connection_changed(Connection.demo_starting("Demo"))
    desk.form_changed(ASHA, NZV, Corrections())
    assert desk.lookup_requested() is None
    assert desk.phase is Phase.WAITING_FOR_SANDBOX
    assert desk.connection_changed(Connection("Demo", "http://127.0.0.1:9", "t", "digest"))
    assert isinstance(desk.lookup_requested(), Request)
