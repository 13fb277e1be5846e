"""The window itself: keyboard, accessibility, remembered settings, --demo, light start-up."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop_app.app import build_window, parse_args
from tests.ui.driver import PASSWORD, Desk
from tests.ui.test_layout import TAB_ORDER

CTRL = Qt.KeyboardModifier.ControlModifier


def activate(desk):
    desk.window.activateWindow()
    desk.qtbot.waitUntil(lambda: QApplication.activeWindow() is desk.window)


def test_ctrl_l_goes_to_the_lookup_and_ctrl_enter_opens_the_confirmation(desk):
    activate(desk)
    desk.send_button.setFocus()
    desk.qtbot.keyClick(desk.window, Qt.Key.Key_L, CTRL)
    assert QApplication.focusWidget() is desk.edit("identifierValueEdit")

    desk.look_up("919800000001", "NZVAt9", password=PASSWORD)
    activate(desk)
    desk.type("purposeEdit", "via keyboard")
    desk.qtbot.keyClick(desk.edit("purposeEdit"), Qt.Key.Key_Return, CTRL)
    dialog = desk.wait_dialog("confirmDialog")
    desk.qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    desk.qtbot.waitUntil(lambda: not dialog.isVisible())
    assert desk.sandbox.update_count == 0
    assert desk.edit("purposeEdit").text() == "via keyboard"


def test_esc_closes_the_password_dialog_and_nothing_is_sent(desk):
    desk.fill_lookup("919800000001", "NZVAt9")
    desk.qtbot.keyClick(desk.edit("identifierValueEdit"), Qt.Key.Key_Return)
    dialog = desk.wait_dialog("credentialsDialog")
    desk.qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    desk.qtbot.waitUntil(lambda: not dialog.isVisible())
    desk.wait_idle()
    assert desk.sandbox.received == []
    assert desk.find("lookupButton").isEnabled()


def test_tab_follows_the_form_from_top_to_bottom(desk):
    desk.look_up("919800000001", "NZVAt9", password=PASSWORD)
    activate(desk)
    desk.find("entityTypeCombo").setFocus()
    visited = []
    for _ in range(7):
        visited.append(QApplication.focusWidget().objectName())
        desk.qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert visited == list(TAB_ORDER[:7])  # up to the bill ID


def test_typing_a_customer_tab_goes_to_the_redemption_and_a_lookup_to_the_bill_id(desk):
    activate(desk)
    desk.type("identifierValueEdit", "919800000001")
    desk.qtbot.keyClick(desk.edit("identifierValueEdit"), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is desk.edit("redemptionKeyEdit")
    desk.qtbot.keyClicks(desk.edit("redemptionKeyEdit"), "NZVAt9")
    desk.qtbot.keyClick(desk.edit("redemptionKeyEdit"), Qt.Key.Key_Return)
    desk.answer_credentials(PASSWORD)
    desk.wait_idle()
    activate(desk)
    desk.qtbot.waitUntil(lambda: QApplication.focusWidget() is desk.edit("billIdEdit"))
    assert desk.edit("billIdEdit").selectedText() == "235"  # typing replaces it


def test_the_window_remembers_geometry_and_the_last_types(open_desk, tmp_path):
    first = open_desk()
    first.window.resize(790, 580)
    first.choose("identifierTypeCombo", "email")
    first.choose("redemptionKeyCombo", "externalReferenceNumber")
    first.window.close()
    assert (tmp_path / "settings.ini").exists()

    second = open_desk()
    assert second.find("identifierTypeCombo").currentData() == "email"
    assert second.find("redemptionKeyCombo").currentData() == "externalReferenceNumber"
    assert (second.window.width(), second.window.height()) == (790, 580)


def test_demo_uses_the_sandbox_without_a_password_and_stops_it_on_exit(qtbot, tmp_path):
    window = build_window(["--demo", "--data-dir", str(tmp_path)])
    qtbot.addWidget(window)
    desk = Desk(qtbot, window)
    badge = desk.label("demoBadge")
    assert badge == "DEMO — sandbox data"
    assert desk.find("demoBadge").isVisible()
    desk.look_up("919800000001", "WaRn01")
    assert desk.visible_dialog("credentialsDialog") is None
    assert desk.label("summaryRedemptionId") == "WaRn01"

    address = urlsplit(window.connection.base_url)
    window.close()
    assert window.runner.wait_for_all(5000)
    with pytest.raises(OSError):
        socket.create_connection((address.hostname, address.port), timeout=2).close()


def test_arguments_follow_the_command_line_contract(tmp_path):
    options, qt_args = parse_args(
        [
            "redemption-desk",
            "--base-url",
            "https://eu.api.capillarytech.com",
            "--username",
            "till",
            "--data-dir",
            str(tmp_path),
            "-platform",
            "offscreen",
        ]
    )
    assert options.base_url == "https://eu.api.capillarytech.com"
    assert options.username == "till"
    assert options.data_dir == tmp_path
    assert qt_args == ["-platform", "offscreen"]
    with pytest.raises(SystemExit):
        parse_args(["--base-url", "eu.api.capillarytech.com"])
    with pytest.raises(SystemExit):
        parse_args(["--usrname", "typo"])
    with pytest.raises(SystemExit):
        parse_args(["--base-url", "https://eu.api.capillarytech.com"])  # no --username


def test_start_up_loads_no_network_keyring_or_database_code(tmp_path):
    script = (
        "import sys\n"
        "from desktop_app.app import build_window\n"
        f"window = build_window(['--base-url', 'http://127.0.0.1:9', '--username', 'u',"
        f" '--data-dir', {str(tmp_path)!r}])\n"
        "print(__import__('json').dumps({m: m in sys.modules for m in"
        " ('httpx', 'keyring', 'sqlite3', 'desktop_app.sandbox')}))\n"
        "window.shutdown()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded == {
        "httpx": False,
        "keyring": False,
        "sqlite3": False,
        "desktop_app.sandbox": False,
    }


def test_self_test_is_dispatched_without_opening_a_window(monkeypatch):
    import desktop_app.self_test
    from desktop_app.app import main

    monkeypatch.setattr(desktop_app.self_test, "run_self_test", lambda app: 7)
    before = len(QApplication.topLevelWidgets())
    assert main(["--self-test"]) == 7
    assert len(QApplication.topLevelWidgets()) == before


def test_without_base_url_the_default_profile_is_used(qtbot, tmp_path, sandbox):
    from desktop_app.core.profiles import Profile, ProfilesState, ProfileStore

    profile = Profile("Local sandbox", sandbox.base_url, "store.server")
    ProfileStore(tmp_path / "profiles.json").save(ProfilesState((profile,), "Local sandbox"))
    window = build_window(["--data-dir", str(tmp_path)])
    qtbot.addWidget(window)
    assert window.connection.profile_name == "Local sandbox"
    assert window.connection.base_url == sandbox.base_url
    assert Desk(qtbot, window).label("profileLabel") == "Local sandbox"
    window.close()
