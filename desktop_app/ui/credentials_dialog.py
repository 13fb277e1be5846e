"""Asks for the till password when none is stored, or after the till rejected the stored one."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui import icons, theme
from desktop_app.ui.widgets import plain_label, role_label

SESSION_ONLY = "this session only"


class CredentialsDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        host: str,
        username: str,
        store_label: str,
        message: str = "",
        rejected: bool = False,
        replace_saved: bool = False,
        then: str = "",
    ):
        """`then`: what Continue does besides checking the password, when it does more (sends
        the update the agent confirmed): said, so the agent knows that Continue sends."""
        super().__init__(parent)
        self.setObjectName("credentialsDialog")
        self.setWindowTitle("Till password")
        self.setAccessibleName("Till password")
        self.setMinimumWidth(440)

        glyph = QLabel()
        glyph.setPixmap(icons.icon("key").pixmap(QSize(28, 28)))
        heading = QLabel(
            "The till rejected the password" if rejected else "Enter the till password"
        )
        theme.set_role(heading, "cardTitle")
        top = QHBoxLayout()
        top.addWidget(glyph)
        top.addWidget(heading, 1)

        self.message = role_label(message, "fieldError" if rejected else "muted")
        self.message.setObjectName("credentialsMessage")
        self.message.setVisible(bool(message))
        self.then = role_label(then, "body")
        self.then.setObjectName("credentialsThen")
        self.then.setVisible(bool(then))

        host_value = plain_label(host)
        user_value = plain_label(username)
        for value in (host_value, user_value):
            theme.set_role(value, "value")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("passwordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setAccessibleName("Till password")
        self.password_edit.setPlaceholderText("Password of the till user")
        reveal = QAction(icons.icon("eye"), "Show password", self.password_edit)
        reveal.setCheckable(True)
        reveal.toggled.connect(self._reveal)
        self.password_edit.addAction(reveal, QLineEdit.ActionPosition.TrailingPosition)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        form.addRow("Host", host_value)
        form.addRow("Till user", user_value)
        form.addRow("Password", self.password_edit)

        self.remember_check = QCheckBox()
        self.remember_check.setObjectName("rememberCheck")
        if store_label == SESSION_ONLY:
            self.remember_check.setText("Kept for this session only (no usable keyring)")
            self.remember_check.setChecked(False)
            self.remember_check.setEnabled(False)
        elif replace_saved:
            self.remember_check.setText(f"Replace the saved password in {store_label}")
            self.remember_check.setChecked(True)
        else:
            self.remember_check.setText(f"Remember in {store_label}")
            self.remember_check.setChecked(True)
        self.remember_check.setAccessibleName(self.remember_check.text())
        note = role_label(
            "Only the password's MD5 digest is kept, and only once the till has accepted it. "
            "The password itself is never stored."
        )

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Continue")
        ok.setAccessibleName("Continue with this password")
        theme.set_state(ok, "primary", True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.password_edit.textChanged.connect(self._update_ok)
        self._update_ok()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.then)
        layout.addLayout(form)
        layout.addWidget(self.remember_check)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.password_edit.setFocus()

    def password(self) -> str:
        return self.password_edit.text()

    def remember(self) -> bool:
        return self.remember_check.isEnabled() and self.remember_check.isChecked()

    def done(self, result: int) -> None:
        super().done(result)
        # The plain password must not linger in a widget once it has been read.
        self.password_edit.clear()

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            bool(self.password_edit.text())
        )

    def _reveal(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.password_edit.setEchoMode(mode)
        theme.restyle(self.password_edit)
