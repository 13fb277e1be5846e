"""Pasted text carrying line breaks, tabs, right-to-left marks or zero-width characters is
refused with a message naming the character, never stripped (core/validation.py): the field
keeps exactly what was pasted, and nothing can be sent or looked up until the agent fixes it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.faults.flows import ASHA_MOBILE, look_up_and_edit

# what is pasted, and how the message must name it
PASTES = [
    ("bill-77\nbill-78", "a line break"),
    ("bill-77\r\n", "a line break"),
    ("bill\t77", "a tab"),
    ("\u200fbill-77", "U+200F right-to-left mark"),
    ("bill\u200b77", "U+200B zero width space"),
    ("bill-77\ufeff", "U+FEFF zero width no-break space"),
]


def paste(desk, name: str, text: str) -> None:
    """Ctrl+V into the field, as an agent pasting from a ticket or a spreadsheet does."""
    edit = desk.edit(name)
    edit.setFocus()
    edit.selectAll()
    QApplication.clipboard().setText(text)
    desk.qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert edit.text() == text  # Qt's line edit keeps all of it: so must the desk


@pytest.mark.parametrize(
    ("field", "error"), [("billNumberEdit", "billNumberError"), ("purposeEdit", "purposeError")]
)
def test_a_pasted_hidden_character_blocks_send_and_is_named(desk, field, error):
    look_up_and_edit(desk)
    for pasted, named in PASTES:
        paste(desk, field, pasted)
        message = desk.find(error)
        assert message.isVisible() and named in message.text(), (pasted, message.text())
        assert not desk.send_button.isEnabled()
        desk.qtbot.keyClick(
            desk.edit(field), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
        assert desk.visible_dialog("confirmDialog") is None
        assert desk.edit(field).text() == pasted
    assert desk.sandbox.update_count == 0


def test_a_pasted_hidden_character_in_the_identifier_blocks_the_lookup(desk):
    desk.fill_lookup(ASHA_MOBILE, "NZVAt9")
    for pasted, named in PASTES:
        key = pasted.replace("bill-77", "NZVAt9").replace("bill", "NZV").replace("77", "At9")
        paste(desk, "redemptionKeyEdit", key)
        message = desk.find("redemptionKeyError")
        assert message.isVisible() and named in message.text(), (key, message.text())
        desk.qtbot.keyClick(desk.edit("redemptionKeyEdit"), Qt.Key.Key_Return)
        assert desk.visible_dialog("credentialsDialog") is None
        assert desk.edit("redemptionKeyEdit").text() == key
    assert desk.sandbox.received == []
