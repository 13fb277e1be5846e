"""Gets the till credentials for an action: stored digest, or the credentials dialog, or demo.

`obtain(proceed, cancelled)` never blocks: the keyring is read in a TaskRunner job and the dialog
is opened with `open()`; `proceed(credentials, fresh)` runs on the UI thread once they are known.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from desktop_app.core.model import Credentials
from desktop_app.desk.session import Connection, DeskServices
from desktop_app.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from desktop_app.desk.jobs import FreshSecret
    from desktop_app.ui.credentials_dialog import CredentialsDialog

Proceed = Callable[[Credentials, "FreshSecret | None"], None]
Cancelled = Callable[[str], None]


class CredentialGate(QObject):
    def __init__(self, window: QWidget, runner: TaskRunner, services: DeskServices):
        super().__init__(window)
        self._window = window
        self._runner = runner
        self._services = services
        self.store_label = "the keyring"
        self.dialog: CredentialsDialog | None = None

    def obtain(
        self,
        connection: Connection,
        proceed: Proceed,
        cancelled: Cancelled,
        *,
        rejection: Any = None,
        then: str = "",
    ) -> None:
        """`then`: what `proceed` will do, said in the password dialog if one is needed."""
        if connection.demo_digest is not None:
            proceed(Credentials(connection.username, connection.demo_digest), None)
            return
        if rejection is not None:
            self._ask(
                connection,
                proceed,
                cancelled,
                message=rejection.message,
                rejected=True,
                replace_saved=rejection.stored_secret_exists,
                then=then,
            )
            return
        from desktop_app.desk import jobs

        self._runner.run(
            partial(jobs.fetch_secret, self._services, connection),
            partial(self._fetched, connection, proceed, cancelled, then),
            lambda error: self._ask(
                connection,
                proceed,
                cancelled,
                message=f"The keyring could not be read: {error}",
                then=then,
            ),
        )

    def _fetched(
        self,
        connection: Connection,
        proceed: Proceed,
        cancelled: Cancelled,
        then: str,
        loaded: Any,
    ) -> None:
        if loaded.digest:
            proceed(Credentials(connection.username, loaded.digest), None)
        else:
            self._ask(connection, proceed, cancelled, message=loaded.message or "", then=then)

    def _ask(
        self,
        connection: Connection,
        proceed: Proceed,
        cancelled: Cancelled,
        *,
        message: str = "",
        rejected: bool = False,
        replace_saved: bool = False,
        then: str = "",
    ) -> None:
        from desktop_app.core.auth import md5_hex
        from desktop_app.desk.jobs import FreshSecret
        from desktop_app.ui.credentials_dialog import CredentialsDialog

        if self.dialog is not None:
            self.dialog.reject()
        dialog = CredentialsDialog(
            self._window,
            host=connection.host,
            username=connection.username,
            store_label=self.store_label,
            message=message,
            rejected=rejected,
            replace_saved=replace_saved,
            then=then,
        )
        self.dialog = dialog

        def accepted() -> None:
            digest = md5_hex(dialog.password())
            fresh = FreshSecret(digest, dialog.remember())
            proceed(Credentials(connection.username, digest), fresh)

        def finished() -> None:
            if self.dialog is dialog:
                self.dialog = None
            dialog.deleteLater()

        dialog.accepted.connect(accepted)
        dialog.rejected.connect(lambda: cancelled("No password was given, so nothing was sent."))
        dialog.finished.connect(finished)
        dialog.open()
