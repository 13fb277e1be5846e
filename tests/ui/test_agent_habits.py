"""The desk as a new agent uses it: who the customer is before sending, what stays on screen
after a send, and answers that read without a manual (issue 13, items 3 and 8)."""

from __future__ import annotations

import json

from tests.ui.driver import PASSWORD

ASHA = "919800000001"


def test_the_customer_is_named_in_current_values_and_in_the_confirmation(desk):
    desk.look_up(ASHA, "NZVAt9", password=PASSWORD)
    assert desk.label("summaryCustomer") == "Asha Rao · 919800000001 · asha@example.com · CUST-0001"
    desk.type("purposeEdit", "pos outage")
    dialog = desk.open_confirm()
    assert desk.find("confirmCustomerName").text().startswith("Asha Rao · 919800000001")
    dialog.reject()


def test_without_a_lookup_the_confirmation_says_the_name_is_unknown(desk):
    desk.choose("entityTypeCombo", "USERGROUP2")
    desk.type("identifierValueEdit", "919800000001")
    desk.type("redemptionKeyEdit", "NZVAt9")
    desk.type("purposeEdit", "pos outage")
    dialog = desk.open_confirm()
    assert desk.find("confirmCustomerName").text() == "unknown: not looked up"
    dialog.reject()


def test_after_a_send_the_store_and_till_stay_and_the_answer_has_no_empty_rows(desk):
    desk.look_up(ASHA, "NZVAt9", password=PASSWORD)
    assert desk.label("summaryStoreTill") == "bandra.west · store.server"
    desk.type("billNumberEdit", "bill-new-77")
    desk.send()
    assert desk.banner.startswith("Update applied")
    assert desk.label("summaryStoreTill") == "bandra.west · store.server"
    assert desk.label("summaryCustomer").startswith("Asha Rao")
    rows = desk.response_table()
    assert all(value != "" for value in rows.values())
    assert rows["Empty in the answer"] == "Validation code, Till name, Point deductions"


def test_the_answer_says_how_its_two_times_differ():
    from desktop_app.ui.response_rows import response_rows

    body = {"redemptionTime": 1709047800000, "pointsRedemptionTime": 1709028000000, "notes": ""}
    rows = {row.label: row for row in response_rows(json.dumps(body))}
    assert "5 h 30 min before the redemption time" in rows["Points redemption time"].meaning
    assert rows["Empty in the answer"].value == "Notes"
