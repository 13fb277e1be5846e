"""What the window is connected to, and the blocking services it uses, created on first use.

Nothing here imports Qt, httpx, keyring or sqlite3 at import time: the services are built inside
worker jobs the first time one is needed, so the window appears before any of that is loaded.
Every method that may block says so; call those from a TaskRunner job only.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.hosts import host_of
from desktop_app.core.paths import AppPaths

if TYPE_CHECKING:
    from desktop_app.core.credentials import CredentialSession
    from desktop_app.core.history import HistoryStore
    from desktop_app.core.team.settings import TeamDatabase
    from desktop_app.desk.team_delivery import DeliveryStatus
    from desktop_app.desk.team_link import TeamLink

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Connection:
    """The cluster and till in use: from a profile, from --base-url/--username, or --demo."""

    profile_name: str
    base_url: str
    username: str
    demo_digest: str | None = None  # --demo only: the sandbox's own till, never prompted for
    starting: bool = False  # --demo while its sandbox starts: no URL yet, lookups wait for it
    team: TeamDatabase | None = None  # when the profile's team shares a history on PostgreSQL

    @classmethod
    def demo_starting(cls, profile_name: str) -> Connection:
        """The demo before its sandbox (started after the window shows) has a URL and a till."""
        return cls(profile_name, "", "", demo_digest="", starting=True)

    @property
    def host(self) -> str:
        return host_of(self.base_url)

    @property
    def is_demo(self) -> bool:
        return self.demo_digest is not None


class DeskServices:
    """The secret store, credential policy and history store, each built once, thread-safely."""

    def __init__(self, paths: AppPaths):
        self.paths = paths
        self._lock = threading.Lock()
        self._credentials: CredentialSession | None = None
        self._history: HistoryStore | None = None
        self._team: TeamLink | None = None  # while a team database is configured

    def credentials(self) -> CredentialSession:
        """The app's CredentialSession (blocks: imports keyring the first time)."""
        with self._lock:
            if self._credentials is None:
                from desktop_app.core.credentials import CredentialSession, SecretStore

                self._credentials = CredentialSession(SecretStore())
            return self._credentials

    def history(self) -> HistoryStore:
        """The app's HistoryStore (blocks: opens the database the first time)."""
        with self._lock:
            if self._history is None:
                self._history = _open_history(self.paths.history_file)
            return self._history

    def history_if_open(self) -> HistoryStore | None:
        return self._history

    def use_team(
        self,
        team: TeamDatabase | None,
        on_status: Callable[[DeliveryStatus], None] | None = None,
    ) -> None:
        """Deliver finished entries to `team` (a TeamDatabase), or to none. Blocks briefly while
        a previous worker stops: call from a worker job."""
        from desktop_app.desk.team_link import TeamLink

        with self._lock:
            previous, self._team = self._team, None
        if previous is not None:
            previous.close()
        if team is not None:
            link = TeamLink(team, self.history(), on_status)
            with self._lock:
                self._team = link

    def team(self) -> TeamLink | None:
        """The running TeamLink, or None when this profile has no team database."""
        return self._team

    def entry_finished(self) -> None:
        """Wakes the team delivery (cheap; safe from any thread)."""
        link = self._team
        if link is not None:
            link.nudge()

    def close(self) -> None:
        self.use_team(None)
        with self._lock:
            history, self._history = self._history, None
        if history is not None:
            history.close()


def _open_history(path: Path) -> HistoryStore:
    from desktop_app.core.history import HistoryStore

    path.parent.mkdir(parents=True, exist_ok=True)
    return HistoryStore.open(path)
