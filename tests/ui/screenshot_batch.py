"""Renders docs/screenshot-batch.png: the batch window after the demo's sample file was sent.

QT_QPA_PLATFORM=offscreen python -m tests.ui.screenshot_batch docs/screenshot-batch.png
(add --dark for the dark palette, --size 1024x600 for the smallest supported window)
"""

from __future__ import annotations

import sys
import tempfile

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from desktop_app.app import build_window
from tests.ui.screenshot import application, wait_until


def render(path: str, size: tuple[int, int] = (1180, 600), dark: bool = False) -> None:
    app = application(dark)
    with tempfile.TemporaryDirectory() as data_dir:
        window = build_window(["--demo", "--data-dir", data_dir])
        window.show()
        wait_until(lambda: window.connection is not None and not window.connection.starting)
        dialog = window.open_batch()
        dialog.resize(*size)
        dialog._open_sample()
        wait_until(lambda: dialog.model.rowCount() > 0)
        dialog.send_button.click()
        wait_until(lambda: dialog.findChild(QMessageBox, "batchConfirm") is not None)
        box = dialog.findChild(QMessageBox, "batchConfirm")
        accept = QMessageBox.ButtonRole.AcceptRole
        next(b for b in box.buttons() if box.buttonRole(b) == accept).click()
        wait_until(lambda: dialog.model.results() and not dialog.running)
        dialog.table.selectRow(3)
        QTest.qWait(200)
        dialog.grab().save(path)
        dialog.close()
        window.close()
    del app


if __name__ == "__main__":
    args = sys.argv[1:]
    size = (1180, 600)
    if "--size" in args:
        width, height = args[args.index("--size") + 1].split("x")
        size = (int(width), int(height))
        del args[args.index("--size") : args.index("--size") + 2]
    files = [a for a in args if not a.startswith("--")]
    render(files[0] if files else "docs/screenshot-batch.png", size, dark="--dark" in args)
