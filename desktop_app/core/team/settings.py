"""Where a profile's team database is: host, port, database, user and TLS mode, never a password.

The password lives in the OS keyring (`passwords.py`). A `postgresql://` URI is accepted as a
shorthand and turned into the same fields; one that carries a password is refused, so a password
can never end up in profiles.json.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from desktop_app.core.hosts import is_loopback

DEFAULT_PORT = 5432
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
CONNECT_TIMEOUT_SECONDS = 5


@dataclass(frozen=True)
class TeamDatabase:
    host: str
    database: str
    user: str
    port: int = DEFAULT_PORT
    sslmode: str = ""  # "" means the default for the host (see effective_sslmode)

    @property
    def effective_sslmode(self) -> str:
        """verify-full (encrypted, certificate and host name checked) unless chosen otherwise;
        `prefer` for this computer, where there is no network to protect."""
        if self.sslmode:
            return self.sslmode
        return "prefer" if is_loopback(self.host) else "verify-full"

    @property
    def keyring_account(self) -> str:
        return f"postgresql|{self.user}@{self.host}:{self.port}/{self.database}"

    @property
    def uri(self) -> str:
        """The `postgresql://` form the profile manager shows (never with a password)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        text = f"postgresql://{quote(self.user, safe='')}@{host}:{self.port}/"
        text += quote(self.database, safe="")
        return text + (f"?sslmode={self.sslmode}" if self.sslmode else "")

    @property
    def label(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def conninfo(self, password: str | None = None) -> str:
        """libpq connection string; the password only ever goes here, in memory."""
        from psycopg.conninfo import make_conninfo  # psycopg loads only once a team DB is used

        parts: dict[str, Any] = {
            "host": self.host,
            "port": self.port,
            "dbname": self.database,
            "user": self.user,
            "sslmode": self.effective_sslmode,
            "connect_timeout": CONNECT_TIMEOUT_SECONDS,
            "application_name": "redemption-desk",
        }
        if password:
            parts["password"] = password
        return make_conninfo(**parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "port": self.port,
            "database": self.database,
            "user": self.user,
            "sslmode": self.sslmode,
        }

    @classmethod
    def from_json(cls, data: Any) -> TeamDatabase:
        """Raises ValueError when `data` is not a valid team database entry."""
        if not isinstance(data, dict):
            raise ValueError("the team database is not an object")
        fields = ("host", "database", "user", "sslmode")
        if not all(isinstance(data.get(name, ""), str) for name in fields):
            raise ValueError("a team database field is not text")
        port = data.get("port", DEFAULT_PORT)
        if not isinstance(port, int) or isinstance(port, bool):
            raise ValueError("the team database port is not a number")
        found = cls(
            host=data.get("host", ""),
            database=data.get("database", ""),
            user=data.get("user", ""),
            port=port,
            sslmode=data.get("sslmode", ""),
        )
        problems = team_database_problems(found)
        if problems:
            raise ValueError(" ".join(problems.values()))
        return found


def team_database_problems(team: TeamDatabase) -> dict[str, str]:
    """Field -> message for every field that is not valid (empty when all are)."""
    found: dict[str, str] = {}
    if not team.host.strip() or any(c.isspace() for c in team.host):
        found["host"] = "Enter the database server's host name, without spaces."
    if not 1 <= team.port <= 65535:
        found["port"] = "The port must be a number from 1 to 65535."
    if not team.database.strip():
        found["database"] = "Enter the database name."
    if not team.user.strip() or any(c.isspace() for c in team.user):
        found["user"] = "Enter your database user name, without spaces."
    if team.sslmode and team.sslmode not in SSL_MODES:
        found["sslmode"] = f"TLS mode must be one of {', '.join(SSL_MODES)}."
    return found


def parse_team_uri(text: str) -> TeamDatabase:
    """`postgresql://user@host:port/database?sslmode=…` -> TeamDatabase. Raises ValueError with a
    message for the agent; a URI with a password is refused (the password goes in the keyring)."""
    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError as error:
        raise ValueError(f"This is not a valid postgresql:// address ({error}).") from error
    if parts.scheme not in ("postgresql", "postgres"):
        raise ValueError("The address must start with postgresql://")
    if parts.password is not None:
        raise ValueError(
            "Leave the password out of the address: the desk asks for it and keeps it in the "
            "keyring."
        )
    options = parse_qs(parts.query)
    if "password" in options:
        raise ValueError("Leave the password out of the address.")
    sslmode = options.get("sslmode", [""])[0]
    team = TeamDatabase(
        host=parts.hostname or "",
        port=port or DEFAULT_PORT,
        database=unquote(parts.path.lstrip("/")),
        user=unquote(parts.username or ""),
        sslmode=sslmode,
    )
    problems = team_database_problems(team)
    if problems:
        raise ValueError(" ".join(problems.values()))
    return replace(team, host=team.host.lower())
