"""--demo shows the window first and starts its sandbox afterwards, off the UI thread: the bar
says so meanwhile, Send explains the wait, and a lookup asked for in that moment waits for it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from desktop_app.app import build_window
from tests.ui.driver import Desk


def open_demo(qtbot, tmp_path) -> Desk:
    window = build_window(["--demo", "--data-dir", str(tmp_path)])
    qtbot.addWidget(window)
    return Desk(qtbot, window)


def close(desk: Desk) -> None:
    desk.window.close()
    assert desk.window.runner.wait_for_all(10000)


def test_the_bar_says_the_sandbox_is_starting_and_a_lookup_waits_for_it(qtbot, tmp_path):
    desk = open_demo(qtbot, tmp_path)
    # build_window returned before the window painted, so before the sandbox started.
    assert desk.window.connection.starting
    assert desk.label("hostLabel") == "starting sandbox…"
    assert desk.label("connectionState") == "Starting sandbox…"
    assert desk.label("sendBlockedReason") == "The demo sandbox is starting: wait a moment."
    assert "starting sandbox" in desk.window.windowTitle()

    desk.look_up("919800000001", "WaRn01")  # Enter at once; waits until the lookup is done

    assert desk.label("summaryRedemptionId") == "WaRn01"
    connection = desk.window.connection
    assert not connection.starting and connection.base_url.startswith("http://127.0.0.1:")
    assert desk.label("hostLabel") == connection.host
    assert desk.visible_dialog("credentialsDialog") is None
    close(desk)


def test_a_sandbox_that_cannot_start_is_said_and_nothing_waits_forever(
    qtbot, tmp_path, monkeypatch
):
    from desktop_app.sandbox import Sandbox

    def refuse(self):
        raise OSError("no free port")

    monkeypatch.setattr(Sandbox, "start", refuse)
    desk = open_demo(qtbot, tmp_path)
    desk.fill_lookup("919800000001", "WaRn01")
    desk.qtbot.keyClick(desk.edit("redemptionKeyEdit"), Qt.Key.Key_Return)  # asked at once
    assert desk.window.flows.is_busy()

    status = desk.window.statusBar()
    said = "The demo sandbox did not start: no free port"
    qtbot.waitUntil(lambda: said in status.currentMessage())
    assert not desk.window.flows.is_busy()
    assert desk.window.connection is None
    assert desk.find("connectionState", QLabel).text() == "The demo sandbox did not start"
    close(desk)
