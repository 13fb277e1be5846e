"""What start-up leaves for later (to show the window sooner) is still there when it is needed:
every name of the automation contract right after build_window; the Raw tab's views, with their
fixed-width font, once the tab is opened (errorsView and the Raw views also appear when an answer
is shown: tests/ui/test_desk_errors.py, test_desk_records.py)."""

from __future__ import annotations

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
