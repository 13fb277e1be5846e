"""Renders docs/screenshot.png: the demo after an update that came back with a warning.

    QT_QPA_PLATFORM=offscreen python -m tests.ui.screenshot docs/screenshot.png
    QT_QPA_PLATFORM=offscreen python -m tests.ui.screenshot --history docs/screenshot-history.png
    QT_QPA_PLATFORM=offscreen python -m tests.ui.screenshot --all docs/

`--all` renders the screens agents have (1024x600, 1366x768, 1920x1080 at 150 %), light and dark;
`--size WxH` (logical pixels) and `--dark` pick one.

`--history` goes on to a failed update, another correction and a lookup of an unknown
redemption, then shows the History tab with the newest update's details.

Drives the real window (demo sandbox, automation contract) and grabs it offscreen.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox

from desktop_app.app import build_window


def wait_until(condition, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        QCoreApplication.processEvents()
        QTest.qWait(10)


def dark_palette() -> QPalette:
    """A typical OS dark palette, to check the window in dark mode (`--dark`)."""
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Base, "#17181a"),
        (QPalette.ColorRole.AlternateBase, "#232427"),
        (QPalette.ColorRole.Text, "#e8eaed"),
        (QPalette.ColorRole.Button, "#2b2c2f"),
        (QPalette.ColorRole.ButtonText, "#e8eaed"),
        (QPalette.ColorRole.Highlight, "#3b78d8"),
        (QPalette.ColorRole.HighlightedText, "#ffffff"),
        (QPalette.ColorRole.PlaceholderText, "#8a8d91"),
    ):
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor("#6b6e72"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#6b6e72"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#6b6e72"))
    return palette


def application(dark: bool) -> QApplication:
    """The QApplication, with Fusion and a dark palette for `--dark`."""
    app = QApplication.instance() or QApplication([sys.argv[0]])
    if dark:
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    return app


def look_up(window, mobile: str, key: str) -> None:
    from PySide6.QtWidgets import QLineEdit

    window.findChild(QLineEdit, "identifierValueEdit").setText(mobile)
    window.findChild(QLineEdit, "redemptionKeyEdit").setText(key)
    QTest.keyClick(window.findChild(QLineEdit, "redemptionKeyEdit"), Qt.Key.Key_Return)
    wait_until(lambda: not window.flows.is_busy())


def send(window, **texts: str) -> None:
    """Types `texts` ({object name: text}) into the correction, sends and confirms."""
    from PySide6.QtWidgets import QLineEdit, QPushButton

    for name, text in texts.items():
        window.findChild(QLineEdit, name).setText(text)
    QTest.mouseClick(window.findChild(QPushButton, "sendButton"), Qt.MouseButton.LeftButton)
    wait_until(lambda: window.findChild(QDialog, "confirmDialog") is not None)
    confirm(window.findChild(QDialog, "confirmDialog"))
    wait_until(lambda: not window.flows.is_busy())


def confirm(dialog) -> None:
    """Clicks "Send update" once it is armed (a moment after the dialog shows)."""
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    wait_until(ok.isEnabled)
    ok.click()


def show_history(window) -> None:
    """More of a working session, then the History tab with the newest update selected."""
    look_up(window, "919800000001", "FaiL50")
    send(window, purposeEdit="pos outage refund")
    look_up(window, "919800000001", "NZVat9")  # IDs are case-sensitive: not found
    look_up(window, "919800000001", "NZVAt9")
    send(window, billNumberEdit="bill-new-77", purposeEdit="re-issued receipt")
    window.history_action.trigger()
    wait_until(lambda: window.history_panel is not None)
    panel = window.history_panel
    wait_until(lambda: panel.model.rowCount() == 7 and not panel.model.is_loading)
    panel.table.selectRow(0)


def render(
    path: str, width: int = 1366, height: int = 768, dark: bool = False, history: bool = False
) -> None:
    app = application(dark)
    with tempfile.TemporaryDirectory() as data_dir:
        window = build_window(["--demo", "--data-dir", data_dir])
        window.resize(width, height)
        find = window.findChild
        from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton

        find(QLineEdit, "identifierValueEdit").setText("919800000001")
        find(QLineEdit, "redemptionKeyEdit").setText("WaRn01")
        QTest.keyClick(find(QLineEdit, "redemptionKeyEdit"), Qt.Key.Key_Return)
        wait_until(lambda: not window.flows.is_busy())
        find(QLineEdit, "billIdEdit").setText("26503632")
        find(QLineEdit, "billNumberEdit").setText("POS-7781-0424")
        assert find(QComboBox, "entityTypeCombo") is not None
        QTest.mouseClick(find(QPushButton, "sendButton"), Qt.MouseButton.LeftButton)
        wait_until(lambda: find(QDialog, "confirmDialog") is not None)
        confirm(find(QDialog, "confirmDialog"))
        wait_until(lambda: window.response.status_banner.text().startswith("Update applied"))
        if history:
            show_history(window)
        # Let the offscreen window settle (status messages, layouts) before grabbing it.
        QTest.qWait(200)
        if (window.width(), window.height()) != (width, height):
            raise SystemExit(f"the window grew to {window.width()}x{window.height()}")
        if not window.grab().save(path):
            raise SystemExit(f"could not write {path}")
        window.close()
    del app


# (file name, logical width, height, scale): 1920x1080 at 150 % is 1280x720 logical pixels.
SCREENS = (
    ("screen-1024x600", 1024, 600, 1.0),
    ("screen-1366x768", 1366, 768, 1.0),
    ("screen-1920x1080-150", 1280, 720, 1.5),
)


def render_all(folder: str) -> None:
    """Every screen in light and dark, each in its own process (the scale is fixed per app)."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    for name, width, height, scale in SCREENS:
        for dark in (False, True):
            path = Path(folder) / f"{name}{'-dark' if dark else ''}.png"
            command = [sys.executable, "-m", "tests.ui.screenshot", str(path)]
            command += ["--size", f"{width}x{height}"] + (["--dark"] if dark else [])
            environment = {**os.environ, "QT_SCALE_FACTOR": str(scale)}
            subprocess.run(command, check=True, env=environment)
            print(path)


def main(arguments: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="docs/screenshot.png")
    parser.add_argument("--size", default="1366x768", help="logical pixels, e.g. 1024x600")
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--history", action="store_true")
    parser.add_argument("--all", action="store_true", help="every screen of SCREENS into PATH/")
    options = parser.parse_args(arguments)
    if options.all:
        render_all(options.path)
        return
    width, height = (int(n) for n in options.size.split("x"))
    render(options.path, width, height, dark=options.dark, history=options.history)


if __name__ == "__main__":
    main(sys.argv[1:])
