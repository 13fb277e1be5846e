"""Every control a keyboard or screen-reader user can reach has a name the screen reader says:
all focusable widgets of the window (shown or not yet shown) and of every dialog it opens.

The name is read through Qt's accessibility interface, as a screen reader gets it: a button's
text counts, an unnamed line edit or combo box does not.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAction
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton, QWidget

from tests.ui.driver import PASSWORD


def spoken_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def unnamed_controls(root: QWidget) -> list[str]:
    """Focusable widgets under `root` (Qt's own internals aside) without a spoken name."""
    return [
        f"{type(widget).__name__} {widget.objectName()!r}"
        for widget in [root, *root.findChildren(QWidget)]
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        and widget.window() is root.window()  # a combo box's pop-up list is the combo's
        and not widget.objectName().startswith("qt_")
        and not spoken_name(widget)
    ]


def dialog_named(desk, name: str) -> QDialog:
    dialog = desk.wait_dialog(name)
    assert unnamed_controls(dialog) == [], name
    return dialog


def test_every_control_of_the_window_has_a_name(desk):
    desk.look_up("919800000001", "NZVAt9", password=PASSWORD)
    desk.type("billIdEdit", " 42 ")  # the one-click fix appears
    desk.type("identifierValueEdit", "+91 98000 00001")
    window = desk.window
    window.history_action.trigger()
    desk.qtbot.waitUntil(lambda: window.history_panel is not None)
    window.history_panel.filters.period.setCurrentIndex(4)  # the date edits appear
    assert unnamed_controls(window) == []


def test_every_dialog_names_its_controls(desk):
    # the password prompt and the confirmation
    desk.fill_lookup("919800000001", "NZVAt9")
    desk.click(desk.find("lookupButton", QPushButton))
    dialog_named(desk, "credentialsDialog")
    desk.answer_credentials(PASSWORD)
    desk.wait_idle()
    desk.type("purposeEdit", "named")
    confirm = desk.open_confirm()
    assert unnamed_controls(confirm) == []
    confirm.reject()

    window = desk.window
    # Help: the shortcuts and the About box
    actions = {a.text(): a for a in window.findChildren(QAction)}
    for text, name in (("&Keyboard shortcuts", "shortcutsDialog"), ("&About", "aboutDialog")):
        next(a for t, a in actions.items() if t.startswith(text)).trigger()
        box = dialog_named(desk, name)
        box.close()

    # History: delete older than… (its question and its confirmation)
    window.history_action.trigger()
    desk.qtbot.waitUntil(lambda: window.history_panel is not None)
    desk.click(desk.find("historyDeleteOld", QPushButton))
    retention = dialog_named(desk, "historyRetentionDialog")
    retention.setIntValue(1)
    retention.accept()

    # The profile manager, its delete question and its "discard?" question
    window.profiles_action.trigger()
    manager = dialog_named(desk, "profileManagerDialog")
    manager.username_edit.setText("store.server")
    manager._edited()
    manager._ask_delete()
    assert unnamed_controls(manager.confirm_box) == []
    manager.confirm_box.button(QMessageBox.StandardButton.No).click()
    manager.reject()
    assert unnamed_controls(manager.discard_box) == []
    manager.discard_box.button(QMessageBox.StandardButton.Discard).click()
