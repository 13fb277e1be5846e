"""The whole desk flow against the sandbox: look up, edit, confirm, send, read the answer."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QTableWidget, QToolButton

from desktop_app.core.update_request import dumps_body
from tests.ui.driver import PASSWORD

ASHA = {
    "mobile": "919800000001",
    "email": "asha@example.com",
    "externalId": "CUST-0001",
    "id": "1000001",
}


def sent_body(desk) -> dict:
    puts = [r for r in desk.sandbox.received if r.method == "PUT"]
    return json.loads(puts[-1].body)


def test_lookup_edit_confirm_send_shows_the_answer(desk):
    desk.look_up("919800000001", "NZVAt9", password=PASSWORD)
    assert desk.label("summaryBillNumber") == "bill-old-77"
    assert desk.label("summaryPurpose") == "why"
    assert desk.edit("billIdEdit").text() == "235"
    assert not desk.send_button.isEnabled()
    assert "Nothing changed" in desk.send_button.toolTip()

    desk.type("billNumberEdit", "bill-new-77")
    assert desk.find("billNumberChanged").isVisible()
    desk.send()

    assert desk.sandbox.update_count == 1
    assert sent_body(desk) == {
        "redemptionId": "NZVAt9",
        "billNumber": "bill-new-77",
        "entity": {
            "type": "CUSTOMER",
            "identifierType": "mobile",
            "identifierValue": "919800000001",
        },
    }
    assert desk.banner == "Update applied"
    assert desk.response_table()["Bill number"] == "bill-new-77"
    # After a success the summary and the form show the new values, with nothing left to send.
    assert desk.label("summaryBillNumber") == "bill-new-77"
    assert desk.edit("billNumberEdit").text() == "bill-new-77"
    assert not desk.find("billNumberChanged").isVisible()
    assert not desk.send_button.isEnabled()


@pytest.mark.parametrize("identifier_type", sorted(ASHA))
def test_lookup_by_each_customer_identifier(desk, identifier_type):
    desk.look_up(
        ASHA[identifier_type], "NZVAt9", password=PASSWORD, identifier_type=identifier_type
    )
    assert desk.label("summaryRedemptionId") == "NZVAt9"
    assert desk.label("summaryExternalReference") == "EXT-1001"
    assert desk.label("summaryCustomFields") == "reason = pos outage"


def test_lookup_by_external_reference_sends_the_external_reference(desk):
    desk.look_up("919800000001", "EXT-1001", password=PASSWORD, key_kind="externalReferenceNumber")
    assert desk.label("summaryRedemptionId") == "NZVAt9"
    desk.type("purposeEdit", "pos outage fix")
    desk.send()
    body = sent_body(desk)
    assert body["externalReferenceNumber"] == "EXT-1001"
    assert "redemptionId" not in body
    assert desk.banner == "Update applied"


@pytest.mark.parametrize(
    ("key", "key_kind"),
    [("DeEp01", "redemptionId"), ("EXT-DEEP-0001", "externalReferenceNumber")],
)
def test_lookup_reaches_a_redemption_beyond_row_1000(desk, key, key_kind):
    desk.look_up("919800000002", key, password=PASSWORD, key_kind=key_kind)
    assert desk.label("summaryRedemptionId") == "DeEp01"
    assert desk.edit("billIdEdit").text() == "9001"


def test_ids_are_case_sensitive(desk):
    desk.look_up("919800000001", "nzvat9", password=PASSWORD)
    assert desk.label("summaryExternalReference") == "EXT-1002"
    assert desk.edit("billIdEdit").text() == "236"


def test_unset_bill_id_is_blank_in_the_form_and_not_set_in_the_answer(desk):
    desk.look_up("919800000001", "sTDVyi", password=PASSWORD)
    assert desk.edit("billIdEdit").text() == ""
    assert desk.label("summaryBillId") == "not set"
    desk.type("billNumberEdit", "bill-9")
    desk.send()
    rows = {row[0]: row for row in desk.table_rows("responseView")}
    assert rows["Bill ID"][1:] == ["-1", "not set"]
    assert rows["Points redeemed"][1] == "25.0"  # the sandbox sends a numeric string: as received


def test_warnings_are_highlighted_on_success_and_values_shown_as_received(desk):
    desk.look_up("919800000001", "WaRn01", password=PASSWORD)
    desk.type("billIdEdit", "26503632")
    desk.send()

    assert desk.banner == "Update applied, with 1 warning"
    assert desk.find("warningsFrame").isVisible()
    assert desk.table_rows("warningsView") == [
        ["1301", "Bill ID not found among the customer's transactions; redemption updated anyway"]
    ]
    raw = json.loads(desk.find("rawResponseView", QPlainTextEdit).toPlainText())
    table = desk.response_table()
    assert table["Bill ID"] == "26503632"
    assert table["Till ID"] == str(raw["tillId"])
    assert table["Redemption record ID"] == str(raw["id"])
    times = {row[0]: row[2] for row in desk.table_rows("responseView")}
    for label in ("Redemption time", "Points redemption time"):
        assert "local" in times[label]
        assert "UTC" in times[label]
    assert desk.label("summaryBillId") == "26503632"


def test_a_200_carrying_errors_is_a_failure(desk):
    desk.look_up("919800000001", "ErR200", password=PASSWORD)
    desk.type("billNumberEdit", "bill-x")
    desk.send()
    assert desk.banner.startswith("Update failed")
    assert "750: Redemption update failed : points ledger is locked" in desk.banner
    assert desk.find("errorsFrame").isVisible()
    # Nothing was applied, so the form keeps the agent's edit and the summary the old value.
    assert desk.edit("billNumberEdit").text() == "bill-x"
    assert desk.label("summaryBillNumber") == "bill-302"


def test_confirm_shows_who_what_where_and_the_exact_json(desk):
    desk.look_up("919800000001", "NZVAt9", password=PASSWORD)
    desk.type("billIdEdit", "236")
    desk.type("purposeEdit", "typo fixed")
    dialog = desk.open_confirm()
    assert "919800000001" in dialog.findChild(QLabel, "confirmCustomer").text()
    assert "NZVAt9" in dialog.findChild(QLabel, "confirmIdentifier").text()
    assert dialog.findChild(QLabel, "confirmHost").text() == desk.sandbox.base_url.split("//")[1]
    assert dialog.findChild(QLabel, "confirmUser").text() == "store.server"
    changes = dialog.findChild(QTableWidget, "confirmChanges")
    rows = [[changes.item(r, c).text() for c in range(3)] for r in range(changes.rowCount())]
    assert rows == [["Bill ID", "235", "236"], ["Purpose", "why", "typo fixed"]]
    shown_json = dialog.findChild(QPlainTextEdit, "confirmJson").toPlainText()

    desk.confirm(dialog)
    desk.wait_idle()
    assert shown_json == dumps_body(sent_body(desk))


def test_cancel_keeps_the_edits_and_sends_nothing(desk):
    desk.look_up("919800000001", "NZVAt9", password=PASSWORD)
    desk.type("purposeEdit", "keep me")
    dialog = desk.open_confirm()
    desk.qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    desk.qtbot.waitUntil(lambda: not dialog.isVisible())
    assert desk.edit("purposeEdit").text() == "keep me"
    assert desk.send_button.isEnabled()
    assert desk.sandbox.update_count == 0


def test_a_changed_field_can_be_reverted_on_its_own(desk):
    desk.look_up("919800000001", "NZVAt9", password=PASSWORD)
    desk.type("billNumberEdit", "bill-new")
    desk.type("purposeEdit", "new purpose")
    revert = desk.find("billNumberRevert", QToolButton)
    desk.click(revert)
    assert desk.edit("billNumberEdit").text() == "bill-old-77"
    assert not desk.find("billNumberChanged").isVisible()
    assert desk.edit("purposeEdit").text() == "new purpose"
    desk.send()
    assert "billNumber" not in sent_body(desk)


def test_double_clicks_send_once(desk):
    desk.look_up("919800000001", "NZVAt9", password=PASSWORD)
    desk.type("billNumberEdit", "bill-twice")
    desk.click(desk.send_button)
    desk.click(desk.send_button)
    dialog = desk.wait_dialog("confirmDialog")
    assert len([d for d in desk.window.findChildren(type(dialog)) if d.isVisible()]) == 1
    desk.confirm(dialog)
    desk.confirm(dialog)
    dialog.accepted.emit()  # even a stray second accept must not send again
    desk.click(desk.send_button)
    desk.wait_idle()
    assert desk.sandbox.update_count == 1


def test_no_lookup_for_card_identifiers_sends_what_the_agent_filled_in(desk):
    desk.fill_lookup("CARD-0001", "NZVAt9", identifier_type="cardnumber")
    assert not desk.find("lookupButton").isEnabled()
    assert desk.find("noLookupNotice").isVisible()
    assert desk.label("summaryBillId") == "unknown"
    assert desk.edit("purposeEdit").isEnabled()
    assert not desk.send_button.isEnabled()

    desk.type("purposeEdit", "card fix")
    dialog = desk.open_confirm()
    changes = dialog.findChild(QTableWidget, "confirmChanges")
    assert [changes.item(0, c).text() for c in range(3)] == ["Purpose", "unknown", "card fix"]
    desk.confirm(dialog)
    desk.answer_credentials()
    desk.wait_idle()
    assert sent_body(desk) == {
        "redemptionId": "NZVAt9",
        "purpose": "card fix",
        "entity": {
            "type": "CUSTOMER",
            "identifierType": "cardnumber",
            "identifierValue": "CARD-0001",
        },
    }
    assert desk.banner == "Update applied"
    # The answer carries the whole redemption: the summary now knows its values.
    assert desk.label("summaryBillNumber") == "bill-old-77"


def test_stop_waiting_says_the_update_may_still_apply_and_drops_the_late_answer(desk):
    desk.look_up("919800000001", "NZVAt9", password=PASSWORD)
    desk.sandbox.set_fault("delay", seconds=1.0, endpoint="update")
    desk.type("billNumberEdit", "bill-late")
    desk.confirm(desk.open_confirm())
    desk.qtbot.waitUntil(lambda: desk.find("stopButton").isVisible())
    desk.click(desk.find("stopButton"))
    assert "may still be applied" in desk.banner
    assert not desk.window.flows.is_busy()
    desk.qtbot.waitUntil(lambda: desk.sandbox.update_count == 1)
    assert desk.window.runner.wait_for_all(5000)
    QApplication.processEvents()  # delivers the dropped result's queued signal (ignored)
    assert "may still be applied" in desk.banner
    assert desk.label("summaryBillNumber") != "bill-late"
    # The values shown may be wrong now: a new lookup is required before another send.
    assert not desk.send_button.isEnabled()
    assert "Look the redemption up" in desk.send_button.toolTip()


def test_a_late_answer_is_not_put_into_a_form_that_changed(desk):
    desk.look_up("919800000001", "NZVAt9", password=PASSWORD)
    desk.sandbox.set_fault("delay", seconds=0.5, endpoint="update")
    desk.type("billNumberEdit", "bill-sent")
    desk.confirm(desk.open_confirm())
    assert desk.window.flows.is_busy()
    desk.type("purposeEdit", "typed while waiting")
    desk.wait_idle()
    assert desk.banner == "Update applied"
    assert "form changed" in desk.label("bannerDetail")
    assert desk.edit("purposeEdit").text() == "typed while waiting"
    assert desk.edit("billNumberEdit").text() == "bill-sent"
    assert desk.find("billNumberChanged").isVisible()
