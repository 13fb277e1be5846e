"""Opening the history file so that the app always starts, whatever state the file is in.

A damaged file is renamed (never deleted) to `history.sqlite3.corrupt-<UTC time>` and a fresh one
is started; when even that fails, the session's history lives in memory and the notice says so.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from desktop_app.core.history.schema import MIGRATIONS, NewerSchema, migrate, schema_version

BUSY_TIMEOUT_SECONDS = 10.0
_DAMAGE_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB (primary codes)
_CANTOPEN = 14


class DamagedDatabase(sqlite3.DatabaseError):
    """quick_check found a problem the file format itself did not reveal."""


@dataclass
class OpenedDatabase:
    connection: sqlite3.Connection
    file_backed: bool
    notice: str | None


def connect(target: Path | str) -> sqlite3.Connection:
    """A ready connection: WAL, durable commits, busy timeout, checked and migrated."""
    connection = sqlite3.connect(
        target,
        timeout=BUSY_TIMEOUT_SECONDS,
        isolation_level=None,  # we issue BEGIN IMMEDIATE / COMMIT ourselves
        check_same_thread=False,  # shared by worker threads behind the store's lock
    )
    try:
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        if schema_version(connection) > len(MIGRATIONS):  # before any write, even WAL mode
            raise NewerSchema(f"schema version {schema_version(connection)}")
        if target != ":memory:":
            connection.execute("PRAGMA journal_mode = WAL")
            # FULL: a pending row must survive a power cut, not only a crash (NORMAL in WAL
            # mode may lose the last commits). Costs ~0.5 ms per commit here.
            connection.execute("PRAGMA synchronous = FULL")
            problems = [row[0] for row in connection.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise DamagedDatabase("; ".join(problems[:3]))
        migrate(connection)
    except BaseException:
        connection.close()
        raise
    return connection


def _is_damage(error: sqlite3.DatabaseError, path: Path) -> bool:
    if isinstance(error, DamagedDatabase):
        return True
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return "malformed" in str(error) or "not a database" in str(error)
    primary = code & 0xFF
    return primary in _DAMAGE_CODES or (primary == _CANTOPEN and path.exists())


def _is_empty_file(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size == 0
    except OSError:
        return False


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _hold_log(path: Path) -> Path | None:
    """SQLite deletes a database's write-ahead log when it closes it, a damaged one's too; a hard
    link keeps the log's last commits beside the moved-aside file for whoever examines it."""
    log = _sidecar(path, "-wal")
    held = _sidecar(path, "-wal.held")
    try:
        held.unlink(missing_ok=True)
        if not log.exists():
            return None
        os.link(log, held)
    except OSError:
        return None
    return held


def move_aside(path: Path, held_log: Path | None = None, now: datetime | None = None) -> Path:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{number}")
    os.replace(path, target)
    for suffix in ("-wal", "-shm"):
        if _sidecar(path, suffix).exists():
            os.replace(_sidecar(path, suffix), _sidecar(target, suffix))
    if held_log is not None and held_log.exists() and not _sidecar(target, "-wal").exists():
        os.replace(held_log, _sidecar(target, "-wal"))
    return target


def in_memory_database(reason: str) -> OpenedDatabase:
    notice = (
        f"{reason} This session's history is kept in memory only and will be lost when you quit."
    )
    return OpenedDatabase(connect(":memory:"), file_backed=False, notice=notice)


def open_database(path: Path) -> OpenedDatabase:
    """Never raises for a bad file: moves it aside, or falls back to memory, and says so."""
    held_log = _hold_log(path)
    try:
        return _open_or_recover(path, held_log)
    finally:
        if held_log is not None:
            held_log.unlink(missing_ok=True)


def _open_or_recover(path: Path, held_log: Path | None) -> OpenedDatabase:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # SQLite takes an empty file for a new database; for the agent, whatever was on
        # record is gone, and that must be said.
        emptied = _is_empty_file(path)
        notice = (
            f"The history file {path} was empty (0 bytes): earlier entries were lost before "
            "this start. A new, empty history was started in it."
            if emptied
            else None
        )
        return OpenedDatabase(connect(path), file_backed=True, notice=notice)
    except NewerSchema:
        return in_memory_database(
            f"The history file {path} was written by a newer version of Redemption Desk and was "
            "left untouched."
        )
    except OSError as error:
        return in_memory_database(f"The history folder {path.parent} cannot be used ({error}).")
    except sqlite3.DatabaseError as error:
        if not _is_damage(error, path):
            return in_memory_database(f"The history file {path} cannot be opened ({error}).")
        first_error = error
    try:
        aside = move_aside(path, held_log)
    except OSError as error:
        return in_memory_database(
            f"The history file {path} is damaged ({first_error}) and could not be moved aside "
            f"({error})."
        )
    notice = (
        f"The history file could not be read ({first_error}). It was kept as {aside.name} in "
        f"{aside.parent} and a new, empty history was started."
    )
    try:
        return OpenedDatabase(connect(path), file_backed=True, notice=notice)
    except (sqlite3.DatabaseError, OSError, NewerSchema) as error:
        return in_memory_database(f"{notice} The new file cannot be opened either ({error}).")
