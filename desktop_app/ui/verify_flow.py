"""History's "Verify by lookup" of an update whose outcome is unknown: a lookup on the host the
update went to, through the credential gate, recorded beside the update. It never sends an
update and never touches the form."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop_app.core.model import Credentials
from desktop_app.desk.outcomes import lookup_failure_text, no_lookup_reason
from desktop_app.desk.session import Connection, DeskServices
from desktop_app.ui.credential_gate import CredentialGate
from desktop_app.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from desktop_app.core.history import HistoryEntry
    from desktop_app.desk.jobs import CallPlan, CallResult, FreshSecret

log = logging.getLogger(__name__)


class VerifyFlow(QObject):
    said = Signal(str)  # what the verification found, or why it did not run
    noticed = Signal(str)  # what the history or the keyring had to say on the way
    # Emitted from worker threads after each history write (queued to the UI thread's slots).
    historyChanged = Signal()

    def __init__(
        self,
        parent: QObject,
        connection: Callable[[], Connection | None],
        runner: TaskRunner,
        gate: CredentialGate,
        services: DeskServices,
    ):
        super().__init__(parent)
        self._connection = connection
        self._runner = runner
        self._gate = gate
        self._services = services

    def verify(self, entry: HistoryEntry) -> None:
        """History's "Verify by lookup" of an update whose outcome is unknown: looks it up on
        the host it went to, through the same credential gate as a lookup, and records what the
        server holds. Never sends an update and leaves the form alone."""
        connection = self._connection()
        if connection is None:
            self._verify_said("Choose a connection profile first (File → Profiles…).")
        elif connection.starting:
            self._verify_said("The demo sandbox is starting: verify again in a moment.")
        elif connection.host != entry.host:
            self._verify_said(
                f"Entry #{entry.id} went to {entry.host}, but the desk is connected to "
                f"{connection.host}: choose a profile for {entry.host} to verify it."
            )
        elif not entry.entity.can_be_looked_up:
            self._verify_said(
                f"Entry #{entry.id} cannot be verified here: " + no_lookup_reason(entry.entity)
            )
        else:
            self._gate.obtain(
                connection, partial(self._start_verify, connection, entry), self._verify_said
            )

    def _start_verify(
        self,
        connection: Connection,
        entry: HistoryEntry,
        credentials: Credentials,
        fresh: FreshSecret | None,
    ) -> None:
        from desktop_app.desk import jobs
        from desktop_app.desk.jobs import CallPlan

        plan = CallPlan.for_lookup(
            connection, credentials, fresh, entry.entity, entry.key, self.historyChanged.emit
        )
        self._runner.run(
            partial(jobs.run_verification, self._services, plan, entry.id),
            partial(self._verified, plan, entry),
            partial(self._verify_crashed, entry),
        )

    def _verified(self, plan: CallPlan, entry: HistoryEntry, result: CallResult) -> None:
        if result.notices:
            self.noticed.emit(" ".join(result.notices))
        if result.rejection is not None:
            self._gate.obtain(
                plan.connection,
                partial(self._start_verify, plan.connection, entry),
                self._verify_said,
                rejection=result.rejection,
            )
        elif result.problem is not None:
            self._verify_said(
                f"Entry #{entry.id} could not be verified: {lookup_failure_text(result.problem)}"
            )
        else:
            self._verify_said(result.verdict or f"Entry #{entry.id}: looked up.")

    def _verify_crashed(self, entry: HistoryEntry, error: BaseException) -> None:
        log.error("verifying history entry %s failed unexpectedly", entry.id, exc_info=error)
        self._verify_said(f"Verifying entry #{entry.id} failed unexpectedly: {error!r}")

    def _verify_said(self, text: str) -> None:
        self.said.emit(text)
