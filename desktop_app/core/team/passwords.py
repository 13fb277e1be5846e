"""The team database password, in the OS keyring like the till's digest, never in a file.

Service `redemption-desk`, account `postgresql|<user>@<host>:<port>/<database>`. When the keyring
cannot be used, the password is kept in this process's memory for the session and the message
says so. Every call may block (an unlock prompt): call them off the UI thread.
"""

from __future__ import annotations

import logging
import threading

import keyring

from desktop_app.core.credentials import SERVICE, keyring_situation
from desktop_app.core.team.settings import TeamDatabase

log = logging.getLogger(__name__)


class TeamPasswords:
    # One memory for the whole process: a password kept "for this session" when the keyring
    # fails must reach the delivery worker, which has its own TeamPasswords.
    _lock = threading.Lock()
    _session: dict[str, str] = {}  # noqa: RUF012 - shared on purpose

    def load(self, team: TeamDatabase) -> tuple[str | None, str | None]:
        """(password or None, message why the keyring could not give it, or None)."""
        with self._lock:
            remembered = self._session.get(team.keyring_account)
        if remembered is not None:
            return remembered, None
        try:
            return keyring.get_password(SERVICE, team.keyring_account), None
        except Exception as error:  # any backend failure becomes a message
            log.warning("keyring read for the team database failed", exc_info=True)
            return None, keyring_situation(error)

    def save(self, team: TeamDatabase, password: str) -> str | None:
        """None, or why the password is kept for this session only."""
        with self._lock:
            self._session[team.keyring_account] = password
        try:
            keyring.set_password(SERVICE, team.keyring_account, password)
        except Exception as error:  # any backend failure becomes a message
            return (
                f"{keyring_situation(error)} The team database password is kept in memory for "
                "this session only."
            )
        return None

    def forget(self, team: TeamDatabase) -> str | None:
        with self._lock:
            self._session.pop(team.keyring_account, None)
        try:
            if keyring.get_password(SERVICE, team.keyring_account) is not None:
                keyring.delete_password(SERVICE, team.keyring_account)
        except Exception as error:  # any backend failure becomes a message
            return f"{keyring_situation(error)} Remove '{team.keyring_account}' there by hand."
        return None
