"""The whole desk flow against the sandbox: look up, edit, confirm, send, read the answer."""

from __future__ import annotations

import json

from tests.ui.driver import PASSWORD


def test_lookup_edit_confirm_send_shows_the_answer(desk):
    desk.look_up("919800000001", "NZVAt9", password=PASSWORD)
    assert desk.label("summaryBillNumber") == "bill-old-77"
    assert desk.edit("billIdEdit").text() == "235"
    assert not desk.send_button.isEnabled()

    desk.type("billNumberEdit", "bill-new-77")
    assert desk.send_button.isEnabled()
    dialog = desk.open_confirm()
    desk.confirm(dialog)
    desk.wait_idle()

    assert desk.sandbox.update_count == 1
    body = json.loads(desk.sandbox.received[-1].body)
    assert body == {
        "redemptionId": "NZVAt9",
        "billNumber": "bill-new-77",
        "entity": {"type": "CUSTOMER", "identifierType": "mobile", "identifierValue": "919800000001"},
    }
    assert desk.banner.startswith("Update applied")
    assert desk.response_table()["Bill number"] == "bill-new-77"
    assert desk.label("summaryBillNumber") == "bill-new-77"
    assert desk.edit("billNumberEdit").text() == "bill-new-77"
    assert not desk.send_button.isEnabled()
