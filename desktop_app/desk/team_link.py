"""One profile's connection to its team database: the store the Team view reads, and the worker
that delivers this desk's finished entries to it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from desktop_app.core.history import HistoryEntry, HistoryQuery
from desktop_app.core.model import KeyKind, Redemption, RedemptionKey
from desktop_app.core.team.passwords import TeamPasswords
from desktop_app.core.team.settings import TeamDatabase
from desktop_app.core.team.store import PAGE_SIZE, TeamQuery, TeamStore
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
        self, host: str, redemption: Redemption, now: datetime | None = None
    ) -> list[HistoryEntry]:
        """Updates another agent made to this redemption (by its ID or external reference) in
        the last 24 hours (blocks up to 2 s; at once [] while deliveries cannot get through)."""
        if self.worker.status.reason:
            return []
        keys = [RedemptionKey(KeyKind.REDEMPTION_ID, redemption.redemption_id)]
        if redemption.external_reference:
            keys.append(RedemptionKey(KeyKind.EXTERNAL_REFERENCE, redemption.external_reference))
        since = (now or datetime.now(UTC)) - RECENT_CHANGES
        return self.store().changes_by_others(host, keys, os_user=self.os_user, since=since)

    def close(self) -> None:
        """Quits promptly even while the database is unreachable: an unfinished delivery stays
        in the outbox for next time."""
        self.worker.stop(timeout=2.0)
        with self._lock:
            store, self._store = self._store, None
        if store is not None:
            store.close()


def change_notice(change: HistoryEntry) -> str:
    """ "Changed by priya.k at 14:02 — bill number: bill-old-77 → bill-new-78" (local time)."""
    moment = change.created_utc.astimezone()
    today = datetime.now(moment.tzinfo).date() == moment.date()
    at = moment.strftime("%H:%M" if today else "%d %b %H:%M")
    return f"Changed by {change.os_user} at {at} — {change.change_summary()}"


class TeamHistory:
    """The team's rows, read the way the History panel reads the local store (its Team scope).

    Immutable: a different agent filter is a new TeamHistory. Team rows are other desks' records:
    they are never verified, deleted or refreshed in place from here.
    """

    notice = None

    def __init__(self, link: TeamLink, agent: str = ""):
        self._link = link
        self.agent = agent.strip()

    def with_agent(self, agent: str) -> TeamHistory:
        return TeamHistory(self._link, agent)

    def _query(self, query: HistoryQuery) -> TeamQuery:
        return TeamQuery(query, self.agent)

    def search(
        self,
        query: HistoryQuery,
        before_id: int | None = None,
        limit: int = PAGE_SIZE,
        *,
        after_id: int | None = None,
    ) -> list[HistoryEntry]:
        return self._link.store().search(self._query(query), before_id, limit, after_seq=after_id)

    def iter_entries(self, query: HistoryQuery, batch: int = 500) -> Iterator[HistoryEntry]:
        return self._link.store().iter_entries(self._query(query), batch)

    def get_many(self, entry_ids: Iterable[int]) -> list[HistoryEntry]:
        return []  # team rows never change after delivery

    def verifications_of(self, entry_id: int) -> list[HistoryEntry]:
        return []
