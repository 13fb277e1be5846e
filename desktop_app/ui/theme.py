"""Colours derived from the OS palette, so the window reads well in light and in dark mode.

Semantic colours (success, warning, error) are never used as flat backgrounds: they are blended
into the palette's own base colour, and text keeps the palette's text colour on top of them.

No application-wide style sheet: it would make Qt restyle every widget through its style-sheet
engine, the largest single cost of showing the window. Looks are set per widget instead, from
dynamic properties ("role", "state", "invalid", "changed", "primary"), with palettes and fonts;
panels paint themselves (widgets.Panel); a few leaf widgets get a tiny sheet of their own.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabBar,
    QWidget,
)

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


def text(palette: QPalette) -> QColor:
    return palette.color(QPalette.ColorRole.WindowText)


def muted(palette: QPalette) -> QColor:
    return blend(text(palette), palette.color(QPalette.ColorRole.Window), 0.62)


def hairline(palette: QPalette) -> QColor:
    return blend(
        text(palette), palette.color(QPalette.ColorRole.Window), 0.16 if is_dark(palette) else 0.13
    )


def surface(palette: QPalette) -> QColor:
    """Panels' background: the base colour in light mode; in dark mode a shade lighter than the
    window, so fields (base colour) still stand out from the panel they sit on."""
    if is_dark(palette):
        return blend(text(palette), palette.color(QPalette.ColorRole.Window), 0.05)
    return palette.color(QPalette.ColorRole.Base)


def bar(palette: QPalette) -> QColor:
    return blend(accent(palette), palette.color(QPalette.ColorRole.Window), 0.07)


def fill(kind: str, palette: QPalette) -> QColor:
    """A background tint for a panel of this kind that keeps palette text readable."""
    base = palette.color(QPalette.ColorRole.Base)
    if kind == "changed":
        return blend(accent(palette), base, 0.18 if is_dark(palette) else 0.09)
    return blend(semantic(kind, palette), base, 0.22 if is_dark(palette) else 0.11)


def edge(kind: str, palette: QPalette) -> QColor:
    return blend(semantic(kind, palette), palette.color(QPalette.ColorRole.Base), 0.55)


# -- per-widget looks -----------------------------------------------------------------------

_LABEL_COLOURS = {
    "muted": muted,
    "fieldLabel": muted,
    "unknown": muted,
    "fieldError": lambda p: semantic("error", p),
    "changed": accent,
}
_STATE_COLOURS = {
    "busy": accent,
    "error": lambda p: semantic("error", p),
    "idle": lambda p: semantic("success", p),
}


def set_state(widget: QWidget, name: str, value: object) -> None:
    """Sets a look property ("role", "state", "invalid", …) and applies it (no work when the
    widget has that value already: forms set their states again on every keystroke)."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    restyle(widget)


def set_role(widget: QWidget, role: str) -> None:
    set_state(widget, "role", role)


def restyle(widget: QWidget) -> None:
    """Applies the widget's look properties with the current application palette."""
    palette = QApplication.palette()
    if isinstance(widget, QLineEdit):
        _style_line_edit(widget, palette)
    elif isinstance(widget, QPushButton) and widget.property("primary"):
        widget.setStyleSheet(primary_button_sheet(palette))
    elif isinstance(widget, QPushButton) and widget.property("role") == "link":
        widget.setStyleSheet(link_button_sheet(palette))
    elif isinstance(widget, QTabBar):
        widget.setDrawBase(False)
        widget.setStyleSheet(tab_bar_sheet(palette))
    elif isinstance(widget, QHeaderView):
        widget.setStyleSheet(header_sheet(palette))
    elif isinstance(widget, QLabel):
        _style_label(widget, palette)
    widget.update()


def _style_label(label: QLabel, palette: QPalette) -> None:
    role = label.property("role")
    state = label.property("state")
    colour_of = _STATE_COLOURS.get(state) or _LABEL_COLOURS.get(role) or text
    own = label.palette()
    own.setColor(QPalette.ColorRole.WindowText, colour_of(palette))  # disabled ones too
    label.setPalette(own)
    # The font is set only when it changes (most labels keep the default one): each set makes
    # Qt resolve and propagate it and lay the label out again.
    bold = role in ("cardTitle", "value", "title") or state in ("busy", "error")
    italic = role == "unknown"
    current = label.font()
    size = current.pointSizeF()
    base_size = QApplication.font().pointSizeF()
    if base_size > 0:
        size = base_size * {"cardTitle": 1.08, "title": 1.25}.get(role, 1.0)
    if (current.bold(), current.italic(), current.pointSizeF()) != (bold, italic, size):
        font = QFont(current)
        font.setBold(bold)
        font.setItalic(italic)
        if size > 0:
            font.setPointSizeF(size)
        label.setFont(font)
    if role == "notice":
        label.setStyleSheet(notice_sheet(palette))
    elif role == "badge":
        label.setStyleSheet(badge_sheet(palette))


FIELD_HEIGHT = 28


def _style_line_edit(edit: QLineEdit, palette: QPalette) -> None:
    edit.setMinimumHeight(FIELD_HEIGHT)
    edit.setTextMargins(4, 0, 4, 0)
    own = edit.palette()
    if edit.property("invalid"):
        own.setColor(QPalette.ColorRole.Base, fill("error", palette))
    elif edit.property("changed"):
        own.setColor(QPalette.ColorRole.Base, fill("changed", palette))
    else:
        own.setColor(QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Base))
    edit.setPalette(own)


def primary_button_sheet(palette: QPalette) -> str:
    colour = accent(palette)
    hover = colour.lighter(112) if is_dark(palette) else colour.darker(110)
    window = palette.color(QPalette.ColorRole.Window)
    return (
        f"QPushButton {{ background: {colour.name()}; "
        f"color: {palette.color(QPalette.ColorRole.HighlightedText).name()}; "
        f"border: 1px solid {colour.darker(115).name()}; border-radius: 5px; "
        "padding: 6px 16px; font-weight: 600; }"
        f"QPushButton:hover {{ background: {hover.name()}; }}"
        f"QPushButton:disabled {{ background: {blend(text(palette), window, 0.08).name()}; "
        f"color: {muted(palette).name()}; border: 1px solid {hairline(palette).name()}; }}"
    )


def link_button_sheet(palette: QPalette) -> str:
    """A one-click fix under a field ("Use 919800000001"): reads as a link, keeps a focus frame."""
    colour = accent(palette).name()
    return (
        f"QPushButton {{ color: {colour}; border: 1px solid transparent; border-radius: 4px;"
        " padding: 1px 6px; text-decoration: underline; background: transparent; }"
        f"QPushButton:focus {{ border-color: {colour}; }}"
    )


def tab_bar_sheet(palette: QPalette) -> str:
    return (
        "QTabBar::tab { background: transparent; border: none; "
        f"color: {muted(palette).name()}; border-bottom: 2px solid transparent; "
        "padding: 6px 14px 7px 12px; margin-right: 4px; }"
        f"QTabBar::tab:hover {{ color: {text(palette).name()}; }}"
        f"QTabBar::tab:selected {{ color: {text(palette).name()}; "
        f"border-bottom: 2px solid {accent(palette).name()}; font-weight: 600; }}"
    )


def notice_sheet(palette: QPalette) -> str:
    return (
        f"QLabel {{ background: {fill('info', palette).name()}; "
        f"border: 1px solid {edge('info', palette).name()}; border-radius: 6px; "
        f"padding: 6px 8px; color: {text(palette).name()}; }}"
    )


def badge_sheet(palette: QPalette) -> str:
    return (
        f"QLabel {{ background: {fill('warning', palette).name()}; "
        f"border: 1px solid {edge('warning', palette).name()}; border-radius: 4px; "
        f"padding: 2px 8px; color: {text(palette).name()}; font-weight: 700; }}"
    )


def header_sheet(palette: QPalette) -> str:
    return (
        f"QHeaderView::section {{ background: {bar(palette).name()}; border: none; "
        f"border-bottom: 1px solid {hairline(palette).name()}; padding: 4px 6px; "
        f"color: {text(palette).name()}; font-weight: 600; }}"
    )


# -- application --------------------------------------------------------------------------


def style_args(qt_args: list[str]) -> list[str]:
    """Qt options that choose Fusion (not on macOS) when the app is created, unless the command
    line chose a style: cheaper than asking the running app for its style (see `apply`)."""
    if sys.platform == "darwin" or "-style" in qt_args:
        return []
    return ["-style", "Fusion"]


def apply(app: QApplication, *, style_chosen: bool = False) -> None:
    """Fusion (not on macOS) so panels look the same everywhere; the palette is the OS's.

    `style_chosen`: the app was created with `style_args`, so its style needs no check (reading
    app.style() makes PySide6 load the QStyle classes and their enums, ~10 ms at start-up).
    """
    if not style_chosen and sys.platform != "darwin" and app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    if not app.property("deskThemeFollowsOs"):
        app.setProperty("deskThemeFollowsOs", True)
        # The OS switched between light and dark: every derived colour must follow.
        app.styleHints().colorSchemeChanged.connect(
            lambda _scheme: QTimer.singleShot(0, lambda: refresh(app))
        )


def refresh(app: QApplication) -> None:
    """Re-derives every widget's look, e.g. after the OS switched between light and dark."""
    for widget in app.allWidgets():
        if _has_look(widget):
            restyle(widget)
        else:
            widget.update()


def _has_look(widget: QWidget) -> bool:
    if isinstance(widget, QLineEdit | QTabBar | QHeaderView):
        return True
    return any(widget.property(name) is not None for name in ("role", "state", "primary"))
