"""What the desk leaves behind and hands out: history rows, the Raw tab, the copy buttons."""

from __future__ import annotations

import base64
import json

from PySide6.QtWidgets import QApplication, QPlainTextEdit

from desktop_app.core.history import EntryKind, HistoryQuery, Outcome
from desktop_app.core.model import Entity, KeyKind, RedemptionKey
from desktop_app.sandbox import DEMO_PASSWORD_MD5, DEMO_USERNAME
from tests.ui.driver import PASSWORD

TOKEN = base64.b64encode(f"{DEMO_USERNAME}:{DEMO_PASSWORD_MD5}".encode()).decode()


def entries(desk):
    return list(desk.window.services.history().iter_entries(HistoryQuery()))


def test_every_lookup_and_update_is_on_record_without_secrets(desk):
    desk.look_up("919800000001", "NZVAt9", password=PASSWORD)
    desk.type("billNumberEdit", "bill-new-77")
    confirm_json = None
    dialog = desk.open_confirm()
    confirm_json = dialog.findChild(QPlainTextEdit, "confirmJson").toPlainText()
    desk.confirm(dialog)
    desk.wait_idle()

    by_kind = {entry.kind: entry for entry in entries(desk)}
    assert set(by_kind) == {EntryKind.LOOKUP, EntryKind.UPDATE}
    update = by_kind[EntryKind.UPDATE]
    assert update.outcome is Outcome.SUCCEEDED
    assert update.before == {"billId": 235, "billNumber": "bill-old-77", "purpose": "why"}
    assert update.after == {"billNumber": "bill-new-77"}
    assert update.request_json == confirm_json
    assert update.profile == "command line"
    assert by_kind[EntryKind.LOOKUP].outcome is Outcome.SUCCEEDED
    for entry in by_kind.values():
        recorded = json.dumps([entry.request_json, entry.response_json])
        assert TOKEN not in recorded and DEMO_PASSWORD_MD5 not in recorded


def test_a_lost_answer_is_outcome_unknown_and_asks_for_a_new_lookup(desk):
    desk.look_up("919800000001", "NZVAt9", password=PASSWORD)
    desk.sandbox.set_fault("drop_connection", endpoint="update")
    desk.type("purposeEdit", "lost in transit")
    desk.send()
    assert desk.banner.startswith("Outcome unknown")
    assert "look the redemption up" in desk.label("bannerDetail").lower()
    update = next(e for e in entries(desk) if e.kind is EntryKind.UPDATE)
    assert update.outcome is Outcome.UNKNOWN
    assert not desk.send_button.isEnabled()
    assert "Look the redemption up" in desk.send_button.toolTip()


def test_raw_tab_and_copy_buttons_never_carry_the_credentials(desk):
    desk.look_up("919800000001", "WaRn01", password=PASSWORD)
    desk.type("purposeEdit", "copied")
    desk.send()
    raw_request = desk.find("rawRequestView", QPlainTextEdit).toPlainText()
    assert raw_request.startswith(f"PUT {desk.sandbox.base_url}/v2/points/updateRedemption")
    assert "Authorization: Basic <redacted>" in raw_request
    raw_response = desk.find("rawResponseView", QPlainTextEdit).toPlainText()
    received = desk.sandbox.received[-1]
    assert json.loads(raw_response)["redemptionPurpose"] == "copied"

    clipboard = QApplication.clipboard()
    desk.click(desk.find("copyResponseButton"))
    assert clipboard.text() == raw_response
    desk.click(desk.find("copyCurlButton"))
    curl = clipboard.text()
    assert curl.startswith("curl -X PUT")
    assert "redacted" in curl
    assert '"purpose":"copied"' in curl.replace(" ", "") or '"purpose": "copied"' in curl
    for secret in (TOKEN, DEMO_PASSWORD_MD5):
        assert secret not in curl and secret not in raw_request
    assert received.headers.get("Authorization") == f"Basic {TOKEN}"  # the real one was sent


def test_reopen_looks_up_then_puts_the_old_values_back_without_sending(desk):
    entity = Entity("CUSTOMER", "mobile", "919800000001")
    key = RedemptionKey(KeyKind.EXTERNAL_REFERENCE, "EXT-1001")
    desk.window.reopen(entity, key, {"billNumber": "bill-again", "billId": 777})
    desk.answer_credentials()
    desk.wait_idle()
    assert desk.edit("identifierValueEdit").text() == "919800000001"
    assert desk.find("redemptionKeyCombo").currentData() == "externalReferenceNumber"
    assert desk.label("summaryBillNumber") == "bill-old-77"
    assert desk.edit("billNumberEdit").text() == "bill-again"
    assert desk.edit("billIdEdit").text() == "777"
    assert desk.find("billNumberChanged").isVisible()
    assert desk.send_button.isEnabled()
    assert desk.sandbox.update_count == 0
