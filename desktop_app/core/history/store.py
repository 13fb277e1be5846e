"""HistoryStore: every lookup and update attempt, on disk before the request leaves.

Threads: one sqlite3 connection shared by every thread (`check_same_thread=False`) behind one
lock. Each call holds the lock for a single short statement or transaction (well under a
millisecond to a few), so serialising them costs nothing an agent notices, and a thread-pool
thread never leaves a connection behind when Qt retires it. Long reads (export) go page by
page, taking the lock once per page, so recording a request never waits for an export.

Processes: WAL lets readers and one writer work at once; writes use BEGIN IMMEDIATE under a
busy timeout, so two running copies of the app queue instead of failing or losing rows.

Durability: the pending row is committed with synchronous=FULL (fsync) before the request
leaves, so it survives a power cut. Everything else (completion, verification, retention)
commits with NORMAL: it survives the app crashing, and a power cut can only lose it back to
"pending", which the next start turns into "outcome unknown" — cautious, never wrong. That
keeps recording a request to one fsync.
"""

from __future__ import annotations

import getpass
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from desktop_app.core.history.entries import (
    Completion,
    EntryKind,
    HistoryEntry,
    HistoryQuery,
    NewEntry,
    Outcome,
    dumps_compact,
    field_label,
    format_utc,
    messages_to_json,
    show_value,
)
from desktop_app.core.history.opening import in_memory_database, open_database
from desktop_app.core.history.salvage import salvaged_entry
from desktop_app.core.history.search import every_page, indexed_text, select_entries
from desktop_app.core.history.secret_guard import redact_secrets, refuse_secrets
from desktop_app.core.history.writers import (
    WriterLock,
    remove_dead_lock_files,
    writer_is_alive,
    writers_folder,
)
from desktop_app.core.model import ApiMessage, KeyKind

PAGE_SIZE = 50  # a screenful and more; each page is converted to entries on a worker thread
# A 20 MB error page must not bloat every later read; the head is what an agent needs.
MAX_STORED_CHARS = 256 * 1024
_REDACTION_MARGIN = 4096

# Named as in HistoryEntry.to_record(), so one function turns a row or an export into an entry.
_COLUMNS = (
    "e.id, e.created_utc AS time_utc, e.completed_utc, e.kind, e.outcome, e.profile, e.host,"
    " e.till_username, e.os_user, e.entity_type, e.entity_identifier_type,"
    " e.entity_identifier_value, e.key_kind, e.key_value, e.before_json AS before,"
    " e.after_json AS after, e.found_json AS found, e.request_json AS request, e.http_status,"
    " e.response_json AS response, e.warnings_json AS warnings, e.errors_json AS errors,"
    " e.duration_ms, e.message, e.verifies_id, e.verified_by_id, e.entry_uuid AS uuid,"
    " e.batch_file, e.batch_sha256, e.batch_row, e.writer_pid"
)
_JSON_COLUMNS = ("before", "after", "found", "warnings", "errors")

_ABANDONED_MESSAGE = (
    "The app (process {pid}) stopped before the answer came back, so it is not known whether "
    "the server applied this request. Use Verify by lookup to see what the server holds now."
)


def current_os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # getpass raises KeyError, OSError or ImportError by platform
        return os.environ.get("USERNAME") or os.environ.get("USER") or "unknown"


def _cap(text: str) -> str:
    if len(text) <= MAX_STORED_CHARS:
        return text
    dropped = len(text) - MAX_STORED_CHARS
    return text[:MAX_STORED_CHARS] + f"\n…[{dropped} more characters not kept]"


def server_text_as_stored(text: str) -> str:
    """A server's text redacted and capped. Only the kept head (and a margin, so a secret
    straddling the cut is still recognised whole) is scanned: a 4 MB body costs no more."""
    head = text[: MAX_STORED_CHARS + _REDACTION_MARGIN]
    redacted = redact_secrets(head)
    if len(text) == len(head):
        return _cap(redacted)
    dropped = len(text) - MAX_STORED_CHARS
    return redacted[:MAX_STORED_CHARS] + f"\n…[{dropped} more characters not kept]"


def _json_or_none(value: dict[str, Any] | None) -> str | None:
    return None if value is None else dumps_compact(value)


def _loads(text: str | None) -> Any:
    if text is None:
        return None
    return [] if text == "[]" else json.loads(text)


def _entries(rows: list[sqlite3.Row]) -> list[HistoryEntry]:
    if not rows:
        return []
    names = rows[0].keys()
    entries = []
    for row in rows:
        raw = dict(zip(names, row, strict=True))
        try:
            record = {**raw, **{name: _loads(raw[name]) for name in _JSON_COLUMNS}}
            entries.append(HistoryEntry.from_record(record))
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            entries.append(salvaged_entry(raw, error))
    return entries


def _clean_completion(completion: Completion) -> Completion:
    """Server text is redacted rather than refused: the outcome must still be recorded."""

    def clean(messages: tuple[ApiMessage, ...]) -> tuple[ApiMessage, ...]:
        return tuple(ApiMessage(m.code, redact_secrets(m.message)) for m in messages)

    return replace(
        completion,
        response_json=server_text_as_stored(completion.response_json),
        message=redact_secrets(completion.message),
        warnings=clean(completion.warnings),
        errors=clean(completion.errors),
    )


class HistoryStore:
    """Open with `HistoryStore.open(path)`; `notice` tells the agent about anything unusual."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        *,
        path: Path | None,
        writer: WriterLock | None,
        notice: str | None,
        clock: Callable[[], datetime],
    ):
        connection.row_factory = sqlite3.Row
        self._connection = connection
        self._lock = threading.Lock()
        self._writer = writer
        self._clock = clock
        self._durable = True  # opening.connect sets synchronous = FULL
        self.path = path
        self.notice = notice
        self.os_user = current_os_user()

    @classmethod
    def open(cls, path: Path, *, clock: Callable[[], datetime] | None = None) -> HistoryStore:
        """Never raises for a bad file. Takes ~0.1 s per 100,000 entries (integrity check),
        so call it off the UI thread. Pending rows of processes that died become "unknown"."""
        path = Path(path)
        opened = open_database(path)
        notice = opened.notice
        writer = None
        if opened.file_backed:
            try:
                writer = WriterLock(writers_folder(path))
            except OSError as error:
                opened.connection.close()
                return cls._in_memory_after(f"The history folder cannot be locked ({error}).")
        store = cls(
            opened.connection,
            path=path if opened.file_backed else None,
            writer=writer,
            notice=notice,
            clock=clock or (lambda: datetime.now(UTC)),
        )
        abandoned = store.mark_abandoned_pending()
        if abandoned:
            found = (
                f"{abandoned} request(s) from a previous session never got an answer; they are "
                "marked “outcome unknown” in History. Verify them by lookup before sending again."
            )
            store.notice = f"{notice} {found}" if notice else found
        return store

    @classmethod
    def _in_memory_after(cls, reason: str) -> HistoryStore:
        opened = in_memory_database(reason)
        return cls(
            opened.connection,
            path=None,
            writer=None,
            notice=opened.notice,
            clock=lambda: datetime.now(UTC),
        )

    # -- writing -------------------------------------------------------------------------

    @contextmanager
    def _writing(self, *, durable: bool = False) -> Iterator[sqlite3.Connection]:
        with self._lock:
            connection = self._connection
            if durable != self._durable:
                connection.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
                self._durable = durable
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise

    @property
    def _token(self) -> str:
        return self._writer.token if self._writer else "memory"

    def _pending_row(self, entry: NewEntry, created: datetime) -> dict[str, Any]:
        for name, text in (
            ("request", entry.request_json),
            ("profile", entry.profile),
            ("host", entry.host),
            ("username", entry.username),
            ("values", dumps_compact([entry.before, entry.after])),
        ):
            refuse_secrets(name, text)
        return {
            "created_utc": format_utc(created),
            "kind": EntryKind(entry.kind).value,
            "outcome": Outcome.PENDING.value,
            "profile": entry.profile,
            "host": entry.host,
            "till_username": entry.username,
            "os_user": self.os_user,
            "entity_type": entry.entity.type,
            "entity_identifier_type": entry.entity.identifier_type,
            "entity_identifier_value": entry.entity.identifier_value,
            "key_kind": KeyKind(entry.key.kind).value,
            "key_value": entry.key.value,
            "before_json": _json_or_none(entry.before),
            "after_json": _json_or_none(entry.after),
            "request_json": _cap(entry.request_json),
            "entry_uuid": entry.uuid,
            "batch_file": entry.batch.file_name if entry.batch else None,
            "batch_sha256": entry.batch.sha256 if entry.batch else None,
            "batch_row": entry.batch.row if entry.batch else None,
            "writer_pid": os.getpid(),
            "writer_token": self._token,
            "search_text": indexed_text(
                key_value=entry.key.value,
                entity_value=entry.entity.identifier_value,
                values=(entry.before, entry.after),
                batch_file=entry.batch.file_name if entry.batch else None,
            ),
        }

    @staticmethod
    def _completion_row(
        completion: Completion,
        completed: datetime,
        key_value: str,
        entity_value: str,
        values: tuple[dict[str, Any] | None, ...],
        batch_file: str | None = None,
    ) -> dict[str, Any]:
        return {
            "completed_utc": format_utc(completed),
            "outcome": Outcome(completion.outcome).value,
            "http_status": completion.http_status,
            "response_json": completion.response_json,
            "warnings_json": dumps_compact(messages_to_json(completion.warnings)),
            "errors_json": dumps_compact(messages_to_json(completion.errors)),
            "duration_ms": round(completion.duration_ms, 1),  # a tenth of a ms; the rest is noise
            "message": completion.message,
            "found_json": _json_or_none(completion.found),
            "search_text": indexed_text(
                key_value=key_value,
                entity_value=entity_value,
                values=(*values, completion.found),
                message=completion.message,
                messages=(*completion.errors, *completion.warnings),
                batch_file=batch_file,
            ),
        }

    @staticmethod
    def _insert(connection: sqlite3.Connection, row: dict[str, Any]) -> int:
        names = ", ".join(row)
        marks = ", ".join(f":{name}" for name in row)
        cursor = connection.execute(f"INSERT INTO entries ({names}) VALUES ({marks})", row)
        assert cursor.lastrowid is not None  # an INSERT always sets it
        return cursor.lastrowid

    def add_pending(self, entry: NewEntry) -> int:
        """Write the entry as pending and commit it. Raises SecretRefused (a ValueError) if the
        request carries credentials, sqlite3.Error if the disk refuses: do not send then.

        An update's row is synced to disk before this returns (it must survive a power cut with
        its PUT in flight); a lookup's is committed without the sync, which costs a lookup's
        record at worst and saves a batch of 1,000 rows ~4 s of fsync."""
        row = self._pending_row(entry, self._clock())
        with self._writing(durable=EntryKind(entry.kind) is EntryKind.UPDATE) as connection:
            return self._insert(connection, row)

    def complete(self, entry_id: int, completion: Completion) -> None:
        """Record how the request ended. Raises KeyError for an unknown id."""
        if Outcome(completion.outcome) is Outcome.PENDING:
            raise ValueError("a completion needs a final outcome, not pending")
        completion = _clean_completion(completion)
        with self._writing() as connection:
            found = connection.execute(
                "SELECT key_value, entity_identifier_value, before_json, after_json, batch_file"
                " FROM entries WHERE id = ?",
                (entry_id,),
            ).fetchone()
            if found is None:
                raise KeyError(f"no history entry {entry_id}")
            row = self._completion_row(
                completion,
                self._clock(),
                found["key_value"],
                found["entity_identifier_value"],
                (_loads(found["before_json"]), _loads(found["after_json"])),
                found["batch_file"],
            )
            assignments = ", ".join(f"{name} = :{name}" for name in row)
            connection.execute(
                f"UPDATE entries SET {assignments} WHERE id = :entry_id",
                {**row, "entry_id": entry_id},
            )

    def import_completed(self, items: Iterable[tuple[NewEntry, Completion, datetime]]) -> int:
        """Add finished entries in one transaction (bulk set-up, e.g. the benchmark)."""
        count = 0
        with self._writing(durable=True) as connection:
            for entry, completion, created in items:
                row = self._pending_row(entry, created)
                row.update(
                    self._completion_row(
                        _clean_completion(completion),
                        created,
                        entry.key.value,
                        entry.entity.identifier_value,
                        (entry.before, entry.after),
                        entry.batch.file_name if entry.batch else None,
                    )
                )
                self._insert(connection, row)
                count += 1
        return count

    def record_verification(
        self,
        entry_id: int,
        redemption_values: dict[str, Any] | None,
        message: str = "",
        *,
        request_json: str = "",
        http_status: int | None = None,
        response_json: str = "",
        duration_ms: float = 0.0,
    ) -> int:
        """Record a "Verify by lookup" of an outcome-unknown update as a new, linked LOOKUP entry.

        `redemption_values` is what the server holds now (`redemption_values(redemption)`), or
        None when the lookup failed (`message` says why). When the server holds every value the
        update meant to set, the update becomes "succeeded (verified)". Anything else leaves it
        "outcome unknown": values that differ do not prove the update failed (another change may
        have followed it), so the agent decides, with the lookup's findings beside it.
        """
        original = self.get(entry_id)
        if original is None:
            raise KeyError(f"no history entry {entry_id}")
        confirmed = (
            redemption_values is not None
            and bool(original.after)
            and all(redemption_values.get(k) == v for k, v in (original.after or {}).items())
        )
        if redemption_values is None:
            conclusion = f"Verification of #{entry_id} failed: the lookup did not answer."
        elif confirmed:
            conclusion = f"The server holds the values update #{entry_id} set: it was applied."
        else:
            differences = "; ".join(
                f"{field_label(name)} is {show_value(redemption_values.get(name))}, "
                f"intended {show_value(value)}"
                for name, value in (original.after or {}).items()
                if redemption_values.get(name) != value
            )
            conclusion = (
                f"The server does not hold the values update #{entry_id} meant to set: "
                f"{differences or 'the update changed nothing'}."
            )
        lookup = NewEntry(
            kind=EntryKind.LOOKUP,
            profile=original.profile,
            host=original.host,
            username=original.username,
            entity=original.entity,
            key=original.key,
            before=None,
            after=None,
            request_json=request_json,
        )
        completion = _clean_completion(
            Completion(
                outcome=Outcome.SUCCEEDED if redemption_values is not None else Outcome.FAILED,
                http_status=http_status,
                response_json=response_json,
                duration_ms=duration_ms,
                message=f"{conclusion} {message}".strip(),
                found=redemption_values,
            )
        )
        now = self._clock()
        row = self._pending_row(lookup, now)
        row.update(
            self._completion_row(
                completion, now, original.key.value, original.entity.identifier_value, ()
            )
        )
        row["verifies_id"] = entry_id
        with self._writing() as connection:
            lookup_id = self._insert(connection, row)
            if confirmed:
                connection.execute(
                    "UPDATE entries SET outcome = ?, verified_by_id = ?"
                    " WHERE id = ? AND outcome = ?",
                    (Outcome.SUCCEEDED.value, lookup_id, entry_id, Outcome.UNKNOWN.value),
                )
        return lookup_id

    def mark_abandoned_pending(self) -> int:
        """Pending rows of processes that are no longer running become "outcome unknown".

        Rows of a live copy of the app (its request may be in flight) are left alone.
        """
        if self._writer is None or self.path is None:
            return 0
        folder = writers_folder(self.path)
        with self._lock:
            tokens = [
                row[0]
                for row in self._connection.execute(
                    "SELECT DISTINCT writer_token FROM entries WHERE outcome = ?",
                    (Outcome.PENDING.value,),
                )
            ]
        dead = [t for t in tokens if t != self._token and not writer_is_alive(folder, t)]
        changed = 0
        for token in dead:
            with self._writing() as connection:
                changed += connection.execute(
                    "UPDATE entries SET outcome = ?, message = replace(?, '{pid}', writer_pid)"
                    " WHERE outcome = ? AND writer_token = ?",
                    (Outcome.UNKNOWN.value, _ABANDONED_MESSAGE, Outcome.PENDING.value, token),
                ).rowcount
        remove_dead_lock_files(folder)
        return changed

    def _cutoff(self, days: int) -> str:
        if days < 0:
            raise ValueError("days must be 0 or more")
        return format_utc(self._clock() - timedelta(days=days))

    def count_older_than(self, days: int) -> int:
        with self._lock:
            count: int = self._connection.execute(
                "SELECT count(*) FROM entries WHERE created_utc < ? AND outcome != ?",
                (self._cutoff(days), Outcome.PENDING.value),
            ).fetchone()[0]
        return count

    def delete_older_than(self, days: int) -> int:
        """Delete finished entries created more than `days` days ago (never a pending one).
        The caller asks the agent first."""
        cutoff = self._cutoff(days)
        with self._writing() as connection:
            return connection.execute(
                "DELETE FROM entries WHERE created_utc < ? AND outcome != ?",
                (cutoff, Outcome.PENDING.value),
            ).rowcount

    # -- reading -------------------------------------------------------------------------

    def get(self, entry_id: int) -> HistoryEntry | None:
        with self._lock:
            row = self._connection.execute(
                f"SELECT {_COLUMNS} FROM entries AS e WHERE e.id = ?", (entry_id,)
            ).fetchone()
        return None if row is None else _entries([row])[0]

    def get_many(self, entry_ids: Iterable[int]) -> list[HistoryEntry]:
        ids = list(entry_ids)
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        with self._lock:
            rows = self._connection.execute(
                f"SELECT {_COLUMNS} FROM entries AS e WHERE e.id IN ({marks})", ids
            ).fetchall()
        return _entries(rows)

    def verifications_of(self, entry_id: int) -> list[HistoryEntry]:
        """The "Verify by lookup" entries for an update, newest first."""
        with self._lock:
            rows = self._connection.execute(
                f"SELECT {_COLUMNS} FROM entries AS e WHERE e.verifies_id = ? ORDER BY e.id DESC",
                (entry_id,),
            ).fetchall()
        return _entries(rows)

    def batch_updates(self, sha256: str) -> list[HistoryEntry]:
        """The update entries recorded for the batch file with this SHA-256, oldest first."""
        with self._lock:
            rows = self._connection.execute(
                f"SELECT {_COLUMNS} FROM entries AS e WHERE e.batch_sha256 = ? AND e.kind = ?"
                " ORDER BY e.id",
                (sha256, EntryKind.UPDATE.value),
            ).fetchall()
        return _entries(rows)

    def search(
        self,
        query: HistoryQuery = HistoryQuery(),  # noqa: B008 - frozen, safe as a default
        before_id: int | None = None,
        limit: int = PAGE_SIZE,
        *,
        after_id: int | None = None,
    ) -> list[HistoryEntry]:
        """One page, newest first. Pass the last id you have as `before_id` for the next page;
        `after_id` keeps only entries newer than the one you have at the top."""
        sql, params = select_entries(_COLUMNS, query, before_id, limit, after_id=after_id)
        with self._lock:
            rows = self._connection.execute(sql, params).fetchall()
        return _entries(rows)

    def iter_entries(self, query: HistoryQuery, batch: int = 500) -> Iterator[HistoryEntry]:
        """Every matching entry, newest first, a page at a time (constant memory)."""
        return every_page(lambda before_id, size: self.search(query, before_id, size), batch)

    # -- the team outbox (schema v3: triggers queue every finished entry) ----------------

    def undelivered(self, limit: int) -> list[tuple[HistoryEntry, str | None]]:
        """The oldest queued entries, each with the UUID of the update it verifies, if any."""
        with self._lock:
            rows = self._connection.execute(
                f"SELECT {_COLUMNS}, v.entry_uuid AS verifies_uuid FROM outbox AS o"
                " JOIN entries AS e ON e.entry_uuid = o.entry_uuid"
                " LEFT JOIN entries AS v ON v.id = e.verifies_id"
                " ORDER BY e.id LIMIT ?",
                (limit,),
            ).fetchall()
        # from_record ignores the extra verifies_uuid column
        return list(zip(_entries(rows), [row["verifies_uuid"] for row in rows], strict=True))

    def mark_delivered(self, uuids: Iterable[str]) -> None:
        with self._writing() as connection:
            connection.executemany("DELETE FROM outbox WHERE entry_uuid = ?", [(u,) for u in uuids])

    def note_delivery_failure(self, uuids: Iterable[str], reason: str) -> None:
        with self._writing() as connection:
            connection.executemany(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE entry_uuid = ?",
                [(reason, u) for u in uuids],
            )

    def undelivered_count(self) -> int:
        with self._lock:
            return int(self._connection.execute("SELECT count(*) FROM outbox").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            with suppress(sqlite3.Error):  # closed already: optimising is optional
                self._connection.execute("PRAGMA optimize")
            self._connection.close()
        if self._writer is not None:
            self._writer.release()
            self._writer = None
