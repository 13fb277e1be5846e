"""Colours derived from the OS palette, so the window reads well in light and in dark mode.

Semantic colours (success, warning, error) are never used as flat backgrounds: they are blended
into the palette's own base colour, and text keeps the palette's text colour on top of them.
"""

from __future__ import annotations

import sys
from functools import cache
from importlib import resources
from string import Template

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

# Hues picked to stay legible as text on both a white and a near-black base.
_SEMANTIC = {
    "success": ("#1b7f4c", "#4cc38a"),
    "warning": ("#9a5b00", "#f0b232"),
    "error": ("#c62828", "#ff7b72"),
}


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def blend(front: QColor, back: QColor, amount: float) -> QColor:
    """`amount` of `front` over `back` (0 = back, 1 = front)."""
    return QColor.fromRgbF(
        front.redF() * amount + back.redF() * (1 - amount),
        front.greenF() * amount + back.greenF() * (1 - amount),
        front.blueF() * amount + back.blueF() * (1 - amount),
    )


def semantic(kind: str, palette: QPalette) -> QColor:
    """The text-safe colour of a kind ("success", "warning", "error", "info") on this palette."""
    if kind == "info":
        return accent(palette)
    light, dark = _SEMANTIC[kind]
    return QColor(dark if is_dark(palette) else light)


def accent(palette: QPalette) -> QColor:
    highlight = palette.color(QPalette.ColorRole.Highlight)
    if is_dark(palette) and highlight.lightness() < 110:
        return highlight.lighter(150)
    return highlight


def muted(palette: QPalette) -> QColor:
    return blend(
        palette.color(QPalette.ColorRole.WindowText), palette.color(QPalette.ColorRole.Window), 0.62
    )


def fill(kind: str, palette: QPalette) -> QColor:
    """A background tint for a banner of this kind that keeps palette text readable."""
    base = palette.color(QPalette.ColorRole.Base)
    return blend(semantic(kind, palette), base, 0.22 if is_dark(palette) else 0.11)


def edge(kind: str, palette: QPalette) -> QColor:
    return blend(semantic(kind, palette), palette.color(QPalette.ColorRole.Base), 0.55)


@cache
def _template() -> Template:
    text = (resources.files("desktop_app") / "resources" / "style.qss").read_text("utf-8")
    return Template(text)


def style_sheet(palette: QPalette, font_point_size: float) -> str:
    window = palette.color(QPalette.ColorRole.Window)
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.WindowText)
    dark = is_dark(palette)
    highlight = accent(palette)
    values = {
        "window": window,
        "base": base,
        "bar": blend(highlight, window, 0.07),
        "alternate": blend(text, base, 0.035),
        "hairline": blend(text, window, 0.16 if dark else 0.13),
        "border": blend(text, base, 0.32 if dark else 0.26),
        "muted": muted(palette),
        "text": text,
        "accent": highlight,
        "accent_hover": highlight.lighter(112) if dark else highlight.darker(110),
        "accent_border": highlight.darker(115),
        "accent_text": palette.color(QPalette.ColorRole.HighlightedText),
        "disabled_fill": blend(text, window, 0.08),
        "changed_fill": blend(highlight, base, 0.09 if not dark else 0.18),
        "changed_border": blend(highlight, base, 0.6),
        "title_size": f"{font_point_size * 1.25:.1f}pt",
        "heading_size": f"{font_point_size * 1.08:.1f}pt",
    }
    for kind in ("success", "warning", "error", "info"):
        values[kind] = semantic(kind, palette)
        values[f"{kind}_fill"] = fill(kind, palette)
        values[f"{kind}_border"] = edge(kind, palette)
    values["warning_text"] = text
    names = {key: v.name() if isinstance(v, QColor) else v for key, v in values.items()}
    return _template().substitute(names)


def apply(app: QApplication) -> None:
    """Fusion (not on macOS) so the sheet renders the same everywhere; palette from the OS."""
    if sys.platform != "darwin" and app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    refresh(app)
    if not app.property("deskThemeFollowsOs"):
        app.setProperty("deskThemeFollowsOs", True)
        # The OS switched between light and dark: the palette changes, so the sheet must too.
        app.styleHints().colorSchemeChanged.connect(
            lambda _scheme: QTimer.singleShot(0, lambda: refresh(app))
        )


def refresh(app: QApplication) -> None:
    """Re-derive the style sheet, e.g. after the OS switched between light and dark mode."""
    app.setStyleSheet(style_sheet(app.palette(), app.font().pointSizeF()))


def repolish(widget: QWidget) -> None:
    """Re-evaluate style-sheet selectors after a dynamic property changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def set_state(widget: QWidget, name: str, value: object) -> None:
    if widget.property(name) != value:
        widget.setProperty(name, value)
        repolish(widget)
