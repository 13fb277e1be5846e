"""The last look before an update leaves: who, which redemption, before → after, the exact JSON.

Sending needs a deliberate, fresh action after the dialog appeared, as browsers do for security
prompts: "Send update" is armed only ARM_DELAY_MS after it shows, key auto-repeat never reaches
the dialog (holding Ctrl+Enter or Enter must not confirm what the agent never read), and a
press of Enter or Space before arming does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui import icons, theme
from desktop_app.ui.widgets import plain_label, plain_tooltip, role_label

ARM_DELAY_MS = 700
_ACTIVATING_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space})
_KEY_EVENTS = frozenset(
    {QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride}
)


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class ConfirmContent:
    customer: str
    identifier: str
    host: str
    username: str
    changes: tuple[FieldChange, ...]
    request_json: str
    demo: bool = False
    who: str = ""  # the looked-up customer's name and identifiers; "" when not looked up


class ConfirmDialog(QDialog):
    def __init__(self, parent: QWidget | None, content: ConfirmContent):
        super().__init__(parent)
        self.setObjectName("confirmDialog")
        self.setWindowTitle("Send this update?")
        self.setAccessibleName("Confirm the update")
        self.setMinimumSize(560, 520)

        glyph = QLabel()
        glyph.setPixmap(icons.icon("send").pixmap(QSize(26, 26)))
        heading = QLabel("Send this update to Capillary?")
        theme.set_role(heading, "cardTitle")
        top = QHBoxLayout()
        top.addWidget(glyph)
        top.addWidget(heading, 1)
        where = "the sandbox (demo data)" if content.demo else content.host
        lead = role_label(
            f"It changes the redemption on {where} as soon as it is sent; Cancel keeps your edits."
        )

        facts = QFormLayout()
        facts.setHorizontalSpacing(14)
        facts.setVerticalSpacing(4)
        for label, value, name in (
            ("Who", content.who or "unknown: not looked up", "confirmCustomerName"),
            ("Customer", content.customer, "confirmCustomer"),
            ("Redemption", content.identifier, "confirmIdentifier"),
            ("Host", content.host, "confirmHost"),
            ("Till user", content.username, "confirmUser"),
        ):
            shown = plain_label(value)
            shown.setObjectName(name)
            theme.set_role(shown, "value")
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setAccessibleName(f"{label}: {value}")
            caption = QLabel(label)
            theme.set_role(caption, "fieldLabel")
            facts.addRow(caption, shown)

        self.changes = QTableWidget(len(content.changes), 3)
        self.changes.setObjectName("confirmChanges")
        self.changes.setAccessibleName("Changes: field, before, after")
        self.changes.setHorizontalHeaderLabels(["Field", "Before", "After"])
        self.changes.verticalHeader().hide()
        self.changes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.changes.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.changes.setWordWrap(True)
        header = self.changes.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for row, change in enumerate(content.changes):
            for column, text in enumerate((change.label, change.before, change.after)):
                item = QTableWidgetItem(text)
                item.setToolTip(plain_tooltip(text))
                if column == 2:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.changes.setItem(row, column, item)
        self.changes.resizeRowsToContents()
        self.changes.setMaximumHeight(
            header.height()
            + sum(self.changes.rowHeight(r) for r in range(len(content.changes)))
            + 6
        )

        json_caption = QLabel("Exactly what will be sent (PUT /v2/points/updateRedemption)")
        theme.set_role(json_caption, "fieldLabel")
        self.json_view = QPlainTextEdit(content.request_json)
        self.json_view.setObjectName("confirmJson")
        self.json_view.setAccessibleName("Request JSON")
        self.json_view.setReadOnly(True)
        self.json_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.json_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        send = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        send.setText("Send update")
        send.setIcon(icons.icon("send"))
        send.setAccessibleName("Send update")
        theme.set_state(send, "primary", True)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel, keep the edits")
        self.send_button = send
        send.setEnabled(False)
        self._arming = QTimer(self)
        self._arming.setSingleShot(True)
        self._arming.setInterval(ARM_DELAY_MS)
        self._arming.timeout.connect(self._arm)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(lead)
        layout.addLayout(facts)
        layout.addWidget(self.changes)
        layout.addWidget(json_caption)
        layout.addWidget(self.json_view, 1)
        layout.addWidget(self.buttons)
        self.json_view.setFocus()
        for watched in (self, *self.findChildren(QWidget)):
            watched.installEventFilter(self)

    @property
    def armed(self) -> bool:
        return self.send_button.isEnabled()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self.armed:
            self._arming.start()  # counted from when the agent can first see it

    def _arm(self) -> None:
        self.send_button.setEnabled(True)
        self.send_button.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _KEY_EVENTS:
            if event.isAutoRepeat():  # type: ignore[attr-defined]
                return True
            pressed = event.type() == QEvent.Type.KeyPress
            if pressed and not self.armed and event.key() in _ACTIVATING_KEYS:  # type: ignore[attr-defined]
                return True
        return super().eventFilter(watched, event)
