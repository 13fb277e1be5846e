"""Small building blocks shared by the desk's panels: titled cards and labelled text."""

from __future__ import annotations

import html

from PySide6.QtCore import QRectF, QSize, Signal
from PySide6.QtGui import QPainter, QPainterPath, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui import icons, theme
from desktop_app.ui.startup_path import set_enum_property

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
        if self._kind == "bar":
            background, border = theme.bar(palette), theme.hairline(palette)
        elif self._kind == "card":
            background, border = theme.surface(palette), theme.hairline(palette)
        else:
            background, border = theme.fill(self._kind, palette), theme.edge(self._kind, palette)
        # Filled paths with brushes from a palette: QPainter's pen, brush and fillRect calls
        # that take a QColor make PySide6 build the Qt namespace's enums (see startup_path),
        # and panels are painted before anything else needs them.
        colours = QPalette()
        colours.setColor(QPalette.ColorRole.Window, background)
        colours.setColor(QPalette.ColorRole.WindowText, border)
        painter = QPainter(self)
        whole = QRectF(self.rect())
        if self._kind == "bar":
            line = QRectF(0, whole.height() - 1, whole.width(), 1)
            painter.fillPath(_rounded(whole, 0), colours.brush(QPalette.ColorRole.Window))
            painter.fillPath(_rounded(line, 0), colours.brush(QPalette.ColorRole.WindowText))
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        inner = whole.adjusted(1, 1, -1, -1)
        painter.fillPath(
            _rounded(whole, self._radius), colours.brush(QPalette.ColorRole.WindowText)
        )
        painter.fillPath(
            _rounded(inner, self._radius - 1), colours.brush(QPalette.ColorRole.Window)
        )


def _rounded(rect: QRectF, radius: float) -> QPainterPath:
    path = QPainterPath()
    if radius > 0:
        path.addRoundedRect(rect, radius, radius)
    else:
        path.addRect(rect)
    return path


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


class FormScroll(QScrollArea):
    """A vertical scroll area that never squeezes its content narrower than the content's own
    minimum: the form (or the answer) keeps its protected width and scrolls up and down, never
    sideways. However tall its content gets, it asks the window for only `min_height`."""

    def __init__(self, content: QWidget, parent: QWidget | None = None, min_height: int = 120):
        super().__init__(parent)
        self._min_height = min_height
        # A viewport of our own, set before the widget (replacing one deletes its children):
        # asking the scroll area for its viewport() makes PySide6 load some 60 widget classes
        # to find the returned widget's type (~20 ms at start-up).
        viewport = QWidget()
        viewport.setAutoFillBackground(False)
        self.setViewport(viewport)
        self.setWidget(content)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        set_enum_property(self, "horizontalScrollBarPolicy", "ScrollBarAlwaysOff")
        set_enum_property(self, "focusPolicy", "NoFocus")  # the fields inside take the focus
        content.setAutoFillBackground(False)
        # Focus put on a field by code (Ctrl+L, after a lookup) scrolls it into view too,
        # not only focus moved by Tab.
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._show_focused)

    def _show_focused(self, _old: QWidget | None, new: QWidget | None) -> None:
        content = self.widget()
        if new is not None and content is not None and content.isAncestorOf(new):
            self.ensureWidgetVisible(new, 8, 8)

    def minimumSizeHint(self) -> QSize:
        content = self.widget()
        width = content.minimumSizeHint().width() if content is not None else 0
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return QSize(width + bar + 2 * self.frameWidth(), self._min_height)


class PageTabs(QTabWidget):
    """Tabs whose minimum height is that of the page on show: a taller page that is not open
    (History, with its filters) does not take height from the form when the panes are stacked.
    The width stays the widest page's, so opening a tab never rearranges the window."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        page = self.currentWidget()
        stack = page.parentWidget() if page is not None else None
        if stack is None:
            return hint
        others = stack.minimumSizeHint().height() - _min_height(page)
        return QSize(hint.width(), hint.height() - others)


class AdaptiveSplitter(QSplitter):
    """Two panes side by side while both fit at their minimum widths, one above the other when
    they do not (a narrow screen, large fonts): the first pane never gets narrower than its
    minimum, and the window can still shrink to the widest single pane."""

    stackedChanged = Signal(bool)
    STACKED_SHARE = 0.6  # of the height, for the first pane, when stacked

    def __init__(self, parent: QWidget | None = None):
        # QSplitter(None) would be matched against QSplitter(Qt.Orientation) too, which
        # builds the Qt namespace's enums (startup_path).
        if parent is None:
            super().__init__()  # horizontal
        else:
            super().__init__(parent)
        self._side_by_side_sizes: list[int] = []
        self._stacked = False  # tracked here: orientation() would build Qt's enums (startup_path)

    def is_stacked(self) -> bool:
        return self._stacked

    def side_by_side_width(self) -> int:
        """The narrowest width at which the panes still fit side by side."""
        panes = [self.widget(i) for i in range(self.count())]
        return sum(_min_width(p) for p in panes) + self.handleWidth() * (len(panes) - 1)

    def minimumSizeHint(self) -> QSize:
        panes = [self.widget(i) for i in range(self.count())]
        if not panes:
            return super().minimumSizeHint()
        width = max(_min_width(p) for p in panes)  # narrower than this, it stacks
        heights = [_min_height(p) for p in panes]
        if not self._stacked:
            return QSize(width, max(heights))
        return QSize(width, sum(heights) + self.handleWidth() * (len(panes) - 1))

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.arrange(event.size().width())
        super().resizeEvent(event)

    def arrange(self, width: int) -> None:
        stacked = width < self.side_by_side_width()
        if stacked == self.is_stacked() or self.count() != 2:
            return
        self._stacked = stacked
        if stacked:
            self._side_by_side_sizes = self.sizes()
            set_enum_property(self, "orientation", "Vertical")
            height = max(self.height(), 1)
            first = int(height * self.STACKED_SHARE)
            self.setSizes([first, height - first])
        else:
            set_enum_property(self, "orientation", "Horizontal")
            if self._side_by_side_sizes:
                self.setSizes(self._side_by_side_sizes)
        self.stackedChanged.emit(stacked)


def _min_width(widget: QWidget) -> int:
    return max(widget.minimumWidth(), widget.minimumSizeHint().width())


def _min_height(widget: QWidget) -> int:
    return max(widget.minimumHeight(), widget.minimumSizeHint().height())


class FixButton(QPushButton):
    """ "Use 919800000001": puts the suggested spelling of a refused value into its field, only
    when clicked. Hidden while there is no suggestion."""

    def __init__(self, edit: QLineEdit, what: str, object_name: str):
        super().__init__()
        self._edit = edit
        self._what = what
        self._text = ""
        self.setObjectName(object_name)
        self.setFlat(True)
        self.setAccessibleName(f"Use the suggested {what}")
        self.clicked.connect(self._use)
        self.hide()

    def offer(self, suggestion: str | None) -> None:
        self._text = suggestion or ""
        if suggestion:
            theme.set_role(self, "link")  # styled when first offered, not at start-up
            shown = suggestion if len(suggestion) <= 40 else suggestion[:39] + ELLIPSIS
            self.setText(f"Use {shown}")
            self.setToolTip(f"Put “{suggestion}” in the {self._what} field")
            self.setAccessibleName(f"Use {suggestion} as the {self._what}")
        self.setVisible(bool(suggestion))

    def _use(self) -> None:
        if self._text:
            self._edit.setText(self._text)
            self._edit.setFocus()


def plain_label(text: str = "") -> QLabel:
    """A label that shows its text as written: what comes from a server, a file or the agent
    must never be read as markup (a message `<h1>Update applied</h1>` stays those characters)."""
    label = QLabel(text)
    set_enum_property(label, "textFormat", "PlainText")
    return label


def plain_tooltip(text: str) -> str:
    """`text` for setToolTip, shown as written: a tooltip is read as markup when it looks like
    markup, so one with a '<' becomes markup whose text is exactly `text`."""
    if "<" not in text:
        return text
    return f"<p style='white-space:pre-wrap'>{html.escape(text, quote=False)}</p>"


def role_label(text: str = "", role: str = "muted", *, selectable: bool = False) -> QLabel:
    label = plain_label(text)
    theme.set_role(label, role)
    label.setWordWrap(True)
    if selectable:
        set_enum_property(label, "textInteractionFlags", "TextSelectableByMouse")
    return label


class ElidedLabel(QLabel):
    """One line of text that shrinks with an ellipsis instead of widening the window.

    `text()` stays the full text (tests, accessibility and the tooltip read it).
    """

    def __init__(self, text: str = "", min_chars: int = 8):
        super().__init__(text)
        set_enum_property(self, "textFormat", "PlainText")
        self._min_chars = min_chars

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(plain_tooltip(text))

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        floor = self.fontMetrics().averageCharWidth() * self._min_chars
        return QSize(min(hint.width(), floor), hint.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        rect = self.contentsRect()
        metrics = self.fontMetrics()
        if metrics.horizontalAdvance(self.text()) <= rect.width():
            super().paintEvent(event)
            return
        from PySide6.QtCore import Qt  # only once a text is shortened: see startup_path

        shortened = metrics.elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        QPainter(self).drawText(rect, self.alignment(), shortened)


ELLIPSIS = "…"
