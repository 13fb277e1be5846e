"""Bad input blocks Send with a message under the field, and the text stays exactly as typed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.driver import PASSWORD

BAD_BILL_IDS = [
    "12.5",
    "-3",
    "١٢٣",  # Arabic-Indic digits
    "0",
    "12345678901234567890",  # 20 digits
    "9223372036854775808",  # int64 max + 1
    "1e5",
    "12a",
]


@pytest.fixture
def looked_up(desk):
    desk.look_up("919800000001", "NZVAt9", password=PASSWORD)
    return desk


@pytest.mark.parametrize("typed", BAD_BILL_IDS)
def test_a_bad_bill_id_blocks_send_and_stays_as_typed(looked_up, typed):
    desk = looked_up
    desk.type("billIdEdit", typed)
    assert desk.edit("billIdEdit").text() == typed
    error = desk.find("billIdError")
    assert error.isVisible() and error.text()
    assert desk.edit("billIdEdit").property("invalid") is True
    assert not desk.send_button.isEnabled()
    assert desk.send_button.toolTip() == error.text()
    # Ctrl+Enter does not get around it.
    desk.qtbot.keyClick(
        desk.edit("billIdEdit"), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    assert desk.visible_dialog("confirmDialog") is None
    assert desk.sandbox.update_count == 0


def test_the_largest_int64_bill_id_is_accepted(looked_up):
    looked_up.type("billIdEdit", "9223372036854775807")
    assert not looked_up.find("billIdError").isVisible()
    assert looked_up.send_button.isEnabled()


def test_a_256_character_purpose_is_kept_whole_and_blocks_send(looked_up):
    desk = looked_up
    purpose = "p" * 256
    desk.type("purposeEdit", purpose)
    assert desk.edit("purposeEdit").text() == purpose
    assert desk.label("purposeCounter") == "256/255"
    assert "256" in desk.label("purposeError")
    assert not desk.send_button.isEnabled()
    desk.type("purposeEdit", "p" * 255)
    assert desk.label("purposeCounter") == "255/255"
    assert not desk.find("purposeError").isVisible()
    assert desk.send_button.isEnabled()


def test_the_purpose_counter_counts_code_points(looked_up):
    looked_up.type("purposeEdit", "café ✓")
    assert looked_up.label("purposeCounter") == "6/255"


def test_errors_clear_as_soon_as_the_input_is_fixed(looked_up):
    desk = looked_up
    desk.type("billIdEdit", "12a")
    assert desk.find("billIdError").isVisible()
    desk.qtbot.keyClick(desk.edit("billIdEdit"), Qt.Key.Key_Backspace)
    assert desk.edit("billIdEdit").text() == "12"
    assert not desk.find("billIdError").isVisible()
    assert desk.send_button.isEnabled()


def test_a_blank_bill_number_is_refused_not_sent_as_empty(looked_up):
    desk = looked_up
    desk.type("billNumberEdit", "")
    assert desk.find("billNumberError").isVisible()
    assert not desk.send_button.isEnabled()


def test_lookup_fields_are_checked_before_anything_is_sent(desk):
    desk.fill_lookup("98-00", "NZVAt9")
    assert desk.find("identifierValueError").isVisible()
    desk.qtbot.keyClick(desk.edit("redemptionKeyEdit"), Qt.Key.Key_Return)
    assert desk.visible_dialog("credentialsDialog") is None
    assert desk.sandbox.received == []
    assert desk.edit("identifierValueEdit").text() == "98-00"
