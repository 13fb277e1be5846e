"""What the agent sees is about what is on screen (issue 10's defects, through the window)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QApplication, QComboBox, QLabel

from desktop_app.core.history import EntryKind, HistoryQuery, Outcome
from desktop_app.core.model import Entity, KeyKind, RedemptionKey
from desktop_app.core.profiles import Profile, ProfilesState, ProfileStore
from desktop_app.desk.session import Connection
from desktop_app.desk.state import OUTCOME_UNKNOWN_LOCK
from desktop_app.sandbox import DEMO_USERNAME, Sandbox
from tests.ui.driver import PASSWORD, Desk

ASHA = "919800000001"
NOBODY = "919899999999"
TITLE = re.compile(r"^NZVAt9 · mobile 919800000001 · \d\d:\d\d:\d\d — Update applied$")


@pytest.fixture
def second_sandbox():
    with Sandbox() as server:
        yield server


@pytest.fixture
def two_profiles(open_desk, sandbox, second_sandbox, tmp_path) -> Desk:
    """The desk on profile First (the sandbox), with Second (another sandbox) to switch to."""
    first = Profile("First", sandbox.base_url, DEMO_USERNAME)
    second = Profile("Second", second_sandbox.base_url, DEMO_USERNAME)
    store = ProfileStore(tmp_path / "profiles.json")
    assert store.save(ProfilesState((first, second), "First")) is None
    return open_desk(connect=False)


def switcher(desk: Desk) -> QComboBox:
    return desk.find("profileSwitcher", QComboBox)


def switch_to_second(desk: Desk) -> None:
    """What choosing Second does, by whatever path: the window's connection changes."""
    second = switcher(desk).itemData(1)
    desk.window.set_connection(Connection(second.name, second.base_url, second.username))


def drain(desk: Desk) -> None:
    assert desk.window.runner.wait_for_all(10000)
    QApplication.processEvents()  # delivers any late answer's queued signal


def summary_value(desk: Desk, suffix: str) -> str:
    """A value the summary shows ("" when it shows no redemption)."""
    label = desk.window.findChild(QLabel, f"summary{suffix}")
    return label.text() if label is not None and label.isVisible() else ""


def entries(desk: Desk):
    return list(desk.window.services.history().iter_entries(HistoryQuery()))


# -- defect 1 -------------------------------------------------------------------------------------
def test_switching_profile_mid_lookup_is_refused_and_a_late_answer_is_dropped(
    two_profiles, sandbox
):
    desk = two_profiles
    assert switcher(desk).isEnabled()
    sandbox.set_fault("delay", endpoint="lookup", seconds=0.6, times=1)
    desk.fill_lookup(ASHA, "NZVAt9")
    desk.click(desk.find("lookupButton"))
    desk.answer_credentials()
    desk.qtbot.waitUntil(lambda: desk.find("stopButton").isVisible())
    assert not switcher(desk).isEnabled()
    assert not desk.window.profiles_action.isEnabled()

    switch_to_second(desk)
    assert desk.label("connectionState") == "Lookup dropped: the connection changed"
    drain(desk)
    assert len(sandbox.received) == 1  # the lookup did reach First...
    assert summary_value(desk, "RedemptionId") != "NZVAt9"  # ...but its answer is not used
    assert desk.edit("billNumberEdit").text() == ""
    assert not desk.send_button.isEnabled()
    assert switcher(desk).isEnabled()


def test_switching_profile_mid_update_is_refused_and_the_answer_stays_with_its_host(
    two_profiles, sandbox
):
    desk = two_profiles
    desk.look_up(ASHA, "NZVAt9", password=PASSWORD)
    sandbox.set_fault("delay", endpoint="update", seconds=0.6, times=1)
    desk.type("billNumberEdit", "bill-for-first")
    desk.confirm(desk.open_confirm())
    desk.qtbot.waitUntil(lambda: desk.find("stopButton").isVisible())
    assert not switcher(desk).isEnabled()

    switch_to_second(desk)
    desk.qtbot.waitUntil(lambda: desk.banner == "Update applied", timeout=10000)
    assert TITLE.match(desk.label("answerTitle")), desk.label("answerTitle")
    assert "form changed" in desk.label("bannerDetail")
    assert summary_value(desk, "BillNumber") != "bill-for-first"  # Second's form is not filled
    assert not desk.send_button.isEnabled()


# -- defect 2 -------------------------------------------------------------------------------------
def send_new_bill_number(desk: Desk) -> None:
    desk.look_up(ASHA, "NZVAt9", password=PASSWORD)
    desk.type("billNumberEdit", "bill-titled")
    desk.send()
    assert desk.banner == "Update applied"
    assert TITLE.match(desk.label("answerTitle")), desk.label("answerTitle")


def assert_earlier(desk: Desk) -> None:
    assert desk.label("answerTitle").startswith("Earlier answer: NZVAt9 · mobile 919800000001")
    assert desk.banner.startswith("Earlier answer")
    assert desk.find("bannerFrame").property("kind") == "info"  # no green beside it
    assert desk.table_rows("responseView") == []


def test_the_answer_is_titled_and_becomes_earlier_on_a_new_lookup(desk):
    send_new_bill_number(desk)
    desk.look_up(ASHA, "nzvat9")
    assert desk.label("summaryRedemptionId") == "nzvat9"
    assert_earlier(desk)


def test_the_answer_becomes_earlier_on_a_failed_lookup(desk):
    send_new_bill_number(desk)
    desk.look_up(NOBODY, "NZVAt9")
    assert "Customer not found" in desk.label("summaryMessage")
    assert_earlier(desk)


def test_the_answer_becomes_earlier_on_reopen(desk):
    send_new_bill_number(desk)
    entity = Entity("CUSTOMER", "mobile", ASHA)
    desk.window.reopen(entity, RedemptionKey(KeyKind.REDEMPTION_ID, "FaiL50"), {"purpose": "x"})
    desk.wait_idle()
    assert_earlier(desk)


# -- defect 3 -------------------------------------------------------------------------------------
def test_a_failed_lookup_leaves_no_values_of_the_previous_redemption(desk):
    desk.look_up(ASHA, "NZVAt9", password=PASSWORD)
    assert desk.edit("billNumberEdit").text() == "bill-old-77"
    desk.look_up(NOBODY, "NZVAt9")
    assert "Customer not found" in desk.label("summaryMessage")
    for name in ("billIdEdit", "billNumberEdit", "purposeEdit"):
        assert desk.edit(name).text() == "", name


# -- defect 4 -------------------------------------------------------------------------------------
def test_after_a_rejected_password_and_cancel_the_window_says_why(desk, sandbox):
    desk.fill_lookup(ASHA, "NZVAt9")
    desk.click(desk.find("lookupButton"))
    desk.answer_credentials("wrong-password")
    dialog = desk.wait_dialog("credentialsDialog")
    dialog.reject()
    desk.wait_idle()
    host = sandbox.base_url.removeprefix("http://")
    expected = f"Lookup stopped: the till rejected the password for {DEMO_USERNAME} on {host}"
    assert desk.label("connectionState") == expected
    assert desk.label("summaryMessage") == expected


def test_after_a_rejected_password_and_cancel_the_update_says_why(desk, sandbox):
    desk.look_up(ASHA, "NZVAt9", password=PASSWORD)
    desk.type("billNumberEdit", "bill-refused")
    sandbox.set_fault("xml_401", endpoint="update", times=1)
    desk.confirm(desk.open_confirm())
    desk.wait_dialog("credentialsDialog").reject()
    desk.wait_idle()
    host = sandbox.base_url.removeprefix("http://")
    expected = f"Update not sent: the till rejected the password for {DEMO_USERNAME} on {host}"
    assert desk.label("connectionState") == expected
    assert desk.label("bannerDetail") == expected
    assert desk.sandbox.update_count == 1


# -- defect 5 -------------------------------------------------------------------------------------
def test_a_2xx_that_is_not_the_object_is_outcome_unknown_and_locks_send(desk, sandbox):
    desk.look_up(ASHA, "NZVAt9", password=PASSWORD)
    desk.type("billNumberEdit", "bill-odd")
    sandbox.set_fault("odd_success", endpoint="update", times=1, status=200, body='"ok"')
    desk.send()
    assert desk.banner.startswith("Outcome unknown")
    update = next(e for e in entries(desk) if e.kind is EntryKind.UPDATE)
    assert update.outcome is Outcome.UNKNOWN
    assert not desk.send_button.isEnabled()
    assert desk.send_button.toolTip() == OUTCOME_UNKNOWN_LOCK
    assert not desk.edit("purposeEdit").isEnabled()  # the values shown may be wrong now

    desk.look_up(ASHA, "NZVAt9")
    desk.type("purposeEdit", "another go")
    assert desk.send_button.isEnabled()


# -- defect 6 -------------------------------------------------------------------------------------
def test_after_a_send_the_form_says_what_was_applied_and_when(desk):
    send_new_bill_number(desk)
    reason = desk.label("sendBlockedReason")
    assert re.match(r"^Update applied at \d\d:\d\d:\d\d \(bill number bill-titled\)\.", reason)
    assert "Nothing changed yet" not in reason
