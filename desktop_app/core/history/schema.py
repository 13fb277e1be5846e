"""The history database's schema, versioned with `PRAGMA user_version`.

`MIGRATIONS[n]` takes a database from version n to n + 1. To change the schema, append a step
(never edit a shipped one) and add a test that upgrades a file written by the previous version.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

Migration = Sequence[str]

_V1: Migration = (
    """
    CREATE TABLE entries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, so links and exports stay valid
        created_utc TEXT NOT NULL,  -- ISO 8601 UTC with ms: text order is time order
        completed_utc TEXT,
        kind TEXT NOT NULL,
        outcome TEXT NOT NULL,
        profile TEXT NOT NULL,
        host TEXT NOT NULL,
        till_username TEXT NOT NULL,
        os_user TEXT NOT NULL,
        entity_type TEXT NOT NULL,
        entity_identifier_type TEXT NOT NULL,
        entity_identifier_value TEXT NOT NULL,
        key_kind TEXT NOT NULL,
        key_value TEXT NOT NULL,
        before_json TEXT,
        after_json TEXT,
        found_json TEXT,
        request_json TEXT NOT NULL,
        http_status INTEGER,
        response_json TEXT NOT NULL DEFAULT '',
        warnings_json TEXT NOT NULL DEFAULT '[]',
        errors_json TEXT NOT NULL DEFAULT '[]',
        duration_ms REAL,
        message TEXT NOT NULL DEFAULT '',
        verifies_id INTEGER,
        verified_by_id INTEGER,
        writer_pid INTEGER NOT NULL,
        writer_token TEXT NOT NULL,
        search_text TEXT NOT NULL DEFAULT ''
    )
    """,
    "CREATE INDEX entries_by_outcome ON entries(outcome, id)",
    "CREATE INDEX entries_by_time ON entries(created_utc)",
    # Trigram: an agent finds `9800000001` inside `919800000001` and `old-77` inside `bill-old-77`.
    """
    CREATE VIRTUAL TABLE entries_search USING fts5(
        search_text, content='entries', content_rowid='id', tokenize='trigram'
    )
    """,
    """
    CREATE TRIGGER entries_search_insert AFTER INSERT ON entries BEGIN
        INSERT INTO entries_search(rowid, search_text) VALUES (new.id, new.search_text);
    END
    """,
    """
    CREATE TRIGGER entries_search_delete AFTER DELETE ON entries BEGIN
        INSERT INTO entries_search(entries_search, rowid, search_text)
            VALUES ('delete', old.id, old.search_text);
    END
    """,
    """
    CREATE TRIGGER entries_search_update AFTER UPDATE OF search_text ON entries BEGIN
        INSERT INTO entries_search(entries_search, rowid, search_text)
            VALUES ('delete', old.id, old.search_text);
        INSERT INTO entries_search(rowid, search_text) VALUES (new.id, new.search_text);
    END
    """,
)

# A stable ID per entry (the team store's delivery key: a repeated delivery never duplicates a row),
# and the batch file a row came from, if any.
_V2: Migration = (
    "ALTER TABLE entries ADD COLUMN entry_uuid TEXT",
    """
    UPDATE entries SET entry_uuid = lower(
        hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2)
        || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2)
        || '-' || hex(randomblob(6))
    )
    """,
    "CREATE UNIQUE INDEX entries_by_uuid ON entries(entry_uuid)",
    "ALTER TABLE entries ADD COLUMN batch_file TEXT",
    "ALTER TABLE entries ADD COLUMN batch_sha256 TEXT",
    "ALTER TABLE entries ADD COLUMN batch_row INTEGER",
    "CREATE INDEX entries_by_batch ON entries(batch_sha256, batch_row)",
)

# The team outbox: every finished entry waits here until the team database has it. Triggers fill
# it, so no way of finishing an entry (completion, verification, import, "outcome unknown" after
# a crash) can forget it; entries finished before this version are queued too.
_V3: Migration = (
    """
    CREATE TABLE outbox (
        entry_uuid TEXT PRIMARY KEY,
        queued_utc TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT ''
    )
    """,
    """
    INSERT INTO outbox (entry_uuid, queued_utc)
        SELECT entry_uuid, created_utc FROM entries WHERE outcome != 'pending'
    """,
    """
    CREATE TRIGGER outbox_on_insert AFTER INSERT ON entries WHEN new.outcome != 'pending' BEGIN
        INSERT OR IGNORE INTO outbox (entry_uuid, queued_utc)
            VALUES (new.entry_uuid, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
    END
    """,
    """
    CREATE TRIGGER outbox_on_finish AFTER UPDATE OF outcome ON entries
        WHEN old.outcome = 'pending' AND new.outcome != 'pending' BEGIN
        INSERT OR IGNORE INTO outbox (entry_uuid, queued_utc)
            VALUES (new.entry_uuid, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
    END
    """,
    """
    CREATE TRIGGER outbox_on_delete AFTER DELETE ON entries BEGIN
        DELETE FROM outbox WHERE entry_uuid = old.entry_uuid;
    END
    """,
)

MIGRATIONS: tuple[Migration, ...] = (_V1, _V2, _V3)


class NewerSchema(Exception):
    """The file was written by a newer version of the app; we must not touch it."""


def schema_version(connection: sqlite3.Connection) -> int:
    version: int = connection.execute("PRAGMA user_version").fetchone()[0]
    return version


def migrate(connection: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Bring the database to the latest version in one transaction. Returns the version.

    BEGIN IMMEDIATE takes the write lock before reading the version, so two copies of the app
    starting together cannot both run the same step.
    """
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = schema_version(connection)
        if version > len(migrations):
            raise NewerSchema(f"schema version {version}, this app knows {len(migrations)}")
        for number, steps in enumerate(migrations[version:], start=version + 1):
            for statement in steps:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {number:d}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return len(migrations)
