"""Small building blocks shared by the desk's panels: titled cards and labelled text."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop_app.ui import icons, theme

CARD_MARGIN = 16
CARD_SPACING = 10


class Panel(QFrame):
    """A rounded panel painted from the palette: "card" (base colour), "bar" (the top strip),
    or a tint for "success", "warning", "error", "info"."""

    def __init__(self, kind: str = "card", parent: QWidget | None = None, radius: float = 8.0):
        super().__init__(parent)
        self._kind = kind
        self._radius = radius

    @property
    def kind(self) -> str:
        return self._kind

    def set_kind(self, kind: str) -> None:
        self._kind = kind
        self.setProperty("kind", kind)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = QApplication.palette()
        painter = QPainter(self)
        if self._kind == "bar":
            painter.fillRect(self.rect(), theme.bar(palette))
            painter.fillRect(0, self.height() - 1, self.width(), 1, theme.hairline(palette))
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._kind == "card":
            background = theme.surface(palette)
            border = theme.hairline(palette)
        else:
            background, border = theme.fill(self._kind, palette), theme.edge(self._kind, palette)
        painter.setPen(QPen(border, 1))
        painter.setBrush(background)
        painter.drawRoundedRect(
            QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), self._radius, self._radius
        )


class Card(Panel):
    """A titled panel; `body` is the layout to fill."""

    def __init__(self, title: str, icon_name: str, parent: QWidget | None = None):
        super().__init__("card", parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(CARD_MARGIN, CARD_MARGIN - 4, CARD_MARGIN, CARD_MARGIN)
        outer.setSpacing(CARD_SPACING)
        header = QHBoxLayout()
        header.setSpacing(8)
        self.icon_label = QLabel()
        accent = theme.accent(QApplication.palette())
        self.icon_label.setPixmap(icons.icon(icon_name, accent).pixmap(QSize(18, 18)))
        self.title_label = QLabel(title)
        theme.set_role(self.title_label, "cardTitle")
        self.title_label.setAccessibleName(title)
        self.trailing = QHBoxLayout()
        self.trailing.setSpacing(6)
        header.addWidget(self.icon_label)
        header.addWidget(self.title_label)
        header.addStretch(1)
        header.addLayout(self.trailing)
        outer.addLayout(header)
        self.body = QVBoxLayout()
        self.body.setSpacing(CARD_SPACING)
        outer.addLayout(self.body)
        self.setAccessibleName(title)


def role_label(text: str = "", role: str = "muted", *, selectable: bool = False) -> QLabel:
    label = QLabel(text)
    theme.set_role(label, role)
    label.setWordWrap(True)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ElidedLabel(QLabel):
    """One line of text that shrinks with an ellipsis instead of widening the window.

    `text()` stays the full text (tests, accessibility and the tooltip read it).
    """

    def __init__(self, text: str = "", min_chars: int = 8):
        super().__init__(text)
        self._min_chars = min_chars

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        floor = self.fontMetrics().averageCharWidth() * self._min_chars
        return QSize(min(hint.width(), floor), hint.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, rect.width()
        )
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, self.alignment(), shown)
