"""Each entry's stable UUID and its batch tag: kept on disk, read back, and added to old files."""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import replace

from desktop_app.core.history import BatchTag, HistoryStore
from desktop_app.core.history.schema import MIGRATIONS, migrate
from tests.core.history.samples import open_store, update_entry


def test_each_entry_keeps_the_uuid_it_was_made_with(tmp_path):
    store = open_store(tmp_path)
    first, second = update_entry(), update_entry()
    assert first.uuid != second.uuid
    ids = [store.add_pending(first), store.add_pending(second)]
    assert store.get(ids[0]).uuid == first.uuid
    assert store.get(ids[1]).uuid == second.uuid


def test_a_batch_tag_is_read_back_and_exported(tmp_path):
    store = open_store(tmp_path)
    tag = BatchTag("outage 12 May.csv", "ab" * 32, 7)
    entry_id = store.add_pending(replace(update_entry(), batch=tag))
    entry = store.get(entry_id)
    assert entry.batch == tag
    assert entry.to_record()["batch_row"] == 7
    assert store.get(store.add_pending(update_entry())).batch is None


def test_rows_of_a_version_one_file_get_distinct_uuids(tmp_path):
    path = tmp_path / "history.sqlite3"
    connection = sqlite3.connect(path)
    migrate(connection, MIGRATIONS[:1])
    for number in range(3):
        connection.execute(
            "INSERT INTO entries (created_utc, kind, outcome, profile, host, till_username,"
            " os_user, entity_type, entity_identifier_type, entity_identifier_value, key_kind,"
            " key_value, request_json, writer_pid, writer_token)"
            " VALUES ('2026-01-01T00:00:00.000Z', 'lookup', 'succeeded', 'p', 'h', 'u', 'o',"
            f" 'CUSTOMER', 'mobile', '91980000000{number}', 'redemptionId', 'X', '{{}}', 1, 't')"
        )
    connection.commit()
    connection.close()

    store = HistoryStore.open(path)
    uuids = [entry.uuid for entry in store.search(limit=10)]
    assert len(set(uuids)) == 3
    assert all(uuid.UUID(value).version == 4 for value in uuids)
