"""The server's answer to an update: outcome banner, explained errors, warnings, fields and raw."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.model import ApiProblem, ProblemKind, UpdateResult
from desktop_app.desk.answer_view import (
    PreparedAnswer,
    message_line,
    problem_messages,
)
from desktop_app.desk.outcomes import retry_after_text
from desktop_app.ui import icons, theme
from desktop_app.ui.widgets import (
    FormScroll,
    Panel,
    plain_label,
    plain_tooltip,
    role_label,
    set_enum_property,
)

HEADLINE_MESSAGES = 3
# Lines of text a messages table shows before it scrolls, and that the answer keeps on screen
# however little height the window leaves it (the rest scrolls: 600-px screens, large fonts).
MESSAGE_LINES = 6
ANSWER_MIN_LINES = 5


@dataclass(frozen=True)
class Exchange:
    """What was sent and what came back, for the Raw tab and the copy buttons."""

    request_text: str
    curl: str
    response_text: str = ""
    http_status: int | None = None


def _table(name: str, accessible: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.verticalHeader().setMinimumSectionSize(table.fontMetrics().height() + 10)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(True)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    header = table.horizontalHeader()
    set_enum_property(header, "defaultAlignment", "AlignLeft|AlignVCenter")
    theme.restyle(header)
    # The label column fits its text; the others share the rest and wrap, so a long value
    # never pushes the meaning column (readable times, "not set") out of a narrow pane.
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    for column in range(1, len(headers)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    # Wrapped text needs taller rows whenever the columns get narrower or wider.
    header.sectionResized.connect(lambda *_: table.resizeRowsToContents())
    return table


def _fill(table: QTableWidget, rows: Sequence[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(plain_tooltip(text))
            table.setItem(r, c, item)
    table.resizeRowsToContents()


def _fit_height(table: QTableWidget) -> None:
    """As tall as its rows, up to MESSAGE_LINES lines: beyond that the table scrolls, so a long
    list of messages never pushes the Fields tab out of the pane."""
    table.resizeRowsToContents()
    rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
    most = MESSAGE_LINES * table.fontMetrics().lineSpacing()
    table.setFixedHeight(table.horizontalHeader().sizeHint().height() + min(rows, most) + 4)


class _MessagesBox(Panel):
    """A tinted box with a title, a table of messages and optional explanation text."""

    def __init__(self, name: str, title: str, icon_name: str, kind: str, table: QTableWidget):
        super().__init__(kind, radius=6)
        self.setObjectName(name)
        self._icon_name, self._kind = icon_name, kind
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(8)
        header = QHBoxLayout()
        self.glyph = QLabel()
        self.title = QLabel(title)
        theme.set_role(self.title, "cardTitle")
        header.addWidget(self.glyph)
        header.addWidget(self.title, 1)
        layout.addLayout(header)
        self.table = table
        table.horizontalHeader().sectionResized.connect(lambda *_: _fit_height(table))
        layout.addWidget(table)
        self.text = role_label("", "body", selectable=True)
        self.text.hide()
        layout.addWidget(self.text)
        self.hide()

    def refresh_icon(self) -> None:
        color = theme.semantic(self._kind, QGuiApplication.palette())
        self.glyph.setPixmap(icons.icon(self._icon_name, color).pixmap(QSize(18, 18)))


class _DetailTabs(QTabWidget):
    """Fields and Raw take the height the answer leaves and ask for no more than their minimum:
    a larger wish would make the answer scroll even when everything fits."""

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint()


class ResponsePanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._exchange: Exchange | None = None

        self.answer_title = role_label("", "fieldLabel", selectable=True)
        self.answer_title.setObjectName("answerTitle")
        self.answer_title.hide()
        self.banner = Panel("info")
        self.banner.setObjectName("bannerFrame")
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(14, 12, 14, 12)
        banner_layout.setSpacing(12)
        self.banner_icon = QLabel()
        set_enum_property(self.banner_icon, "alignment", "AlignTop")
        texts = QVBoxLayout()
        texts.setSpacing(3)
        self.status_banner = plain_label()
        self.status_banner.setObjectName("statusBanner")
        theme.set_role(self.status_banner, "value")
        self.status_banner.setWordWrap(True)
        set_enum_property(self.status_banner, "textInteractionFlags", "TextSelectableByMouse")
        self.banner_detail = role_label("", "body", selectable=True)
        self.banner_detail.setObjectName("bannerDetail")
        texts.addWidget(self.status_banner)
        texts.addWidget(self.banner_detail)
        banner_layout.addWidget(self.banner_icon)
        banner_layout.addLayout(texts, 1)

        # Built when first needed, not at start-up (nothing shows them then): the errors box and
        # the Raw tab's views (see errors, raw_request, raw_response).
        self._errors: _MessagesBox | None = None
        self._raw_views: tuple[QPlainTextEdit, QPlainTextEdit] | None = None
        self.warnings_view = _table("warningsView", "Warnings", ["Code", "Warning"])
        self.warnings = _MessagesBox(
            "warningsFrame", "Warnings", "warning", "warning", self.warnings_view
        )

        self.response_view = _table(
            "responseView", "Response fields", ["Field", "Value", "Meaning"]
        )
        self._raw_page = QWidget()
        # Its two views scroll together rather than make the tabs (and the window) taller.
        raw_scroll = FormScroll(self._raw_page, min_height=4 * self.fontMetrics().lineSpacing())
        raw_scroll.setAccessibleName("Request and response as sent and received")
        self.tabs = _DetailTabs()
        self.tabs.setObjectName("responseTabs")
        self.tabs.setAccessibleName("Response details")
        self.tabs.setDocumentMode(True)
        theme.restyle(self.tabs.tabBar())
        self.tabs.addTab(self.response_view, icons.icon("receipt"), "Fields")
        self._raw_tab = self.tabs.addTab(raw_scroll, icons.icon("terminal"), "Raw")
        self.tabs.currentChanged.connect(self._tab_shown)

        self.copy_response = QPushButton(icons.icon("copy"), "Copy response")
        self.copy_response.setObjectName("copyResponseButton")
        self.copy_response.setAccessibleName("Copy response")
        self.copy_response.clicked.connect(self._copy_response)
        self.copy_curl = QPushButton(icons.icon("terminal"), "Copy as curl")
        self.copy_curl.setObjectName("copyCurlButton")
        self.copy_curl.setAccessibleName("Copy as curl")
        self.copy_curl.setToolTip("A curl command for the same request, credentials redacted")
        self.copy_curl.clicked.connect(self._copy_curl)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_response)
        buttons.addWidget(self.copy_curl)

        # The whole answer scrolls when the window leaves it too little height, so no banner,
        # message box or tab ever makes the window taller than the screen.
        content = QWidget()
        self._body = QVBoxLayout(content)
        self._body.setContentsMargins(0, 0, 0, 0)
        self._body.setSpacing(10)
        self._body.addWidget(self.answer_title)
        self._body.addWidget(self.banner)
        self._body.addWidget(self.warnings)  # the errors box goes above it once made
        self._body.addWidget(self.tabs, 1)
        self._body.addLayout(buttons)
        lines = ANSWER_MIN_LINES * self.fontMetrics().lineSpacing()
        self.scroll = FormScroll(content, min_height=lines)
        self.scroll.setObjectName("answerScroll")
        self.scroll.setAccessibleName("Answer")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)
        self.show_idle()

    # -- states -----------------------------------------------------------------------------
    def show_idle(self) -> None:
        self._exchange = None
        self._banner(
            "info",
            "No update sent yet",
            "Look a redemption up, correct it and send: Capillary's answer appears here.",
        )
        self._clear()

    def show_title(self, title: str) -> None:
        """Names what the answer on show answers (redemption, customer, time, outcome)."""
        self.answer_title.setText(title)
        self.answer_title.setVisible(bool(title))
        theme.set_state(self.answer_title, "role", "fieldLabel")

    def show_earlier(self, title: str) -> None:
        """The answer on show is from before the redemption now on screen: dimmed, its details
        cleared (History keeps them)."""
        self.show_title(title)
        theme.set_state(self.answer_title, "role", "muted")
        self._exchange = None
        self._banner(
            "info",
            "Earlier answer — not about what is on screen now",
            "The desk has moved on since this answer came; History keeps its details.",
        )
        self._clear()

    def show_sending(self, exchange: Exchange) -> None:
        self._exchange = exchange
        self._banner("info", "Sending the update…", "Waiting for Capillary's answer.")
        self._clear()
        self.raw_request.setPlainText(exchange.request_text)

    def show_stopped(self) -> None:
        self._banner(
            "warning",
            "Stopped waiting — the update may still be applied",
            "Capillary may still apply the update that was sent. Look the redemption up again "
            "before sending it again.",
        )

    def show_note(self, kind: str, headline: str, detail: str) -> None:
        self._banner(kind, headline, detail)

    def show_success(
        self,
        exchange: Exchange,
        result: UpdateResult,
        answer: PreparedAnswer,
        note: str = "",
    ) -> None:
        """Shows an applied update; `answer` is what the job prepared from its body."""
        self._exchange = exchange
        self._clear()
        count = len(result.warnings)
        if count:
            headline = f"Update applied, with {count} warning{'s' if count > 1 else ''}"
            detail = "Read the warnings below: the update was applied, but Capillary flagged it."
        else:
            headline = "Update applied"
            detail = f"Capillary accepted the change (HTTP {result.http_status})."
        self._banner("warning" if count else "success", headline, _join(detail, note))
        self._show_warnings(answer)
        self._show_exchange(exchange, answer)

    def show_failure(
        self,
        exchange: Exchange,
        problem: ApiProblem,
        answer: PreparedAnswer,
        note: str = "",
    ) -> None:
        self._exchange = exchange
        self._clear()
        from desktop_app.core.error_catalogue import explain

        messages = problem_messages(problem)
        if problem.may_have_applied:
            kind, headline = "warning", "Outcome unknown — the update may have been applied"
        elif problem.kind is ProblemKind.AUTH:
            kind, headline = "error", "Not sent: the till rejected the credentials"
        else:
            kind, headline = "error", "Update failed"
        if messages:
            headline += " — " + "; ".join(message_line(m) for m in messages[:HEADLINE_MESSAGES])
            if len(messages) > HEADLINE_MESSAGES:
                headline += f"; and {len(messages) - HEADLINE_MESSAGES:,} more"
        elif not problem.may_have_applied:
            headline += " — " + problem.message
        status = f"HTTP {problem.http_status}" if problem.http_status is not None else "no answer"
        first = explain(messages[0].code, messages[0].message) if messages else None
        detail = first.as_text() if first else problem.message
        wait = retry_after_text(problem.retry_after_seconds)
        self._banner(kind, headline, _join(f"{detail} ({status}){wait}", note))
        if answer.error_rows:
            self._show_errors(answer)
        self._show_warnings(answer)
        self._show_exchange(exchange, answer)

    # -- internals --------------------------------------------------------------------------
    def _banner(self, kind: str, headline: str, detail: str) -> None:
        self.banner.set_kind(kind)
        icon_name = {"success": "success", "warning": "warning", "error": "error"}.get(kind, "info")
        color = theme.semantic(kind, QGuiApplication.palette())
        self.banner_icon.setPixmap(icons.icon(icon_name, color).pixmap(QSize(26, 26)))
        self.status_banner.setText(headline)
        self.status_banner.setAccessibleName(f"Outcome: {headline}")
        self.banner_detail.setText(detail)
        self.banner_detail.setVisible(bool(detail))
        self.scroll.ensureVisible(0, 0, 0, 0)  # a new outcome shows from its banner on

    def _clear(self) -> None:
        if self._errors is not None:
            self._errors.hide()
        self.warnings.hide()
        _fill(self.response_view, [])
        for view in self._raw_views or ():
            view.clear()
        has_exchange = self._exchange is not None
        self.copy_curl.setEnabled(has_exchange)
        self.copy_response.setEnabled(False)

    def _show_errors(self, answer: PreparedAnswer) -> None:
        _fill(self.errors_view, answer.error_rows)
        _fit_height(self.errors_view)
        # The banner already explains the first error: the box adds only the others' advice.
        self.errors.text.setText("\n\n".join(answer.error_advice[1:]))
        self.errors.text.setVisible(len(answer.error_advice) > 1)
        self.errors.refresh_icon()
        self.errors.show()

    def _show_warnings(self, answer: PreparedAnswer) -> None:
        if not answer.warning_count:
            return
        _fill(self.warnings_view, answer.warning_rows)
        _fit_height(self.warnings_view)
        self.warnings.title.setText(f"Warnings ({answer.warning_count:,})")
        self.warnings.refresh_icon()
        self.warnings.show()

    def _show_exchange(self, exchange: Exchange, answer: PreparedAnswer) -> None:
        _fill(self.response_view, answer.fields)
        self.raw_request.setPlainText(exchange.request_text)
        self.raw_response.setPlainText(answer.raw_response)
        self.copy_response.setEnabled(bool(exchange.response_text))
        self.copy_curl.setEnabled(True)

    # -- parts built when first needed ------------------------------------------------------
    @property
    def errors(self) -> _MessagesBox:
        if self._errors is None:
            table = _table("errorsView", "Errors", ["Code", "What it means", "Server message"])
            self._errors = _MessagesBox("errorsFrame", "What went wrong", "error", "error", table)
            self._body.insertWidget(2, self._errors)  # between the banner and the warnings
        return self._errors

    @property
    def errors_view(self) -> QTableWidget:
        return self.errors.table

    @property
    def raw_request(self) -> QPlainTextEdit:
        return self._raw()[0]

    @property
    def raw_response(self) -> QPlainTextEdit:
        return self._raw()[1]

    def _raw(self) -> tuple[QPlainTextEdit, QPlainTextEdit]:
        if self._raw_views is None:
            layout = QVBoxLayout(self._raw_page)
            layout.setContentsMargins(0, 8, 0, 0)
            views = []
            for name, accessible, caption in (
                ("rawRequestView", "Request sent", "Request (Authorization redacted)"),
                ("rawResponseView", "Response received", "Response, as received"),
            ):
                view = QPlainTextEdit()
                view.setObjectName(name)
                view.setAccessibleName(accessible)
                view.setReadOnly(True)
                view.setMinimumHeight(3 * view.fontMetrics().lineSpacing() + 12)  # 600-px screens
                label = QLabel(caption)
                theme.set_role(label, "fieldLabel")
                layout.addWidget(label)
                layout.addWidget(view, 1)
                views.append(view)
            self._raw_views = (views[0], views[1])
        return self._raw_views

    def _tab_shown(self, index: int) -> None:
        # The fixed-width font is looked up when the Raw tab is first shown (~4 ms of font
        # matching that the first paint, which shows the Fields tab, need not wait for).
        if index != self._raw_tab:
            return
        self.tabs.currentChanged.disconnect(self._tab_shown)
        from PySide6.QtGui import QFontDatabase

        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        for view in self._raw():
            view.setFont(fixed)

    def _copy_response(self) -> None:
        if self._exchange is not None:
            QGuiApplication.clipboard().setText(self._exchange.response_text)

    def _copy_curl(self) -> None:
        if self._exchange is not None:
            QGuiApplication.clipboard().setText(self._exchange.curl)


def _join(first: str, second: str) -> str:
    return f"{first} {second}".strip() if second else first
