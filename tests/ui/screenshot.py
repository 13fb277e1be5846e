"""Renders docs/screenshot.png: the demo after an update that came back with a warning.

    QT_QPA_PLATFORM=offscreen python -m tests.ui.screenshot docs/screenshot.png

Drives the real window (demo sandbox, automation contract) and grabs it offscreen.
"""

from __future__ import annotations

import sys
import tempfile
import time

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


def render(path: str, width: int = 1360, height: int = 860, dark: bool = False) -> None:
    app = QApplication.instance() or QApplication([sys.argv[0]])
    if dark:
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
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
        dialog = find(QDialog, "confirmDialog")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
        wait_until(lambda: not window.flows.is_busy())
        # Let the offscreen window settle (status messages, layouts) before grabbing it.
        QTest.qWait(200)
        window.grab().save(path)
        window.close()
    del app


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--dark"]
    render(arguments[0] if arguments else "docs/screenshot.png", dark="--dark" in sys.argv)
