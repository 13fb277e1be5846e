"""Recording requests: pending before the request leaves, completed after, nothing secret."""

from __future__ import annotations

import base64
import sqlite3
import threading
from datetime import UTC, datetime, timedelta

import pytest

from desktop_app.core.history import (
    Completion,
    EntryKind,
    HistoryQuery,
    Outcome,
    SecretRefused,
)
from desktop_app.core.model import ApiMessage
from tests.core.history.samples import (
    BEFORE,
    FAILURE,
    SUCCESS,
    lookup_entry,
    open_store,
    update_entry,
)


def raw_outcomes(path) -> list[tuple[int, str]]:
    """Read the file through a separate connection: only committed rows are visible."""
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT id, outcome FROM entries ORDER BY id").fetchall()
    finally:
        connection.close()


def test_pending_is_committed_before_the_request_leaves(tmp_path):
    store = open_store(tmp_path)
    entry_id = store.add_pending(update_entry())
    assert raw_outcomes(store.path) == [(entry_id, "pending")]
    store.close()


def test_a_successful_update_is_one_entry_with_everything_an_auditor_needs(tmp_path):
    store = open_store(tmp_path)
    entry_id = store.add_pending(update_entry())
    store.complete(
        entry_id,
        Completion(
            Outcome.SUCCEEDED,
            200,
            '{"billNumber": "bill-new-77"}',
            warnings=(ApiMessage(8, "points were already expired"),),
            duration_ms=42.0,
        ),
    )
    [entry] = store.search()
    assert entry.id == entry_id
    assert entry.outcome is Outcome.SUCCEEDED
    assert entry.kind is EntryKind.UPDATE
    assert (entry.profile, entry.host, entry.username) == ("Demo", "127.0.0.1", "store.server")
    assert entry.os_user
    assert entry.entity.identifier_value == "919800000001"
    assert entry.key.value == "NZVAt9"
    assert entry.before == BEFORE
    assert entry.after == {"billNumber": "bill-new-77"}
    assert '"redemptionId": "NZVAt9"' in entry.request_json
    assert entry.http_status == 200
    assert entry.response_json == '{"billNumber": "bill-new-77"}'
    assert entry.warnings == (ApiMessage(8, "points were already expired"),)
    assert entry.duration_ms == 42.0
    assert entry.created_utc.tzinfo is not None
    assert entry.completed_utc >= entry.created_utc
    assert entry.change_summary() == "bill number: bill-old-77 → bill-new-77"
    store.close()


@pytest.mark.parametrize(
    "completion",
    [
        FAILURE,
        Completion(Outcome.FAILED, None, "", message="Could not connect: nothing was sent."),
        Completion(Outcome.FAILED, 401, "<response><code>401</code></response>"),
        Completion(Outcome.UNKNOWN, None, "", message="The connection broke mid-answer."),
    ],
    ids=["api-error", "network", "auth", "response-lost"],
)
def test_each_ending_is_recorded_on_the_one_entry(tmp_path, completion):
    store = open_store(tmp_path)
    entry_id = store.add_pending(update_entry())
    store.complete(entry_id, completion)
    [entry] = store.search()
    assert (entry.id, entry.outcome, entry.http_status) == (
        entry_id,
        completion.outcome,
        completion.http_status,
    )
    assert entry.errors == completion.errors
    assert entry.message == completion.message
    store.close()


def test_a_lookup_records_what_it_found(tmp_path):
    store = open_store(tmp_path)
    entry_id = store.add_pending(lookup_entry())
    store.complete(entry_id, Completion(Outcome.SUCCEEDED, 200, "{}", found=BEFORE))
    entry = store.get(entry_id)
    assert entry.kind is EntryKind.LOOKUP
    assert entry.change_summary() == "found: bill ID 235, bill number bill-old-77, purpose why"
    store.close()


def test_completing_with_pending_or_an_unknown_id_is_refused(tmp_path):
    store = open_store(tmp_path)
    entry_id = store.add_pending(update_entry())
    with pytest.raises(ValueError):
        store.complete(entry_id, Completion(Outcome.PENDING, None, ""))
    with pytest.raises(KeyError):
        store.complete(entry_id + 1, SUCCESS)
    assert store.get(entry_id).outcome is Outcome.PENDING
    store.close()


# -- secrets -----------------------------------------------------------------------------

TOKEN = base64.b64encode(b"store.server:8a16a6b70505eb1f1ff7cdc0cd5559a7").decode()


@pytest.mark.parametrize(
    "request_json",
    [
        f'PUT /v2/points/updateRedemption\nAuthorization: Basic {TOKEN}\n\n{{"a": 1}}',
        '{"headers": {"Authorization": "Bearer abc"}, "body": {}}',
        f'{{"note": "Basic {TOKEN}"}}',
        "{'password': 'server123'}",
    ],
    ids=["header-line", "json-header", "basic-token", "password-field"],
)
def test_a_request_carrying_credentials_is_refused_and_nothing_is_written(tmp_path, request_json):
    store = open_store(tmp_path)
    with pytest.raises(SecretRefused):
        store.add_pending(update_entry(request_json=request_json))
    assert raw_outcomes(store.path) == []
    store.close()


@pytest.mark.parametrize(
    "purpose",
    ["Authorization pending at POS", "Basic tier upgrade", "password reset by customer"],
)
def test_ordinary_words_in_a_purpose_are_not_mistaken_for_secrets(tmp_path, purpose):
    store = open_store(tmp_path)
    entry_id = store.add_pending(update_entry(after={"purpose": purpose}))
    assert store.get(entry_id).after == {"purpose": purpose}
    store.close()


def test_credentials_in_a_server_answer_are_redacted_and_the_outcome_still_recorded(tmp_path):
    store = open_store(tmp_path)
    entry_id = store.add_pending(update_entry())
    echoed = f'<html>Bad request\nAuthorization: Basic {TOKEN}\n{{"password": "x"}}</html>'
    store.complete(
        entry_id,
        Completion(Outcome.FAILED, 400, echoed, errors=(ApiMessage(1, f"Basic {TOKEN}"),)),
    )
    entry = store.get(entry_id)
    assert entry.outcome is Outcome.FAILED
    assert TOKEN not in entry.response_json and TOKEN not in entry.errors[0].message
    assert '"password": "x"' not in entry.response_json
    assert "[redacted]" in entry.response_json
    store.close()
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("history.sqlite3*") if p.is_file())
    assert TOKEN.encode() not in stored


# -- threads -----------------------------------------------------------------------------


def test_worker_threads_recording_at_once_lose_nothing(tmp_path):
    store = open_store(tmp_path)
    failures: list[BaseException] = []

    def record(worker: int) -> None:
        try:
            for number in range(50):
                entry_id = store.add_pending(update_entry(f"W{worker}N{number}"))
                store.complete(entry_id, SUCCESS)
                store.search(HistoryQuery(text=f"W{worker}"), limit=5)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=record, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    entries = list(store.iter_entries(HistoryQuery()))
    assert len(entries) == 300
    assert {e.outcome for e in entries} == {Outcome.SUCCEEDED}
    store.close()


# -- a dead process's pending rows --------------------------------------------------------


def test_a_live_copys_pending_entry_is_left_alone_and_a_dead_ones_becomes_unknown(tmp_path):
    first = open_store(tmp_path)
    in_flight = first.add_pending(update_entry())

    second = open_store(tmp_path)  # the first copy is still running: its request may be in flight
    assert second.get(in_flight).outcome is Outcome.PENDING
    assert second.notice is None
    second.close()

    first.close()  # releases its claim exactly as a crash would
    third = open_store(tmp_path)
    entry = third.get(in_flight)
    assert entry.outcome is Outcome.UNKNOWN
    assert entry.can_be_verified
    assert "Verify by lookup" in entry.message
    assert "1 request(s) from a previous session" in third.notice
    third.close()


def test_own_pending_entries_are_never_swept(tmp_path):
    store = open_store(tmp_path)
    entry_id = store.add_pending(update_entry())
    assert store.mark_abandoned_pending() == 0
    assert store.get(entry_id).outcome is Outcome.PENDING
    store.close()


# -- verify by lookup --------------------------------------------------------------------


def unknown_update(store, after=None) -> int:
    entry_id = store.add_pending(update_entry(after=after))
    store.complete(entry_id, Completion(Outcome.UNKNOWN, None, "", message="connection dropped"))
    return entry_id


def test_verification_finding_the_intended_values_marks_the_update_succeeded(tmp_path):
    store = open_store(tmp_path)
    entry_id = unknown_update(store)
    server_now = {"billId": 235, "billNumber": "bill-new-77", "purpose": "why"}
    lookup_id = store.record_verification(entry_id, server_now, "looked up from History")

    original = store.get(entry_id)
    assert original.outcome is Outcome.SUCCEEDED
    assert original.outcome_label == "succeeded (verified)"
    assert original.verified_by_id == lookup_id
    lookup = store.get(lookup_id)
    assert (lookup.kind, lookup.outcome, lookup.verifies_id) == (
        EntryKind.LOOKUP,
        Outcome.SUCCEEDED,
        entry_id,
    )
    assert lookup.found == server_now
    assert "it was applied" in lookup.message
    assert store.verifications_of(entry_id) == [lookup]
    store.close()


def test_verification_finding_other_values_leaves_the_outcome_unknown_and_says_why(tmp_path):
    store = open_store(tmp_path)
    entry_id = unknown_update(store, after={"billNumber": "bill-new-77", "purpose": "refund"})
    lookup_id = store.record_verification(
        entry_id, {"billId": 235, "billNumber": "bill-old-77", "purpose": "refund"}
    )
    assert store.get(entry_id).outcome is Outcome.UNKNOWN
    message = store.get(lookup_id).message
    assert "bill number is bill-old-77, intended bill-new-77" in message
    assert "purpose" not in message  # the purpose matches: not a difference
    store.close()


def test_a_failed_verification_lookup_is_recorded_as_failed(tmp_path):
    store = open_store(tmp_path)
    entry_id = unknown_update(store)
    lookup_id = store.record_verification(entry_id, None, "Could not connect.")
    assert store.get(lookup_id).outcome is Outcome.FAILED
    assert "Could not connect." in store.get(lookup_id).message
    assert store.get(entry_id).outcome is Outcome.UNKNOWN
    store.close()


# -- retention ---------------------------------------------------------------------------


class Clock:
    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def test_delete_older_than_removes_only_old_finished_entries(tmp_path):
    clock = Clock(datetime(2024, 1, 1, tzinfo=UTC))
    store = open_store(tmp_path, clock=clock)
    old_done = store.add_pending(update_entry("OLD001"))
    store.complete(old_done, SUCCESS)
    old_pending = store.add_pending(update_entry("OLD002"))
    clock.now += timedelta(days=40)
    recent = store.add_pending(update_entry("NEW001"))
    store.complete(recent, SUCCESS)

    assert store.count_older_than(30) == 1
    assert store.delete_older_than(30) == 1
    assert store.get(old_done) is None
    assert store.get(old_pending) is not None  # an in-flight request is never deleted
    assert store.search(HistoryQuery(text="OLD001")) == []
    assert [e.id for e in store.search(HistoryQuery(text="NEW001"))] == [recent]
    with pytest.raises(ValueError):
        store.delete_older_than(-1)
    store.close()


def test_the_search_index_stays_in_step_with_the_table(tmp_path):
    store = open_store(tmp_path)
    for number in range(20):
        entry_id = store.add_pending(update_entry(f"K{number:03d}"))
        store.complete(entry_id, FAILURE if number % 2 else SUCCESS)
    store.delete_older_than(0)
    store.close()
    connection = sqlite3.connect(tmp_path / "history.sqlite3")
    connection.execute("INSERT INTO entries_search(entries_search) VALUES ('integrity-check')")
    connection.close()


def test_a_row_no_version_of_the_desk_wrote_is_shown_as_far_as_it_can_be_read(tmp_path):
    store = open_store(tmp_path)
    for key in ("GOOD01", "BAD001", "GOOD02"):
        store.complete(store.add_pending(update_entry(key)), SUCCESS)
    store.close()
    with sqlite3.connect(tmp_path / "history.sqlite3") as database:
        database.execute(
            "UPDATE entries SET outcome = 'banana', before_json = '{broken', "
            "created_utc = 'yesterday' WHERE key_value = 'BAD001'"
        )
    database.close()

    store = open_store(tmp_path)
    entries = store.search()
    assert [e.key.value for e in entries] == ["GOOD02", "BAD001", "GOOD01"]
    damaged = entries[1]
    assert damaged.outcome is Outcome.UNKNOWN
    assert damaged.before is None and damaged.after == {"billNumber": "bill-new-77"}
    assert damaged.message.startswith("Part of this entry could not be read")
    assert [e.outcome for e in (entries[0], entries[2])] == [Outcome.SUCCEEDED] * 2
    store.close()
