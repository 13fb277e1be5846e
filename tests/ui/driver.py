"""Drives the desk window the way the automation contract promises: object names only.

Every wait is a `qtbot.waitUntil` on something a user would see; nothing sleeps.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

PASSWORD = "server123"


class Desk:
    def __init__(self, qtbot, window, sandbox=None):
        self.qtbot = qtbot
        self.window = window
        self.sandbox = sandbox

    # -- finding ----------------------------------------------------------------------------
    def find(self, name: str, kind: type = QWidget):
        widget = self.window.findChild(kind, name)
        assert widget is not None, f"no {kind.__name__} named {name}"
        return widget

    def label(self, name: str) -> str:
        return self.find(name, QLabel).text()

    def edit(self, name: str) -> QLineEdit:
        return self.find(name, QLineEdit)

    def visible_dialog(self, name: str) -> QDialog | None:
        for dialog in self.window.findChildren(QDialog, name):
            if dialog.isVisible():
                return dialog
        return None

    def wait_dialog(self, name: str) -> QDialog:
        self.qtbot.waitUntil(lambda: self.visible_dialog(name) is not None)
        return self.visible_dialog(name)

    @property
    def banner(self) -> str:
        return self.label("statusBanner")

    @property
    def send_button(self) -> QPushButton:
        return self.find("sendButton", QPushButton)

    # -- typing -----------------------------------------------------------------------------
    def choose(self, combo_name: str, data: str) -> None:
        combo = self.find(combo_name, QComboBox)
        index = combo.findData(data)
        assert index >= 0, f"{combo_name} has no item {data}"
        combo.setCurrentIndex(index)

    def type(self, name: str, text: str) -> None:
        """Replaces the field's text by typing it, as an agent would."""
        edit = self.edit(name)
        edit.setFocus()
        edit.selectAll()
        self.qtbot.keyClick(edit, Qt.Key.Key_Backspace)
        if len(text) > 40 or not text.isascii():
            # Same signals as typing; QTest can only type Latin-1 key by key, and 256 key
            # events would only make the test slower.
            edit.insert(text)
        else:
            self.qtbot.keyClicks(edit, text)
        assert edit.text() == text

    def fill_lookup(
        self,
        value: str,
        key: str,
        *,
        identifier_type: str = "mobile",
        key_kind: str = "redemptionId",
        entity_type: str = "CUSTOMER",
    ) -> None:
        self.choose("entityTypeCombo", entity_type)
        self.choose("identifierTypeCombo", identifier_type)
        self.type("identifierValueEdit", value)
        self.choose("redemptionKeyCombo", key_kind)
        self.type("redemptionKeyEdit", key)

    # -- acting -----------------------------------------------------------------------------
    def click(self, button: QPushButton) -> None:
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def answer_credentials(self, password: str = PASSWORD, remember: bool = True) -> QDialog:
        dialog = self.wait_dialog("credentialsDialog")
        edit = dialog.findChild(QLineEdit, "passwordEdit")
        self.qtbot.keyClicks(edit, password)
        remember_box = dialog.findChild(QWidget, "rememberCheck")
        if remember_box.isEnabled():
            remember_box.setChecked(remember)
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        self.click(ok)
        return dialog

    def look_up(self, value: str, key: str, *, password: str | None = None, **kinds) -> None:
        """Fills the lookup, presses Enter, answers the password prompt if given, waits."""
        self.fill_lookup(value, key, **kinds)
        self.qtbot.keyClick(self.edit("redemptionKeyEdit"), Qt.Key.Key_Return)
        if password is not None:
            self.answer_credentials(password)
        self.wait_idle()

    def wait_idle(self) -> None:
        self.qtbot.waitUntil(lambda: not self.window.flows.is_busy(), timeout=20000)

    def open_confirm(self) -> QDialog:
        assert self.send_button.isEnabled(), self.send_button.toolTip()
        self.click(self.send_button)
        return self.wait_dialog("confirmDialog")

    def confirm(self, dialog: QDialog) -> None:
        """Clicks "Send update" once it is armed (a moment after the dialog shows)."""
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        self.qtbot.waitUntil(ok.isEnabled)
        self.click(ok)

    def send(self, *, password: str | None = None) -> None:
        """Send → confirm → (password) → wait for the answer."""
        self.confirm(self.open_confirm())
        if password is not None:
            self.answer_credentials(password)
        self.wait_idle()

    def response_table(self) -> dict[str, str]:
        table = self.find("responseView")
        return {
            table.item(row, 0).text(): table.item(row, 1).text() for row in range(table.rowCount())
        }

    def table_rows(self, name: str) -> list[list[str]]:
        table = self.find(name)
        return [
            [table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())
        ]
