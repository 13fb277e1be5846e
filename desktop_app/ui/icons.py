"""SVG icons drawn for the desk, tinted with the palette so they follow light and dark mode.

The SVGs use `currentColor`. An icon engine renders each one on demand, at the size and
device-pixel ratio Qt asks for, through QSvgRenderer: sharp on high-DPI screens and
nothing rendered at start-up that is not on screen.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRect, QSize
from PySide6.QtGui import QColor, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from desktop_app import resources_dir

RESOURCES = resources_dir()


@cache
def _svg_text(name: str) -> str:
    path = RESOURCES / f"{name}.svg" if name == "app-icon" else RESOURCES / "icons" / f"{name}.svg"
    return path.read_text("utf-8")


def render(name: str, size: int, color: QColor | None = None, scale: float = 1.0) -> QPixmap:
    """The SVG `name` as a square pixmap of `size` logical pixels at `scale` device pixels each."""
    svg = _svg_text(name)
    if color is not None:
        svg = svg.replace("currentColor", color.name())
    pixels = max(1, round(size * scale))
    pixmap = QPixmap(pixels, pixels)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    QSvgRenderer(QByteArray(svg.encode("utf-8"))).render(painter)
    painter.end()
    pixmap.setDevicePixelRatio(scale)
    return pixmap


class _SvgEngine(QIconEngine):
    def __init__(self, name: str, color: QColor | None):
        super().__init__()
        self._name = name
        self._color = color
        self._pixmaps: dict[tuple[int, str, float], QPixmap] = {}

    def _tint(self, mode: QIcon.Mode) -> QColor | None:
        if self._name == "app-icon":
            return None
        palette = QApplication.palette()
        if mode == QIcon.Mode.Disabled:
            return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
        return self._color or palette.color(QPalette.ColorRole.WindowText)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float):
        side = min(size.width(), size.height())
        tint = self._tint(mode)
        key = (side, tint.name() if tint else "", scale)
        if key not in self._pixmaps:
            self._pixmaps[key] = render(self._name, side, tint, scale)
        return self._pixmaps[key]

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        device = painter.device()
        scale = device.devicePixelRatioF() if device is not None else 1.0
        painter.drawPixmap(rect, self.scaledPixmap(rect.size(), mode, state, scale))

    def clone(self) -> QIconEngine:
        return _SvgEngine(self._name, self._color)


def icon(name: str, color: QColor | None = None) -> QIcon:
    """A themed icon; `color` defaults to the palette's text colour (greyed when disabled)."""
    # A copy by toRgb(): QColor(color) would make PySide6 build the Qt namespace's enums.
    return QIcon(_SvgEngine(name, color.toRgb() if color is not None else None))


def app_icon() -> QIcon:
    return QIcon(_SvgEngine("app-icon", None))
