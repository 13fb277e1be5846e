"""The desk as a new agent uses it: who the customer is before sending, what stays on screen
after a send, and answers that read without a manual (issue 13, items 3 and 8)."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

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
    from desktop_app.desk.response_rows import response_rows

    body = {"redemptionTime": 1709047800000, "pointsRedemptionTime": 1709028000000, "notes": ""}
    rows = {row.label: row for row in response_rows(json.dumps(body))}
    assert "5 h 30 min before the redemption time" in rows["Points redemption time"].meaning
    assert rows["Empty in the answer"].value == "Notes"


def test_a_locked_ledger_gets_its_own_advice_and_blames_no_field(desk):
    desk.look_up(ASHA, "ErR200", password=PASSWORD)
    desk.type("billNumberEdit", "bill-x")
    desk.send()
    detail = desk.label("bannerDetail")
    assert "temporary" in detail and "send the same correction again" in detail
    assert "reversed" not in detail
    assert not desk.edit("redemptionKeyEdit").property("invalid")
    assert not desk.window.response.errors.text.isVisible()  # said once, in the banner


def test_each_750_reason_has_its_own_advice():
    from desktop_app.core.error_catalogue import explain

    prefix = "Redemption update failed : "
    locked = explain(750, prefix + "points ledger is locked")
    reversed_ = explain(750, prefix + "redemption already reversed")
    missing = explain(750, prefix + "no redemption with redemptionId nzvAt9 for this customer")
    other = explain(750, prefix + "something new")
    assert locked.safe_to_retry and locked.fields == ()
    assert "reversed" in reversed_.explanation and reversed_.fields == ()
    assert missing.fields == ("redemptionKey",)
    assert len({locked.action, reversed_.action, missing.action, other.action}) == 4


def test_a_pasted_bill_id_and_mobile_get_a_one_click_fix(desk):
    desk.type("identifierValueEdit", "+91 98000 00001")
    fix = desk.find("identifierValueFix", QPushButton)
    assert fix.isVisible() and fix.text() == "Use 919800000001"
    assert desk.edit("identifierValueEdit").text() == "+91 98000 00001"  # nothing changed yet
    desk.click(fix)
    assert desk.edit("identifierValueEdit").text() == "919800000001"
    assert not fix.isVisible()
    desk.look_up(ASHA, "NZVAt9", password=PASSWORD)
    desk.type("billIdEdit", " 42 ")
    assert desk.find("billIdError").isVisible()
    desk.click(desk.find("billIdFix", QPushButton))
    assert desk.edit("billIdEdit").text() == "42"
    assert not desk.find("billIdError").isVisible()


def test_a_ten_digit_mobile_says_the_country_code_is_needed(desk):
    desk.type("identifierValueEdit", "9800000001")
    hint = desk.find("identifierValueHint", QLabel)
    assert hint.isVisible() and "country code" in hint.text() and "919800000001" in hint.text()
    desk.type("identifierValueEdit", "919800000001")
    assert not hint.isVisible()


def test_suggestions_are_offered_only_when_they_make_the_value_valid():
    from desktop_app.core.suggestions import suggested_text

    assert suggested_text("billId", " 42 ") == "42"
    assert suggested_text("billId", "4 2") == "42"
    assert suggested_text("billId", "42") is None  # already valid
    assert suggested_text("billId", "4x2") is None  # no certain correction
    assert suggested_text("mobile", "+91 98000-00001") == "919800000001"
    assert suggested_text("mobile", "(91) 9800 000 001") == "919800000001"
    assert suggested_text("mobile", "call 9800") is None
    assert suggested_text("redemptionKey", "NZV At9\u200b") == "NZVAt9"
    assert suggested_text("purpose", "pos\noutage ") == "pos outage"
    assert suggested_text("email", " asha@example.com") == "asha@example.com"


def open_history(desk):
    desk.window.history_action.trigger()
    desk.qtbot.waitUntil(lambda: desk.window.history_panel is not None)
    return desk.window.history_panel


def shown_rows(desk, panel, count: int) -> None:
    desk.qtbot.waitUntil(
        lambda: panel.model.rowCount() == count and not panel.model.is_loading, timeout=10000
    )


def test_history_filters_by_kind_and_shows_the_change_and_its_clock(desk):
    from desktop_app.ui.history_panel.model import CHANGE, TIME

    desk.look_up(ASHA, "NZVat9", password=PASSWORD)  # not found: a failed lookup
    desk.look_up(ASHA, "NZVAt9")
    desk.type("billNumberEdit", "bill-new-77")
    desk.send()
    panel = open_history(desk)
    shown_rows(desk, panel, 3)
    panel.filters.outcome.setCurrentText("Failed")
    shown_rows(desk, panel, 1)  # the lookup that found nothing
    panel.filters.kind.setCurrentText("Updates only")
    shown_rows(desk, panel, 0)
    panel.filters.outcome.setCurrentText("All outcomes")
    shown_rows(desk, panel, 1)
    header = panel.model.headerData(TIME, Qt.Orientation.Horizontal)
    assert header == "Time (UTC)" or header.startswith("Time (local, UTC")
    change = panel.model.index(0, CHANGE).data()
    assert change == "bill number: bill-old-77 → bill-new-77"
    metrics = panel.table.fontMetrics()
    # (the header sizes the column to its contents once the view lays itself out)
    desk.qtbot.waitUntil(
        lambda: panel.table.columnWidth(CHANGE) >= metrics.horizontalAdvance(change)
    )


def test_reopen_says_when_the_server_already_holds_the_values(desk):
    desk.look_up(ASHA, "NZVAt9", password=PASSWORD)
    desk.type("billNumberEdit", "bill-new-77")
    desk.send()
    panel = open_history(desk)
    shown_rows(desk, panel, 2)
    panel.table.selectRow(0)  # the update
    desk.click(desk.find("historyReopen", QPushButton))
    desk.wait_idle()
    desk.qtbot.waitUntil(lambda: "reopened" in panel.message.text())
    assert "already holds these values" in panel.message.text()
    assert "nothing to send" in desk.label("editHint")
    assert desk.sandbox.update_count == 1


def test_export_offers_the_documents_folder(desk, monkeypatch):
    from pathlib import Path

    from PySide6.QtCore import QStandardPaths
    from PySide6.QtWidgets import QFileDialog

    offered = []
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *args: (offered.append(args[2]), ("", ""))[1]
    )
    desk.look_up(ASHA, "NZVAt9", password=PASSWORD)
    open_history(desk)
    desk.click(desk.find("historyExportCsv", QPushButton))
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert Path(offered[0]).parent == Path(documents or Path.home())
    assert Path(offered[0]).suffix == ".csv"


def test_a_slow_lookup_says_so_on_the_card_it_fills(desk):
    desk.look_up(ASHA, "NZVAt9", password=PASSWORD)
    desk.sandbox.set_fault("delay", endpoint="lookup", seconds=2.0)
    desk.fill_lookup(ASHA, "sTDVyi")
    desk.qtbot.keyClick(desk.edit("redemptionKeyEdit"), Qt.Key.Key_Return)
    busy = desk.find("summaryBusy", QLabel)
    desk.qtbot.waitUntil(busy.isVisible)
    assert busy.text() == "Looking up sTDVyi…"
    assert not desk.window.summary.grid_host.isEnabled()  # the old values are greyed
    desk.wait_idle()
    assert not busy.isVisible()
    assert desk.label("summaryRedemptionId") == "sTDVyi"


def test_a_long_status_notice_is_not_covered_and_reads_in_full(desk):
    bar = desk.window.statusBar()
    notice = (
        "The keyring could not be used (org.freedesktop.secrets was not provided by any "
        "service files): the till password is kept in memory for this session only."
    )
    desk.window.notify(notice, 0)
    assert bar.currentMessage() == notice
    assert bar.toolTip() == notice
    # nothing sits on the bar's right to cut the notice or be drawn over by it
    assert [w for w in bar.findChildren(QLabel) if w.isVisible()] == []


def test_switching_the_identifier_kind_shows_that_kinds_own_text(desk):
    desk.type("redemptionKeyEdit", "NZVAt9")
    desk.choose("redemptionKeyCombo", "externalReferenceNumber")
    assert desk.edit("redemptionKeyEdit").text() == ""  # a redemption ID is no reference
    desk.type("redemptionKeyEdit", "EXT-1001")
    desk.choose("redemptionKeyCombo", "redemptionId")
    assert desk.edit("redemptionKeyEdit").text() == "NZVAt9"  # what was typed for that kind
    desk.type("identifierValueEdit", "919800000001")
    desk.choose("identifierTypeCombo", "email")
    assert desk.edit("identifierValueEdit").text() == ""


def test_no_placeholder_is_cut_by_its_field(desk):
    desk.window.resize(1024, 600)
    for combo, edit in (
        ("identifierTypeCombo", "identifierValueEdit"),
        ("redemptionKeyCombo", "redemptionKeyEdit"),
    ):
        box, field = desk.find(combo), desk.edit(edit)
        for index in range(box.count()):
            box.setCurrentIndex(index)
            wanted = field.fontMetrics().horizontalAdvance(field.placeholderText())
            assert field.width() - 12 >= wanted, field.placeholderText()  # frame and margins
