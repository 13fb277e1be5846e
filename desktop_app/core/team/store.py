"""TeamStore: the team's append-only audit trail on PostgreSQL, through a psycopg pool.

Deliveries are idempotent on the entry's UUID (`ON CONFLICT DO NOTHING`), so an entry sent again
after a crash never makes a second row. Reads page newest first on the delivery sequence, and
turn rows into the same `HistoryEntry` the local history uses, so search, details and export work
alike on both. Every method blocks on the network: call them from worker threads only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, LiteralString

import psycopg
import psycopg.errors
from psycopg import sql
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool, PoolTimeout

from desktop_app.core.history.entries import (
    RECORD_FIELDS,
    EntryKind,
    HistoryEntry,
    HistoryQuery,
    Outcome,
    parse_utc,
)
from desktop_app.core.history.search import (
    every_page,
    indexed_text,
    like_pattern,
    search_terms,
)
from desktop_app.core.history.secret_guard import redact_secrets
from desktop_app.core.model import RedemptionKey
from desktop_app.core.team.schema import require_known_version

PAGE_SIZE = 50
POOL_WAIT_SECONDS = 5.0

# The team table holds an export record's fields (HistoryEntry.to_record()); two are renamed, and
# local row links (id, verifies_id, verified_by_id) mean nothing across desks.
_COLUMN_OF_FIELD = {"time_utc": "created_utc", "uuid": "entry_uuid"}
_LOCAL_ONLY = frozenset({"id", "verifies_id", "verified_by_id"})
_DELIVERED_FIELDS = tuple(name for name in RECORD_FIELDS if name not in _LOCAL_ONLY)
_JSON_FIELDS = frozenset({"before", "after", "found", "warnings", "errors"})
_TIME_FIELDS = frozenset({"time_utc", "completed_utc"})
_INSERT = sql.SQL(
    "INSERT INTO team_entries ({columns}) VALUES ({values}) ON CONFLICT (entry_uuid) DO NOTHING"
).format(
    columns=sql.SQL(", ").join(
        sql.Identifier(_COLUMN_OF_FIELD.get(name, name))
        for name in (*_DELIVERED_FIELDS, "verifies_uuid", "search_text")
    ),
    values=sql.SQL(", ").join(sql.Placeholder() for _ in range(len(_DELIVERED_FIELDS) + 2)),
)
# Named as in HistoryEntry.to_record(), so rows become entries the way exports do.
_SELECT: LiteralString = (
    "SELECT seq AS id, created_utc AS time_utc, completed_utc, kind, outcome, profile, host,"
    " till_username, os_user, entity_type, entity_identifier_type, entity_identifier_value,"
    " key_kind, key_value, before, after, found, request, http_status, response, warnings,"
    " errors, duration_ms, message, entry_uuid::text AS uuid, batch_file, batch_sha256,"
    " batch_row FROM team_entries"
)


@dataclass(frozen=True)
class TeamQuery:
    """The local history's filter plus the agent (the OS user name) the rows came from."""

    history: HistoryQuery = field(default_factory=HistoryQuery)
    agent: str = ""


@dataclass(frozen=True)
class Delivery:
    """One finished local entry on its way to the team, and the UUID of the update it verifies."""

    entry: HistoryEntry
    verifies_uuid: str | None = None


def _clean_values(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {k: redact_secrets(v) if isinstance(v, str) else v for k, v in values.items()}


def delivery_row(delivery: Delivery) -> tuple[Any, ...]:
    """The INSERT parameters. Every text passes the history's secret guard once more."""
    e = delivery.entry
    record = e.to_record()
    for name in ("before", "after", "found"):
        record[name] = _clean_values(record[name])
    for name in ("warnings", "errors"):
        record[name] = [{**m, "message": redact_secrets(m["message"] or "")} for m in record[name]]
    search = indexed_text(
        key_value=e.key.value,
        entity_value=e.entity.identifier_value,
        values=(record["before"], record["after"], record["found"]),
        message=e.message,
        messages=(*e.errors, *e.warnings),
        batch_file=e.batch.file_name if e.batch else None,
    )
    texts = ("request", "response", "message", "profile", "host", "till_username", "os_user")
    for name in texts:
        record[name] = redact_secrets(record[name] or "")
    values = [_field_value(name, record[name]) for name in _DELIVERED_FIELDS]
    return (*values, delivery.verifies_uuid, redact_secrets(search))


def _field_value(name: str, value: Any) -> Any:
    if name in _JSON_FIELDS:
        return None if value is None else Jsonb(value)
    if name in _TIME_FIELDS and value is not None:
        return parse_utc(value)
    return value


def _entry(row: dict[str, Any]) -> HistoryEntry:
    record = dict(row)
    record["time_utc"] = row["time_utc"].isoformat()
    completed = row["completed_utc"]
    record["completed_utc"] = completed.isoformat() if completed else None
    record.update(verifies_id=None, verified_by_id=None)
    return HistoryEntry.from_record(record)


_DIGIT_RUN = re.compile(r"[0-9]{6,}")
_PIECE_CHARS = 6


def _narrowing_piece(term: str) -> str | None:
    """What the trigram index should look for instead of a long term with a long digit run.

    A bill number or a mobile (`INV-2025-955475`) shares most trigrams with every other one
    (`INV`, `-20`, `202`): reading all their index lists costs tens of ms at a million rows. The
    last six digits of its longest digit run are nearly as rare as the whole term for a twentieth
    of the reading; the whole term, written so the index cannot take it (`search_text || ''`),
    then keeps the match exact. Words are left alone: a phrase's trigrams are rarer, and the
    planner walks the newest rows for a common one."""
    runs = _DIGIT_RUN.findall(term)
    if not runs:
        return None
    piece = max(runs, key=len)[-_PIECE_CHARS:]
    return piece if piece != term else None


def search_sql(
    query: TeamQuery, before_seq: int | None, limit: int, after_seq: int | None = None
) -> tuple[str, list[Any]]:
    """One page, newest first: every search term is a case-insensitive substring (as locally)."""
    where: list[LiteralString] = []
    params: list[Any] = []
    for term in search_terms(query.history.text):
        piece = _narrowing_piece(term)
        if piece is not None:
            where.append("search_text ILIKE %s AND (search_text || '') ILIKE %s")
            params.extend((like_pattern(piece), like_pattern(term)))
        else:
            where.append("search_text ILIKE %s")
            params.append(like_pattern(term))
    if query.agent:
        where.append("os_user = %s")
        params.append(query.agent)
    if query.history.outcomes:
        where.append("outcome = ANY(%s)")
        params.append(sorted(o.value for o in query.history.outcomes))
    if query.history.since is not None:
        where.append("created_utc >= %s")
        params.append(query.history.since)
    if query.history.until is not None:
        where.append("created_utc < %s")
        params.append(query.history.until)
    if before_seq is not None:
        where.append("seq < %s")
        params.append(before_seq)
    if after_seq is not None:
        where.append("seq > %s")
        params.append(after_seq)
    statement = _SELECT
    if where:
        statement += " WHERE " + " AND ".join(where)
    statement += " ORDER BY seq DESC LIMIT %s"
    params.append(limit)
    return statement, params


class TeamStore:
    """Open with a libpq connection string (`TeamDatabase.conninfo(password)`); close when done.

    The pool connects in the background and reconnects after the server comes back; a call made
    while the server is unreachable raises psycopg.OperationalError or psycopg_pool.PoolTimeout.
    """

    def __init__(self, conninfo: str, *, max_connections: int = 3):
        self._conninfo = conninfo
        self._pool = ConnectionPool(
            conninfo,
            min_size=1,
            max_size=max_connections,
            open=False,
            timeout=POOL_WAIT_SECONDS,
            check=ConnectionPool.check_connection,
            name="team-store",
        )
        self._pool.open(wait=False)

    def close(self) -> None:
        self._pool.close(timeout=1.0)

    @contextmanager
    def _connection(
        self, wait: float | None = None, *, explain: bool = True
    ) -> Iterator[psycopg.Connection[Any]]:
        """A pooled connection; when none comes in time and `explain`, the server's own reason
        (refused, password, TLS certificate) from one direct attempt, rather than the pool's
        "couldn't get a connection"."""
        try:
            with self._pool.connection(timeout=wait) as connection:
                yield connection
        except PoolTimeout as timeout:
            if not explain:
                raise
            raise self._why_unreachable() or timeout from timeout

    def _why_unreachable(self) -> psycopg.OperationalError | None:
        try:
            psycopg.connect(self._conninfo).close()
        except psycopg.OperationalError as error:
            return error
        return None

    def deliver(self, deliveries: Sequence[Delivery]) -> int:
        """Insert the entries in one transaction; returns how many were new (repeats are skipped).

        Raises UnknownTeamSchema (before writing anything) for a schema this desk does not know.
        """
        rows = [delivery_row(d) for d in deliveries]
        with self._connection() as connection:
            require_known_version(connection)
            with connection.cursor() as cursor:
                cursor.executemany(_INSERT, rows)
                return max(cursor.rowcount, 0)

    def search(
        self,
        query: TeamQuery | None = None,
        before_seq: int | None = None,
        limit: int = PAGE_SIZE,
        *,
        after_seq: int | None = None,
    ) -> list[HistoryEntry]:
        """One page newest first; `before_seq` pages on, `after_seq` keeps only newer rows."""
        statement, params = search_sql(query or TeamQuery(), before_seq, limit, after_seq)
        with self._connection() as connection, connection.cursor(row_factory=dict_row) as cur:
            cur.execute(statement, params)
            return [_entry(row) for row in cur.fetchall()]

    def iter_entries(self, query: TeamQuery, batch: int = 500) -> Iterator[HistoryEntry]:
        """Every matching entry, newest first, a page at a time (for export)."""
        return every_page(lambda before_seq, size: self.search(query, before_seq, size), batch)

    def changes_by_others(
        self,
        host: str,
        keys: Sequence[RedemptionKey],
        *,
        os_user: str,
        since: datetime,
        wait: float = 2.0,
    ) -> list[HistoryEntry]:
        """Updates to this redemption (by any of its identifiers, `keys`) that another agent
        made since `since`, newest first.

        Waits at most `wait` seconds for a connection: a lookup's answer must not wait longer."""
        statement = (
            _SELECT + " WHERE key_value = ANY(%s) AND host = %s AND kind = %s AND outcome = %s"
            " AND os_user <> %s AND created_utc >= %s"
            " ORDER BY created_utc DESC LIMIT 20"
        )
        params = (
            [key.value for key in keys],
            host,
            EntryKind.UPDATE.value,
            Outcome.SUCCEEDED.value,
            os_user,
            since,
        )
        with (
            self._connection(wait, explain=False) as connection,
            connection.cursor(row_factory=dict_row) as cur,
        ):
            cur.execute(statement, params)
            found = [_entry(row) for row in cur.fetchall()]
        return [entry for entry in found if entry.key in keys][:5]  # an ID is not an ext. ref

    def check(self) -> None:
        """Raises unless the database is reachable and at this desk's schema version."""
        with self._connection() as connection:
            require_known_version(connection)


def failure_reason(error: BaseException) -> str:
    """Why a call to the team database failed, in a sentence for the status bar."""
    from desktop_app.core.team.schema import UnknownTeamSchema

    if isinstance(error, UnknownTeamSchema):
        return str(error)
    if isinstance(error, PoolTimeout | psycopg.OperationalError):
        detail = (str(error).strip().splitlines() or [type(error).__name__])[-1]
        if "password" in detail:  # e.g. "password authentication failed for user …"
            return "the team database refused the password (enter it again in Profiles…)"
        return f"the team database cannot be reached ({redact_secrets(detail)[:160]})"
    if isinstance(error, psycopg.errors.InsufficientPrivilege):
        return "the team database refused this user (it needs INSERT and SELECT on team_entries)"
    return f"the team database reported an error ({type(error).__name__}: {str(error)[:160]})"
