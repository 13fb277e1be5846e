"""The team outbox in the local history: every finished entry is queued once, pending ones never."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from desktop_app.core.history import Completion, HistoryStore, Outcome
from desktop_app.core.history.schema import MIGRATIONS, migrate
from tests.core.history.samples import open_store, update_entry

DONE = Completion(Outcome.SUCCEEDED, 200, "{}")


def queued(store: HistoryStore) -> list[str]:
    return [entry.uuid for entry, _ in store.undelivered(100)]


def test_an_entry_is_queued_when_it_finishes_not_before(tmp_path):
    store = open_store(tmp_path)
    entry = update_entry()
    entry_id = store.add_pending(entry)
    assert queued(store) == []
    store.complete(entry_id, DONE)
    assert queued(store) == [entry.uuid]
    store.mark_delivered([entry.uuid])
    assert queued(store) == [] and store.undelivered_count() == 0


def test_a_verification_is_queued_with_the_uuid_of_the_update_it_verifies(tmp_path):
    store = open_store(tmp_path)
    update = update_entry()
    update_id = store.add_pending(update)
    store.complete(update_id, Completion(Outcome.UNKNOWN, None, ""))
    store.mark_delivered([update.uuid])
    store.record_verification(update_id, dict(update.after))
    [(lookup, verifies)] = store.undelivered(10)
    assert lookup.verifies_id == update_id and verifies == update.uuid


def test_a_pending_entry_left_by_a_dead_process_is_queued_as_outcome_unknown(tmp_path):
    path = tmp_path / "history.sqlite3"
    first = HistoryStore.open(path)
    entry = update_entry()
    first.add_pending(entry)
    first._writer.release()  # as if the process had died: its lock is gone
    second = HistoryStore.open(path)
    [(found, _)] = second.undelivered(10)
    assert found.uuid == entry.uuid and found.outcome is Outcome.UNKNOWN


def test_deleting_old_entries_takes_them_out_of_the_queue(tmp_path):
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    store = open_store(tmp_path, clock=lambda: now[0])
    store.complete(store.add_pending(update_entry()), DONE)
    assert store.undelivered_count() == 1
    now[0] += timedelta(days=31)
    assert store.delete_older_than(30) == 1
    assert store.undelivered_count() == 0


def test_a_version_two_file_queues_its_finished_entries_on_upgrade(tmp_path):
    path = tmp_path / "history.sqlite3"
    connection = sqlite3.connect(path)
    migrate(connection, MIGRATIONS[:2])
    for number, outcome in enumerate(("succeeded", "failed", "pending")):
        connection.execute(
            "INSERT INTO entries (created_utc, kind, outcome, profile, host, till_username,"
            " os_user, entity_type, entity_identifier_type, entity_identifier_value, key_kind,"
            " key_value, request_json, writer_pid, writer_token, entry_uuid)"
            f" VALUES ('2026-01-01T00:00:00.000Z', 'lookup', '{outcome}', 'p', 'h', 'u', 'o',"
            f" 'CUSTOMER', 'mobile', '9198000000{number}', 'redemptionId', 'X', '{{}}', 1, 't',"
            f" 'uuid-{number}')"
        )
    connection.commit()
    connection.close()
    store = HistoryStore.open(path)  # the pending row's writer is gone: it becomes unknown
    assert sorted(queued(store)) == ["uuid-0", "uuid-1", "uuid-2"]
