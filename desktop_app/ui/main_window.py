"""The desk's main window: connection bar, lookup, current values, correction, response.

The desk's workflow is `desk.state`, drawn and run by `DeskFlows`; this module builds and
arranges the widgets, menus and shortcuts, and remembers the window between runs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QSettings, QSize, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app import APP_NAME, __version__
from desktop_app.core.model import Entity, RedemptionKey
from desktop_app.core.paths import AppPaths
from desktop_app.desk.session import Connection, DeskServices
from desktop_app.ui import icons, theme
from desktop_app.ui.connection_bar import ConnectionBar
from desktop_app.ui.credential_gate import CredentialGate
from desktop_app.ui.desk_flows import DeskFlows, DeskWidgets
from desktop_app.ui.edit_form import EditForm
from desktop_app.ui.lookup_form import LookupForm
from desktop_app.ui.response_panel import ResponsePanel
from desktop_app.ui.startup_path import set_enum_property
from desktop_app.ui.summary_view import RedemptionSummary
from desktop_app.ui.tasks import TaskRunner
from desktop_app.ui.team_view import TeamView
from desktop_app.ui.verify_flow import VerifyFlow
from desktop_app.ui.widgets import (
    AdaptiveSplitter,
    FormScroll,
    PageTabs,
    Panel,
    role_label,
)

SHORTCUTS = (
    ("Ctrl+L", "Go to the lookup fields"),
    ("Enter", "Look up (in a lookup field)"),
    ("Ctrl+Enter", "Review and send the update (opens the confirmation)"),
    ("Esc", "Close a dialog (Cancel keeps your edits)"),
    ("Ctrl+H", "Show the history"),
    ("Ctrl+Q", "Quit"),
)
WARM_UP_DELAY_MS = 250
LOOKING_UP = "Looking up"  # how the flows name a lookup under way in the connection bar
FIRST_SIZE = (1320, 860)  # the first window's size where the screen has room for it
FRAME_ALLOWANCE = (16, 40)  # a window manager's borders and title bar, which resize() leaves out
FORM_WIDTH = 600  # the form's share of a new window (it needs a little less)
SIDE_MIN_WIDTH = 340  # the answer pane's narrowest; below form + this, it goes under the form


class MainWindow(QMainWindow):
    profilesRequested = Signal()
    busyChanged = Signal(bool)  # a lookup or an update is on its way: no switching profiles

    def __init__(self, paths: AppPaths, connection: Connection | None, settings: QSettings):
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowIcon(icons.app_icon())
        self.paths = paths
        self.settings = settings
        self.services = DeskServices(paths)
        self.runner = TaskRunner(self)
        self.gate = CredentialGate(self, self.runner, self.services)
        self._cleanups: list[Callable[[], None]] = []
        self._shut_down = False
        self._lasting_notice = ""
        self._secret_label: str | None = None  # where the password is kept, once asked
        self._reopening: Any = None  # the history entry being reopened, until its lookup ends
        self.history_panel: QWidget | None = None  # the History tab's panel, once the store is open
        self.batch_dialog: QWidget | None = None  # Desk → Batch corrections…, once opened
        self._select_in_history: Callable[..., None] | None = None

        self.connection_bar = ConnectionBar()
        self.lookup_form = LookupForm()
        self.summary = RedemptionSummary()
        self.edit_form = EditForm()
        self.response = ResponsePanel()
        self._build_send_row()
        self.team = TeamView(self.services, self.runner, self.statusBar())
        self._build_layout()
        self._build_menus()
        self.flows = DeskFlows(
            self,
            DeskWidgets(
                self.lookup_form,
                self.edit_form,
                self.summary,
                self.response,
                self.connection_bar,
                self.send_button,
                self.send_reason,
                self.send_action,
                self.stop_action,
                self.team,
            ),
            self.runner,
            self.gate,
            self.services,
        )
        self.focus_lookup_action.triggered.connect(self.focus_lookup)
        self.flows.notice.connect(self.notify)
        self.flows.secretStoreChanged.connect(self.refresh_secret_location)
        self.flows.answerShown.connect(lambda: self.side_tabs.setCurrentIndex(0))
        self.verifier = VerifyFlow(
            self, lambda: self.connection, self.runner, self.gate, self.services
        )
        self.verifier.said.connect(self._show_verify_message)
        self.verifier.said.connect(self.notify)
        self.verifier.noticed.connect(lambda text: self.notify(text, 0))
        self.verifier.noticed.connect(self.refresh_secret_location)
        self.flows.busyChanged.connect(self._busy_changed)
        self.edit_form.baselineLoaded.connect(self._continue_after_lookup)
        self.lookup_form.changed.connect(self._forget_reopening)
        self.connection_bar.busyChanged.connect(self._show_busy_on_card)
        self._set_tab_order()
        self._restore_settings()
        self.set_connection(connection)
        self._painted = self._warm_up_started = False
        self._after_paint: list[tuple[int, Callable[[], None]]] = []
        # Started a moment after the first paint: a worker thread importing modules takes the
        # GIL from the UI thread, which still has layout and painting to finish.
        self.after_first_paint(self.start_warm_up, WARM_UP_DELAY_MS)

    # -- public API (used by app.py's wiring of profiles and history) ----------------------
    @property
    def connection(self) -> Connection | None:
        return self.flows.connection

    def set_connection(self, connection: Connection | None) -> None:
        self.connection_bar.show_connection(connection)
        title = APP_NAME
        if connection is not None:
            where = "starting sandbox…" if connection.starting else connection.host
            title = f"{APP_NAME} — {connection.profile_name} ({where})"
            if connection.is_demo:
                title += " — DEMO"
        self.setWindowTitle(title)
        self.team.connection_changed(connection)
        demo = connection is not None and connection.is_demo
        self.connection_bar.secret.setVisible(not demo)  # the demo badge says no password
        if not demo and connection is not None and self._secret_label is not None:
            self.connection_bar.show_secret_location(self._secret_label)
        self.flows.set_connection(connection)

    def focus_lookup(self) -> None:
        self.activateWindow()
        self.lookup_form.focus_first_field()

    def _busy_changed(self, busy: bool) -> None:
        self.profiles_action.setEnabled(not busy)
        self.profiles_action.setToolTip(
            "Wait for the lookup or update to finish before changing profiles." if busy else ""
        )
        self.busyChanged.emit(busy)

    def _show_verify_message(self, text: str) -> None:
        """Where the agent pressed Verify: the History panel's message line."""
        message = getattr(self.history_panel, "message", None)
        if isinstance(message, QLabel):
            message.setText(text)

    def set_history_panel(self, panel: QWidget) -> None:
        """Puts the history panel (objectName historyView) into the History tab; a HistoryPanel
        also gets its Reopen and Verify by lookup wired, and a refresh after each recording."""
        index = self.side_tabs.indexOf(self.history_placeholder)
        was_open = self.side_tabs.currentIndex() == index
        self.side_tabs.removeTab(index)
        self.history_placeholder.deleteLater()
        self.history_placeholder = panel
        self.side_tabs.insertTab(index, panel, icons.icon("history"), "History")
        if was_open:  # Ctrl+H pressed while the history was still loading
            self.side_tabs.setCurrentIndex(index)
        self.history_panel = panel
        self.team.panel_installed(panel)
        if hasattr(panel, "reopen_requested"):
            panel.reopen_requested.connect(self._reopen_entry)
            panel.verify_requested.connect(self.verifier.verify)
            self.flows.historyChanged.connect(panel.refresh)
            self.verifier.historyChanged.connect(panel.refresh)

    def reopen(self, entity: Entity, key: RedemptionKey, values: dict | None) -> None:
        """History's "Reopen": the request back in the form for a new send (never sent)."""
        self.side_tabs.setCurrentIndex(0)
        self.flows.reopen(entity, key, values)

    def _continue_after_lookup(self) -> None:
        """After a lookup started from the lookup fields, the cursor goes on to the bill ID
        (once the flow has enabled the correction); after a Reopen, the agent hears what it
        left to send."""
        if self._reopening is not None:
            QTimer.singleShot(0, self, self._say_reopened)
        if self._focus_in_lookup():
            QTimer.singleShot(0, self, self._focus_correction)

    def _focus_correction(self) -> None:
        if self.edit_form.isEnabled() and self._focus_in_lookup():
            self.edit_form.focus_first_field()

    def _focus_in_lookup(self) -> bool:
        focused = self.focusWidget()
        return focused is not None and self.lookup_form.isAncestorOf(focused)

    def _reopen_entry(self, entry: Any) -> None:
        self.reopen(entry.entity, entry.key, entry.after)
        self._reopening = entry  # after reopen(): its own filling of the form is not a change
        if not entry.entity.can_be_looked_up:
            self._say_reopened()

    def _show_busy_on_card(self, text: str) -> None:
        """A lookup under way is said on the card it will fill, not only in the top bar."""
        self.summary.set_busy(text if text.startswith(LOOKING_UP) else "")

    def _forget_reopening(self) -> None:
        self._reopening = None  # the agent moved on (or its lookup failed and they edit)

    def _say_reopened(self) -> None:
        entry, self._reopening = self._reopening, None
        if entry is None:
            return
        changed = len(self.edit_form.changed_names())
        if changed:
            fields = "1 field differs" if changed == 1 else f"{changed} fields differ"
            text = (
                f"Entry #{entry.id} reopened: {fields} from the server's values; review and "
                "send when ready (nothing was sent)."
            )
        else:
            text = (
                f"Entry #{entry.id} reopened: the server already holds these values, so there "
                "is nothing to send."
            )
        message = getattr(self.history_panel, "message", None)
        if message is not None:
            message.setText(text)
        self.edit_form.set_hint(text)
        self.notify(text)

    def open_batch(self) -> Any:
        """Desk → Batch corrections…: the one batch dialog, shown (built on first use)."""
        from desktop_app.ui.batch_dialog import BatchDialog

        if self.batch_dialog is None:
            self.batch_dialog = BatchDialog(self)
        self.batch_dialog.show()
        self.batch_dialog.raise_()
        return self.batch_dialog

    def show_in_history(self, search: str, entry_id: int) -> None:
        """The History tab searched for `search`, with the entry selected once it is listed."""
        panel: Any = self.history_panel
        if panel is None:
            self.notify("The history is still opening; try again in a moment.")
            return
        self.side_tabs.setCurrentWidget(panel)
        panel.filters.search.setText(search)
        model = panel.model
        if self._select_in_history is not None:  # an earlier request still waiting: dropped
            model.rowsInserted.disconnect(self._select_in_history)

        def select_when_listed(*_: Any) -> None:
            if panel.select_entry(entry_id):
                model.rowsInserted.disconnect(select_when_listed)
                self._select_in_history = None

        self._select_in_history = select_when_listed
        model.rowsInserted.connect(select_when_listed)
        model.set_query(panel.filters.query())  # the page arrives from a worker
        self.raise_()
        self.activateWindow()

    def add_cleanup(self, cleanup: Callable[[], None]) -> None:
        """Runs once when the window shuts down, after background work has finished."""
        self._cleanups.append(cleanup)

    def notify(self, text: str, timeout_ms: int = 15000) -> None:
        """Shows `text` in the status bar. A lasting notice (timeout 0) joins the lasting one
        still shown rather than hiding it: start-up may have several (profiles, history, log)."""
        bar = self.statusBar()
        shown = bar.currentMessage()
        if timeout_ms == 0 and shown and shown == self._lasting_notice:
            text = shown if text in shown else f"{shown}  {text}"
        self._lasting_notice = text if timeout_ms == 0 else ""
        bar.showMessage(text, timeout_ms)

    def shutdown(self, timeout_ms: int = 15000) -> None:
        """Lets running requests finish (so history rows are completed), then releases all."""
        if self._shut_down:
            return
        self._shut_down = True
        self._save_settings()
        cancel_batch = getattr(self.batch_dialog, "cancel_run", None)
        if cancel_batch is not None:  # its rows in flight finish, and are recorded, in the wait
            cancel_batch()
        self.runner.wait_for_all(timeout_ms)
        self.services.close()
        for cleanup in self._cleanups:
            cleanup()

    # -- building ---------------------------------------------------------------------------
    def _build_send_row(self) -> None:
        self.send_button = QPushButton(icons.icon("send"), "Review and send…")
        self.send_button.setObjectName("sendButton")
        self.send_button.setAccessibleName("Review and send the update")
        theme.set_state(self.send_button, "primary", True)
        self.send_button.setIconSize(QSize(16, 16))
        self.send_reason = role_label("", "muted")
        self.send_reason.setObjectName("sendBlockedReason")
        self.send_row = QWidget()
        row = QHBoxLayout(self.send_row)
        row.setContentsMargins(0, 4, 0, 0)
        row.addWidget(self.send_reason, 1)
        row.addWidget(self.send_button)

    def _build_layout(self) -> None:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 6, 0)
        left_layout.setSpacing(12)
        left_layout.addWidget(self.lookup_form)
        left_layout.addWidget(self.summary)
        left_layout.addWidget(self.team.changes)
        left_layout.addWidget(self.edit_form)
        self.edit_form.body.addWidget(self.send_row)
        left_layout.addStretch(1)
        keys = role_label(
            "Ctrl+L  find a redemption   ·   Enter  look up   ·   Ctrl+Enter  review and send"
            "   ·   F1  all shortcuts",
            "muted",
        )
        keys.setObjectName("keyboardHints")
        set_enum_property(keys, "alignment", "AlignCenter")
        left_layout.addWidget(keys)
        scroll = FormScroll(left)
        scroll.setObjectName("formScroll")
        scroll.setAccessibleName("Lookup and correction")
        self.form_scroll = scroll

        self.side_tabs = PageTabs()
        self.side_tabs.setObjectName("sideTabs")
        self.side_tabs.setAccessibleName("Response and history")
        self.side_tabs.setDocumentMode(True)
        theme.restyle(self.side_tabs.tabBar())
        response_page = QWidget()
        response_layout = QVBoxLayout(response_page)
        response_layout.setContentsMargins(0, 12, 0, 0)
        response_card = Panel("card")
        card_layout = QVBoxLayout(response_card)
        card_layout.setContentsMargins(12, 12, 12, 12)
        card_layout.addWidget(self.response)
        response_layout.addWidget(response_card)
        self.side_tabs.addTab(response_page, icons.icon("receipt"), "Response")
        self.history_placeholder = role_label(
            "The history of lookups and updates appears here.", "muted"
        )
        set_enum_property(self.history_placeholder, "alignment", "AlignCenter")
        self.side_tabs.addTab(self.history_placeholder, icons.icon("history"), "History")

        self.splitter = AdaptiveSplitter()
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(self.side_tabs)
        # Width beyond the form's needs goes to the answer, whose tables use it.
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.side_tabs.setMinimumWidth(SIDE_MIN_WIDTH)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(16, 14, 16, 12)
        body_layout.addWidget(self.splitter)
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.connection_bar)
        central_layout.addWidget(body, 1)
        self.setCentralWidget(central)
        # Long notices (a keyring that failed, a damaged history file) are read in full in the
        # tooltip; the bar itself keeps them to one line.
        bar = self.statusBar()
        bar.messageChanged.connect(lambda text: bar.setToolTip(text))

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.profiles_action = QAction(icons.icon("profiles"), "&Profiles…", self)
        self.profiles_action.setObjectName("profilesAction")
        self.profiles_action.triggered.connect(self.profilesRequested)
        self.forget_action = QAction(icons.icon("key"), "&Forget saved password", self)
        self.forget_action.setObjectName("forgetPasswordAction")
        self.forget_action.triggered.connect(self._forget_password)
        quit_action = QAction("&Quit", self)
        # setShortcuts, not setShortcut: its overloads make PySide6 build the Qt namespace.
        quit_action.setShortcuts(QKeySequence.StandardKey.Quit)
        set_enum_property(quit_action, "shortcutContext", "ApplicationShortcut")
        quit_action.triggered.connect(self.close)
        for action in (self.profiles_action, self.forget_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        desk_menu = self.menuBar().addMenu("&Desk")
        self.focus_lookup_action = QAction(icons.icon("search"), "Go to &lookup", self)
        self.focus_lookup_action.setShortcuts([QKeySequence("Ctrl+L")])
        self.send_action = QAction(icons.icon("send"), "Review and &send…", self)
        self.send_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.stop_action = QAction(icons.icon("stop"), "Stop &waiting", self)
        self.history_action = QAction(icons.icon("history"), "Show &history", self)
        self.history_action.setShortcuts([QKeySequence("Ctrl+H")])
        self.history_action.triggered.connect(
            lambda: self.side_tabs.setCurrentWidget(self.history_placeholder)
        )
        for action in (
            self.focus_lookup_action,
            self.send_action,
            self.stop_action,
            self.history_action,
        ):
            desk_menu.addAction(action)
            self.addAction(action)
        desk_menu.addSeparator()
        self.batch_action = QAction(icons.icon("send"), "&Batch corrections…", self)
        self.batch_action.setObjectName("batchAction")
        self.batch_action.triggered.connect(self.open_batch)
        desk_menu.addAction(self.batch_action)

        help_menu = self.menuBar().addMenu("&Help")
        keys_action = QAction("&Keyboard shortcuts", self)
        keys_action.setShortcuts(QKeySequence.StandardKey.HelpContents)
        keys_action.triggered.connect(self._show_shortcuts)
        about_action = QAction(f"&About {APP_NAME}", self)
        about_action.triggered.connect(self._show_about)
        help_menu.addAction(keys_action)
        help_menu.addAction(about_action)

    def _set_tab_order(self) -> None:
        form, edit = self.lookup_form, self.edit_form
        # The three kinds first (Shift+Tab from the customer field, where Ctrl+L lands), then
        # the fields in reading order: typing a customer and Tab goes straight to the redemption.
        chain = [
            form.entity_type,
            form.identifier_type,
            form.key_kind,
            form.identifier_value,
            form.key_value,
            form.lookup_button,
            edit.bill_id.edit,
            edit.bill_id.revert,
            edit.bill_number.edit,
            edit.bill_number.revert,
            edit.purpose.edit,
            edit.purpose.revert,
            self.send_button,
            self.side_tabs,
            self.response.tabs,
            self.response.copy_response,
            self.response.copy_curl,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- background start-up work ------------------------------------------------------------
    def after_first_paint(self, callback: Callable[[], None], delay_ms: int = 0) -> None:
        """Runs `callback` on the UI thread `delay_ms` after the window first painted (from now,
        when it already has): for start-up work the first paint should not wait for."""
        if self._painted:
            QTimer.singleShot(delay_ms, self, callback)
        else:
            self._after_paint.append((delay_ms, callback))

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._painted:
            self._painted = True
            for delay_ms, callback in self._after_paint:
                QTimer.singleShot(delay_ms, self, callback)
            self._after_paint.clear()
        super().paintEvent(event)

    def start_warm_up(self) -> None:
        """Loads keyring, history and the HTTP client off the UI thread (once; the window calls
        it shortly after it first painted, benchmarks may call it sooner)."""
        if self._warm_up_started or self._shut_down:
            return
        self._warm_up_started = True
        self.runner.run(
            partial(_warm_up_services, self.services, self.connection),
            self._warmed_up,
            lambda error: self.notify(f"Start-up check failed: {error}"),
        )

    def _warmed_up(self, outcome: tuple[str | None, str | None]) -> None:
        label, history_notice = outcome
        if label is not None:
            self.show_secret_location(label)
        if history_notice:
            self.notify(history_notice, 0)
        self._install_history_panel()

    def _install_history_panel(self) -> None:
        """Fills the History tab once the warm-up has opened the store (off this thread)."""
        from desktop_app.core.history import HistoryStore

        history = self.services.history_if_open()
        if self.history_panel is not None or not isinstance(history, HistoryStore):
            return
        from desktop_app.ui.history_panel import HistoryPanel

        self.set_history_panel(HistoryPanel(history, self.runner))

    def show_secret_location(self, label: str) -> None:
        self.gate.store_label = self._secret_label = label
        if self.connection is not None and not self.connection.is_demo:
            self.connection_bar.show_secret_location(label)

    def refresh_secret_location(self) -> None:
        """Asks the store again, e.g. after a save fell back to this session only."""
        from desktop_app.desk import jobs

        if self.connection is None or self.connection.is_demo:
            return
        self.runner.run(
            partial(jobs.location_label, self.services),
            self.show_secret_location,
            lambda error: self.notify(f"Could not tell where the password is kept: {error}"),
        )

    def _forget_password(self) -> None:
        from desktop_app.desk import jobs

        connection = self.connection
        if connection is None or connection.is_demo:
            self.notify("There is no saved password for this connection.")
            return
        self.runner.run(
            partial(jobs.forget_secret, self.services, connection),
            lambda message: self.notify(
                message
                or f"Forgot the saved password for {connection.username} on {connection.host}."
            ),
            lambda error: self.notify(f"The saved password could not be removed: {error}"),
        )

    # -- settings ---------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self._fit_first_window()
        splitter = self.settings.value("window/splitter")
        if splitter is None or not self.splitter.restoreState(splitter):
            self.splitter.setSizes([FORM_WIDTH, FIRST_SIZE[0] - FORM_WIDTH])
        self.lookup_form.select(
            str(self.settings.value("lookup/entityType", "CUSTOMER")),
            str(self.settings.value("lookup/identifierType", "mobile")),
            str(self.settings.value("lookup/keyKind", "redemptionId")),
        )

    def _fit_first_window(self) -> None:
        """The first window: its usual size where the screen has room, else the screen's free
        area less a margin for the frame, centred on it."""
        screen = self.screen()
        if screen is None:
            self.resize(*FIRST_SIZE)
            return
        free = screen.availableGeometry()
        width = min(FIRST_SIZE[0], free.width() - FRAME_ALLOWANCE[0])
        height = min(FIRST_SIZE[1], free.height() - FRAME_ALLOWANCE[1])
        self.resize(width, height)
        self.move(
            free.x() + (free.width() - width) // 2,
            free.y() + (free.height() - height - FRAME_ALLOWANCE[1]) // 2,
        )

    def _save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        if not self.splitter.is_stacked():  # stacked is how a narrow window is, not a choice
            self.settings.setValue("window/splitter", self.splitter.saveState())
        form = self.lookup_form
        self.settings.setValue("lookup/entityType", form.entity_type.currentData())
        self.settings.setValue("lookup/identifierType", form.identifier_type.currentData())
        self.settings.setValue("lookup/keyKind", form.key_kind.currentData())
        self.settings.sync()

    # -- events -----------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.flows.update_in_flight():
            from PySide6.QtWidgets import QMessageBox

            answer = QMessageBox.question(
                self,
                "An update is on its way",
                "An update was sent and its answer has not arrived. Capillary may still apply "
                "it. Wait for the answer before closing?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            )
            if answer == QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.shutdown()
        super().closeEvent(event)

    def _show_shortcuts(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        rows = "".join(
            f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{d}</td></tr>" for k, d in SHORTCUTS
        )
        box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard shortcuts", "", parent=self)
        box.setObjectName("shortcutsDialog")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(f"<table>{rows}</table>")
        box.open()

    def _show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.NoIcon, f"About {APP_NAME}", "", parent=self)
        box.setObjectName("aboutDialog")
        box.setIconPixmap(icons.app_icon().pixmap(QSize(64, 64)))
        box.setText(
            f"<b>{APP_NAME}</b> {__version__}<br>Corrects the bill metadata of Capillary points "
            "redemptions: look up, correct, confirm, send."
        )
        box.open()


def _warm_up_services(
    services: DeskServices, connection: Connection | None
) -> tuple[str | None, str | None]:
    """Runs on a worker thread: imports and opens what the first request would otherwise pay."""
    import desktop_app.core.client  # noqa: F401 - loads httpx now, not during the first lookup
    from desktop_app.desk import jobs
    from desktop_app.ui.history_panel import HistoryPanel  # noqa: F401 - built on the UI thread next

    label = None
    if connection is None or not connection.is_demo:
        label = jobs.location_label(services)
    history = services.history()
    return label, getattr(history, "notice", None)
