"""Opening the history: migrations, damaged files, and a folder that cannot be used."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from desktop_app.core.history import HistoryQuery, HistoryStore, Outcome
from desktop_app.core.history.opening import connect
from desktop_app.core.history.schema import MIGRATIONS, migrate, schema_version
from tests.core.history.samples import SUCCESS, open_store, update_entry


def fill(store, count: int) -> None:
    for number in range(count):
        entry_id = store.add_pending(update_entry(f"R{number:05d}", after={"purpose": "x" * 200}))
        store.complete(entry_id, SUCCESS)


def test_an_empty_file_is_migrated_to_the_latest_schema_and_the_agent_told(tmp_path):
    # Issue 11 item 9: a 0-byte history (its entries lost) was replaced without a word.
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"")
    store = HistoryStore.open(path)
    assert "was empty (0 bytes): earlier entries were lost" in store.notice
    assert store.path == path
    fill(store, 1)
    store.close()
    connection = sqlite3.connect(path)
    assert schema_version(connection) == len(MIGRATIONS)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    connection.close()


def test_a_later_migration_upgrades_an_older_file_and_keeps_its_rows(tmp_path):
    store = open_store(tmp_path)
    fill(store, 3)
    store.close()
    version_two = ("ALTER TABLE entries ADD COLUMN ticket TEXT NOT NULL DEFAULT ''",)

    connection = connect(tmp_path / "history.sqlite3")
    assert migrate(connection, (*MIGRATIONS, version_two)) == len(MIGRATIONS) + 1
    assert schema_version(connection) == len(MIGRATIONS) + 1
    tickets = connection.execute("SELECT key_value, ticket FROM entries ORDER BY id").fetchall()
    assert tickets == [("R00000", ""), ("R00001", ""), ("R00002", "")]
    connection.close()


def test_a_failing_migration_changes_nothing(tmp_path):
    store = open_store(tmp_path)
    fill(store, 1)
    store.close()
    broken = ("ALTER TABLE entries ADD COLUMN ticket TEXT", "SELECT * FROM no_such_table")
    connection = connect(tmp_path / "history.sqlite3")
    with pytest.raises(sqlite3.OperationalError):
        migrate(connection, (*MIGRATIONS, broken))
    assert schema_version(connection) == len(MIGRATIONS)
    columns = [row[1] for row in connection.execute("PRAGMA table_info(entries)")]
    assert "ticket" not in columns
    connection.close()


def test_a_file_from_a_newer_version_is_left_untouched_and_the_app_still_records(tmp_path):
    path = tmp_path / "history.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE future (x)")
    connection.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    connection.close()
    before = path.read_bytes()

    store = HistoryStore.open(path)
    assert "newer version" in store.notice and "in memory only" in store.notice
    fill(store, 1)
    assert len(store.search()) == 1
    store.close()
    assert path.read_bytes() == before


def corrupt_copies(tmp_path):
    return sorted(p.name for p in tmp_path.glob("history.sqlite3.corrupt-*"))


def test_a_garbage_file_is_moved_aside_and_a_fresh_history_started(tmp_path):
    path = tmp_path / "history.sqlite3"
    garbage = b"this is not a database\x00" * 500
    path.write_bytes(garbage)

    store = HistoryStore.open(path)
    [aside] = corrupt_copies(tmp_path)
    assert (tmp_path / aside).read_bytes() == garbage  # kept, never deleted
    assert aside in store.notice and "new, empty history" in store.notice
    assert store.path == path
    fill(store, 2)
    assert len(store.search()) == 2
    store.close()

    reopened = HistoryStore.open(path)  # the fresh file is healthy: no second move
    assert reopened.notice is None
    assert corrupt_copies(tmp_path) == [aside]
    reopened.close()


def test_a_truncated_database_is_moved_aside_and_a_fresh_history_started(tmp_path):
    store = open_store(tmp_path)
    now = datetime.now(UTC)
    store.import_completed(
        (update_entry(f"R{n:05d}", after={"purpose": "x" * 200}), SUCCESS, now) for n in range(300)
    )
    store.close()
    path = tmp_path / "history.sqlite3"
    data = path.read_bytes()
    assert len(data) > 100_000
    path.write_bytes(data[: len(data) // 2])

    store = HistoryStore.open(path)
    assert len(corrupt_copies(tmp_path)) == 1
    assert "could not be read" in store.notice
    assert store.search() == []
    fill(store, 1)
    store.close()


def test_a_damaged_file_with_a_write_ahead_log_moves_aside_together(tmp_path):
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"garbage" * 100)
    (tmp_path / "history.sqlite3-wal").write_bytes(b"old log")
    store = HistoryStore.open(path)
    [aside] = [p for p in corrupt_copies(tmp_path) if not p.endswith("-wal")]
    assert (tmp_path / f"{aside}-wal").read_bytes() == b"old log"
    store.close()


def test_an_unusable_folder_falls_back_to_memory_and_says_so(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    store = HistoryStore.open(blocker / "history.sqlite3")
    assert store.path is None
    assert "in memory only" in store.notice
    entry_id = store.add_pending(update_entry())
    store.complete(entry_id, SUCCESS)
    assert [e.outcome for e in store.search(HistoryQuery())] == [Outcome.SUCCEEDED]
    store.close()
