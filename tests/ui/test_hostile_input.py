"""Issue 11 as an agent meets it in the window: hostile files, replies and key presses never
skip a safeguard, never crash the desk and never show a server's text as markup."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QPushButton

from desktop_app.core.profiles import Profile, ProfilesState, ProfileStore
from desktop_app.sandbox import DEMO_USERNAME
from tests.ui.driver import PASSWORD

ASHA_MOBILE = "919800000001"


def test_a_hand_edited_plain_http_profile_is_refused_when_used_naming_it(open_desk, tmp_path):
    # Issue 11 item 2: the profile dialog refuses http://, a hand-edited profiles.json did not.
    profile = Profile("EU hand-edited", "http://eu.api.capillarytech.com", DEMO_USERNAME)
    assert ProfileStore(tmp_path / "profiles.json").save(ProfilesState((profile,))) is None
    desk = open_desk(connect=False)

    desk.look_up(ASHA_MOBILE, "NZVAt9", password=PASSWORD)

    shown = desk.label("summaryMessage")
    assert "The profile “EU hand-edited” uses http://" in shown, shown
    assert "nothing was sent" in shown


# --- item 3: the confirmation needs a fresh, deliberate action ------------------------------


def _ready_to_send(desk) -> None:
    desk.look_up(ASHA_MOBILE, "NZVAt9", password=PASSWORD)
    desk.type("billNumberEdit", "bill-held-key")
    desk.window.activateWindow()
    desk.qtbot.waitUntil(lambda: QApplication.activeWindow() is desk.window)


def send_button(dialog) -> QPushButton:
    return dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)


def _key(dialog, kind, key, *, repeat: bool, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    target = dialog.focusWidget() or dialog
    QApplication.sendEvent(target, QKeyEvent(kind, key, modifiers, "\r", repeat))


def test_holding_ctrl_enter_never_confirms(desk):
    _ready_to_send(desk)
    ctrl = Qt.KeyboardModifier.ControlModifier
    desk.qtbot.keyPress(desk.edit("billNumberEdit"), Qt.Key.Key_Return, ctrl)
    dialog = desk.wait_dialog("confirmDialog")
    for _ in range(5):  # the key is still down: the system sends auto-repeats
        _key(dialog, QEvent.Type.KeyPress, Qt.Key.Key_Return, repeat=True, modifiers=ctrl)
    desk.qtbot.waitUntil(send_button(dialog).isEnabled)
    for _ in range(5):  # still held after Send was armed
        _key(dialog, QEvent.Type.KeyPress, Qt.Key.Key_Return, repeat=True, modifiers=ctrl)
    _key(dialog, QEvent.Type.KeyRelease, Qt.Key.Key_Return, repeat=False, modifiers=ctrl)

    assert dialog.isVisible() and desk.sandbox.update_count == 0
    # A fresh press once Send is armed is the agent's decision.
    desk.qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    desk.wait_idle()
    assert desk.sandbox.update_count == 1


def test_a_quick_second_press_does_not_confirm(desk):
    _ready_to_send(desk)
    desk.qtbot.keyClick(
        desk.edit("billNumberEdit"), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    dialog = desk.wait_dialog("confirmDialog")
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
        desk.qtbot.keyClick(dialog.focusWidget() or dialog, key)
    assert dialog.isVisible() and not send_button(dialog).isEnabled()
    desk.qtbot.waitUntil(send_button(dialog).isEnabled)
    assert desk.sandbox.update_count == 0


# --- item 9 ---------------------------------------------------------------------------------


def test_the_password_dialog_after_a_401_says_continue_sends_the_update(desk):
    # Issue 11 item 9: "Continue" after a 401 re-sends the confirmed PUT; now it says so.
    desk.look_up(ASHA_MOBILE, "NZVAt9", password=PASSWORD)
    desk.type("billNumberEdit", "bill-after-401")
    desk.sandbox.set_fault("xml_401", endpoint="update", times=1)
    desk.confirm(desk.open_confirm())
    dialog = desk.wait_dialog("credentialsDialog")
    then = dialog.findChild(QLabel, "credentialsThen")
    assert then.isVisible()
    assert then.text() == "The update you confirmed will be sent once you continue."
    assert desk.sandbox.update_count == 1
    dialog.reject()


def test_a_10_mb_paste_is_said_to_be_cut_and_cannot_be_sent(desk):
    # Issue 11 item 9: the field silently kept 32,767 characters, and they could be sent.
    desk.look_up(ASHA_MOBILE, "NZVAt9", password=PASSWORD)
    edit = desk.edit("billNumberEdit")
    edit.setFocus()
    edit.selectAll()
    edit.insert("7" * 10_000_000)
    assert len(edit.text()) == 32_767
    desk.qtbot.waitUntil(lambda: not desk.send_button.isEnabled())
    assert "was cut at 32,767 characters" in desk.send_button.toolTip()
