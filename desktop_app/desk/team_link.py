"""One profile's connection to its team database: the store the Team view reads, and the worker
that delivers this desk's finished entries to it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from desktop_app.core.history import HistoryEntry
from desktop_app.core.model import RedemptionKey
from desktop_app.core.team.passwords import TeamPasswords
from desktop_app.core.team.settings import TeamDatabase
from desktop_app.core.team.store import TeamStore
from desktop_app.desk.team_delivery import DeliveryStatus, DeliveryWorker

RECENT_CHANGES = timedelta(hours=24)


class TeamLink:
    def __init__(
        self,
        team: TeamDatabase,
        history: Any,
        on_status: Callable[[DeliveryStatus], None] | None = None,
        *,
        passwords: TeamPasswords | None = None,
        first_retry: float = 1.0,
        max_retry: float = 60.0,
    ):
        self.team = team
        self.os_user: str = history.os_user
        self._passwords = passwords or TeamPasswords()
        self._lock = threading.Lock()
        self._store: TeamStore | None = None
        self.worker = DeliveryWorker(
            history,
            self.store,
            on_status=on_status,
            first_retry=first_retry,
            max_retry=max_retry,
        )
        self.worker.start()

    def store(self) -> TeamStore:
        """The team store (blocks the first time: reads the password from the keyring)."""
        with self._lock:
            if self._store is None:
                password, _ = self._passwords.load(self.team)
                self._store = TeamStore(self.team.conninfo(password))
            return self._store

    def nudge(self) -> None:
        self.worker.nudge()

    def changes_by_others(
        self, host: str, key: RedemptionKey, now: datetime | None = None
    ) -> list[HistoryEntry]:
        """Updates another agent made to this redemption in the last 24 hours (blocks)."""
        since = (now or datetime.now(UTC)) - RECENT_CHANGES
        return self.store().changes_by_others(host, key, os_user=self.os_user, since=since)

    def close(self) -> None:
        self.worker.stop()
        with self._lock:
            store, self._store = self._store, None
        if store is not None:
            store.close()


def change_notice(change: HistoryEntry) -> str:
    """ "Changed by priya.k at 14:02 — bill number: bill-old-77 → bill-new-78" (local time)."""
    at = change.created_utc.astimezone().strftime("%H:%M")
    return f"Changed by {change.os_user} at {at} — {change.change_summary()}"
