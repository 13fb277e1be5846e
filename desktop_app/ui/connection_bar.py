"""The strip at the top: which profile, host and till the desk talks to, and what it is doing."""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QWidget,
)

from desktop_app import APP_NAME
from desktop_app.desk.session import Connection
from desktop_app.ui import icons, theme
from desktop_app.ui.startup_path import set_enum_property
from desktop_app.ui.widgets import ElidedLabel, Panel, plain_tooltip

DEMO_MARKER = "DEMO — sandbox data"
STARTING_SANDBOX = "starting sandbox…"
STARTING_STATE = "Starting sandbox…"


class _Fact(QWidget):
    """An icon and a short text, e.g. the host; the tooltip says what the value is."""

    def __init__(self, icon_name: str, what: str, object_name: str):
        super().__init__()
        self._what = what
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(5)
        glyph = QLabel()
        glyph.setPixmap(icons.icon(icon_name).pixmap(QSize(16, 16)))
        self.text = ElidedLabel(min_chars=6)
        self.text.setObjectName(object_name)
        layout.addWidget(glyph)
        layout.addWidget(self.text)

    def set_value(self, value: str, tooltip: str = "") -> None:
        self.text.setText(value)
        self.text.setAccessibleName(f"{self._what}: {value}")
        self.setToolTip(plain_tooltip(tooltip or f"{self._what}: {value}"))


class ConnectionBar(Panel):
    stopRequested = Signal()
    busyChanged = Signal(str)  # what the desk is waiting for, "" when it waits for nothing

    def __init__(self, parent: QWidget | None = None):
        super().__init__("bar", parent)
        self.setObjectName("connectionBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(10)

        logo = QLabel()
        logo.setPixmap(icons.app_icon().pixmap(QSize(28, 28)))
        # The name gives way first on a narrow bar (the window title has it too).
        title = ElidedLabel(APP_NAME, min_chars=0)
        title.setObjectName("appTitle")
        theme.set_role(title, "title")
        self.demo_badge = QLabel(DEMO_MARKER)
        self.demo_badge.setObjectName("demoBadge")
        theme.set_role(self.demo_badge, "badge")
        self.demo_badge.setAccessibleName(DEMO_MARKER)
        self.demo_badge.setToolTip(
            "This window talks to the built-in sandbox: nothing reaches a real Capillary cluster."
        )
        self.demo_badge.hide()

        self.profile = _Fact("profiles", "Profile", "profileLabel")
        self.host = _Fact("server", "Host", "hostLabel")
        self.till = _Fact("user", "Till user", "tillLabel")
        self.secret = _Fact("lock", "Password kept in", "secretLabel")
        self.secret.set_value("Password: checking…")

        self.busy = QProgressBar()
        self.busy.setObjectName("busyIndicator")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setFixedSize(48, 8)
        self.busy.setAccessibleName("Busy")
        self.busy.hide()
        self.state = ElidedLabel(min_chars=10)
        self.state.setObjectName("connectionState")
        set_enum_property(self.state, "alignment", "AlignRight|AlignVCenter")
        self.stop_button = QPushButton(icons.icon("stop"), "Stop waiting")
        self.stop_button.setObjectName("stopButton")
        self.stop_button.setAccessibleName("Stop waiting")
        self.stop_button.hide()
        self.stop_button.clicked.connect(self.stopRequested)

        layout.addWidget(logo)
        layout.addWidget(title)
        layout.addWidget(self.demo_badge)
        for fact in (self.profile, self.host, self.till, self.secret):
            layout.addWidget(fact)
        layout.addStretch(1)
        layout.addWidget(self.busy)
        layout.addWidget(self.state)  # its full text when there is room (the stretch gives way)
        layout.addWidget(self.stop_button)
        self.set_idle()

    def show_connection(self, connection: Connection | None) -> None:
        if connection is None:
            self.profile.set_value("none", "No connection profile: choose one in File → Profiles…")
            self.host.set_value("—")
            self.till.set_value("—")
            self.demo_badge.hide()
            return
        self.profile.set_value(connection.profile_name)
        self.demo_badge.setVisible(connection.is_demo)
        if connection.starting:
            self.host.set_value(STARTING_SANDBOX, "The demo sandbox is starting on this computer")
            self.till.set_value("—")
            self.set_busy(STARTING_STATE, can_stop=False)
            return
        self.host.set_value(connection.host, f"Host: {connection.base_url}")
        self.till.set_value(connection.username)
        if self.state.text() == STARTING_STATE:
            self.set_idle()

    def show_secret_location(self, label: str) -> None:
        self.secret.set_value(
            f"Password: {label}", f"The till password's digest is kept in: {label}"
        )

    def set_busy(self, text: str, *, can_stop: bool = True) -> None:
        self._set_state("busy", text)
        self.busy.show()
        self.stop_button.setVisible(can_stop)
        self.busyChanged.emit(text)

    def set_idle(self, text: str = "Ready") -> None:
        self._set_state("idle", text)

    def set_error(self, text: str) -> None:
        self._set_state("error", text)

    def _set_state(self, state: str, text: str) -> None:
        if self.busy.isVisibleTo(self):
            self.busyChanged.emit("")
        self.busy.hide()
        self.stop_button.hide()
        self.state.setText(text)
        self.state.setToolTip(plain_tooltip(text))
        self.state.setAccessibleName(f"Connection state: {text}")
        theme.set_state(self.state, "state", state)
