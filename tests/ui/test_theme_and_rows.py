"""Colours that stay readable in light and dark mode, and response rows shown as received."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QLineEdit

from desktop_app.desk.response_rows import as_received, epoch_ms_meaning, response_rows
from desktop_app.ui import theme


def palette(window: str, text: str, base: str, highlight: str) -> QPalette:
    result = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, window),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.Highlight, highlight),
        (QPalette.ColorRole.HighlightedText, "#ffffff"),
    ):
        result.setColor(role, QColor(colour))
    return result


LIGHT = palette("#efefef", "#1d1d1d", "#ffffff", "#3078d6")
DARK = palette("#202124", "#e8eaed", "#17181a", "#2a5bb0")


def luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(
    "name_and_palette", [("light", LIGHT), ("dark", DARK)], ids=lambda pair: pair[0]
)
@pytest.mark.parametrize("kind", ["success", "warning", "error", "info"])
def test_banner_text_is_readable_on_its_tint(name_and_palette, kind, qapp):
    _, colours = name_and_palette
    text = colours.color(QPalette.ColorRole.WindowText)
    assert contrast(text, theme.fill(kind, colours)) >= 7.0
    # The semantic colour itself is used for text (field errors, icons) on the base colour.
    assert contrast(theme.semantic(kind, colours), colours.color(QPalette.ColorRole.Base)) >= 3.0


def test_looks_follow_the_palette(qapp):
    assert theme.primary_button_sheet(LIGHT) != theme.primary_button_sheet(DARK)
    assert "#17181a" not in theme.notice_sheet(LIGHT)
    label = QLabel("Bill ID is too long")
    theme.set_role(label, "fieldError")
    assert label.palette().color(QPalette.ColorRole.WindowText) == theme.semantic(
        "error", qapp.palette()
    )
    edit = QLineEdit("12a")
    theme.set_state(edit, "invalid", True)
    assert edit.palette().color(QPalette.ColorRole.Base) == theme.fill("error", qapp.palette())
    theme.set_state(edit, "invalid", False)
    assert edit.palette().color(QPalette.ColorRole.Base) == qapp.palette().color(
        QPalette.ColorRole.Base
    )


def test_values_are_shown_exactly_as_received():
    rows = response_rows(
        '{"billId": -1, "tillId": 26503632, "pointsRedeemed": "25.0", "notes": "",'
        ' "redemptionTime": 1712345678901, "customFields": [{"name": "reason", "value": "x"}],'
        ' "warnings": [], "somethingNew": {"a": 1}}'
    )
    by_label = {row.label: row for row in rows}
    assert by_label["Bill ID"].value == "-1" and by_label["Bill ID"].meaning == "not set"
    assert by_label["Till ID"].value == "26503632"
    assert by_label["Points redeemed"].value == "25.0"
    assert by_label["Custom fields"].meaning == "reason = x"
    assert by_label["somethingNew"].value == '{"a": 1}'
    assert "warnings" not in {row.key for row in rows}
    assert response_rows("<html>oops</html>") is None


def test_epoch_milliseconds_are_explained_in_local_time_and_utc():
    millis = 1712345678901
    meaning = epoch_ms_meaning(millis)
    utc = datetime.fromtimestamp(millis / 1000, tz=UTC)
    assert f"{utc:%Y-%m-%d %H:%M:%S} UTC" in meaning
    local = utc.astimezone()
    if local.utcoffset() == utc.utcoffset():
        assert "also local time" in meaning
    else:
        assert f"{local:%Y-%m-%d %H:%M:%S} local" in meaning
    assert epoch_ms_meaning("not a time") == ""
    assert as_received(1.5) == "1.5" and as_received(True) == "true"


@pytest.fixture
def india_time():
    import os
    import time

    if not hasattr(time, "tzset"):
        pytest.skip("Windows has no time.tzset: a process cannot switch its local time zone")
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Kolkata"
    time.tzset()
    yield
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    time.tzset()


def test_epoch_milliseconds_show_both_clocks_when_they_differ(india_time):
    # The docs' pair of stamps: 2024-02-27 10:00 UTC is 15:30 in India.
    assert epoch_ms_meaning(1709028000000) == (
        "2024-02-27 15:30:00 local (UTC+05:30) · 2024-02-27 10:00:00 UTC"
    )
