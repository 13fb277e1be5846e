"""What start-up leaves for later (to show the window sooner) is still there when it is needed:
every name of the automation contract right after build_window; the Raw tab's views, with their
fixed-width font, once the tab is opened (errorsView and the Raw views also appear when an answer
is shown: tests/ui/test_desk_errors.py, test_desk_records.py)."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit, QTabWidget, QWidget

CONTRACT_NAMES = (
    "entityTypeCombo",
    "identifierTypeCombo",
    "identifierValueEdit",
    "redemptionKeyCombo",
    "redemptionKeyEdit",
    "lookupButton",
    "billIdEdit",
    "billNumberEdit",
    "purposeEdit",
    "billIdError",
    "billNumberError",
    "purposeError",
    "sendButton",
    "statusBanner",
    "responseView",
    "warningsView",
)


def test_every_contract_name_is_there_as_soon_as_build_window_returns(open_desk):
    desk = open_desk()
    missing = [name for name in CONTRACT_NAMES if desk.window.findChild(QWidget, name) is None]
    assert missing == []


def test_the_raw_tab_uses_a_fixed_width_font_once_it_is_opened(desk):
    desk.find("responseTabs", QTabWidget).setCurrentIndex(1)
    fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    for name in ("rawRequestView", "rawResponseView"):
        assert desk.find(name, QPlainTextEdit).font().family() == fixed.family()


# Run in a process of its own: this test process has long built Qt's enums.
_FIRST_PAINT_PROBE = """
import sys
import PySide6.QtCore as core
from desktop_app.app import build_window

window = build_window(sys.argv[1:])
window.repaint()
print("Qt" in vars(core))
window.shutdown()
"""


def test_the_window_paints_before_anything_builds_the_qt_namespace_enums(tmp_path):
    # The rule desktop_app/ui/startup_path.py relies on: ~16 ms of the first paint.
    args = ["--base-url", "http://127.0.0.1:9", "--username", "x", "--data-dir", str(tmp_path)]
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_PAINT_PROBE, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False"], "something on the start-up path used PySide6's `Qt`"
