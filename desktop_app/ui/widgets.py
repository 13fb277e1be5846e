"""Small building blocks shared by the desk's panels: titled cards and labelled text."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop_app.ui import icons, theme

CARD_MARGIN = 16
CARD_SPACING = 10


class Card(QFrame):
    """A titled panel; `body` is the layout to fill."""

    def __init__(self, title: str, icon_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setProperty("card", True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(CARD_MARGIN, CARD_MARGIN - 4, CARD_MARGIN, CARD_MARGIN)
        outer.setSpacing(CARD_SPACING)
        header = QHBoxLayout()
        header.setSpacing(8)
        self.icon_label = QLabel()
        accent = theme.accent(QApplication.palette())
        self.icon_label.setPixmap(icons.icon(icon_name, accent).pixmap(QSize(18, 18)))
        self.title_label = QLabel(title)
        self.title_label.setProperty("role", "cardTitle")
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
    label.setProperty("role", role)
    label.setWordWrap(True)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def hairline() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setProperty("role", "hairline")
    return line


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
        self.style().drawItemText(
            painter,
            rect,
            self.alignment(),
            self.palette(),
            self.isEnabled(),
            shown,
            self.foregroundRole(),
        )
