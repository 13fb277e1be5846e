"""Batch runs against the sandbox over real HTTP: every outcome, the exact PUT bodies, the
history, re-runs, dry runs, retries after 429/521, a dropped connection, pause and cancel."""

from __future__ import annotations

import threading
import time

from desktop_app.core.history import EntryKind, HistoryQuery, Outcome
from desktop_app.desk.batch import RowOutcome, exit_code
from tests.desk.batch.conftest import ASHA, RAVI, by_row, deep_rows, puts, row

ASHA_ENTITY = {"type": "CUSTOMER", "identifierType": "mobile", "identifierValue": "919800000001"}


def wait_for(condition, timeout=20.0):
    """Polls a condition the test cannot be told about (another thread's progress)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.01)


def test_every_outcome_and_exact_put_bodies(sandbox, batch_file, run_batch, services):
    path = batch_file(
        [
            row(ASHA, rid="NZVAt9", bill_id="235", bill_number="bill-new-77"),  # 235 unchanged
            row(("email", "asha@example.com"), ext="EXT-1002", purpose="refund"),
            row(RAVI, rid="RaVi01", bill_id="701", bill_number="ravi-1"),  # holds these already
            row(RAVI, rid="RaVi99", purpose="x"),
            row(ASHA, rid="FaiL50", purpose="again"),
            row(ASHA, rid="NZVAt9", bill_id="-5"),
        ]
    )
    result = run_batch(path)
    rows = by_row(result)
    assert {n: r.outcome for n, r in rows.items()} == {
        1: RowOutcome.APPLIED,
        2: RowOutcome.APPLIED,
        3: RowOutcome.UNCHANGED,
        4: RowOutcome.NOT_FOUND,
        5: RowOutcome.FAILED,
        6: RowOutcome.REFUSED,
    }
    assert sorted(puts(sandbox), key=str) == sorted(
        [
            {"redemptionId": "NZVAt9", "billNumber": "bill-new-77", "entity": ASHA_ENTITY},
            {
                "externalReferenceNumber": "EXT-1002",
                "purpose": "refund",
                "entity": {
                    "type": "CUSTOMER",
                    "identifierType": "email",
                    "identifierValue": "asha@example.com",
                },
            },
            {"redemptionId": "FaiL50", "purpose": "again", "entity": ASHA_ENTITY},
        ],
        key=str,
    )
    assert sandbox.redemption("NZVAt9").bill_number == "bill-new-77"
    assert sandbox.redemption("nzvat9").purpose == "refund"
    assert rows[1].before["billNumber"] == "bill-old-77"
    assert rows[1].after == {"billId": 235, "billNumber": "bill-new-77", "purpose": "why"}
    assert "already reversed" in rows[5].message
    assert "sign" in rows[6].message
    assert exit_code(result.results) == 1

    # Recorded like desk actions, tagged with the file and row.
    entries = list(services.history().iter_entries(HistoryQuery()))
    updates = [e for e in entries if e.kind is EntryKind.UPDATE]
    assert sorted((e.batch.row, e.outcome) for e in updates) == [
        (1, Outcome.SUCCEEDED),
        (2, Outcome.SUCCEEDED),
        (5, Outcome.FAILED),
    ]
    lookups = [e for e in entries if e.kind is EntryKind.LOOKUP]
    assert sorted(e.batch.row for e in lookups) == [1, 2, 3, 4, 5]
    assert {e.batch.file_name for e in entries} == {"batch.csv"}
    assert all(set(r.entry_ids) <= {e.id for e in entries} for r in result.results)


def test_second_run_sends_no_put_for_applied_rows(sandbox, batch_file, run_batch):
    path = batch_file(
        [
            row(ASHA, rid="NZVAt9", bill_number="fixed-1"),
            row(RAVI, rid="RaVi02", bill_id="9702", purpose="outage"),
        ]
    )
    first = run_batch(path)
    assert [r.outcome for r in first.results] == [RowOutcome.APPLIED] * 2
    assert sandbox.update_count == 2
    second = run_batch(path)
    assert [r.outcome for r in second.results] == [RowOutcome.UNCHANGED] * 2
    assert all("earlier run of this file" in r.message for r in second.results)
    assert sandbox.update_count == 2
    assert exit_code(second.results) == 0


def test_dry_run_sends_nothing_and_shows_before_and_after(sandbox, batch_file, run_batch):
    path = batch_file(
        [row(ASHA, rid="WaRn01", bill_id="3010"), row(RAVI, rid="RaVi01", bill_id="701")]
    )
    result = run_batch(path, dry_run=True)
    first, second = result.results
    assert (first.outcome, second.outcome) == (RowOutcome.WOULD_APPLY, RowOutcome.UNCHANGED)
    assert (first.before["billId"], first.after["billId"], first.sent) == (
        301,
        3010,
        {"billId": 3010},
    )
    assert sandbox.update_count == 0
    assert sandbox.redemption("WaRn01").bill_id == 301
    assert exit_code(result.results) == 0


def test_warnings_are_kept_per_row(batch_file, run_batch):
    result = run_batch(batch_file([row(ASHA, rid="WaRn01", purpose="warned")]))
    (only,) = result.results
    assert only.outcome is RowOutcome.APPLIED
    assert only.warnings and "1301" in only.warnings[0]


def test_429_waits_for_retry_after_then_sends_again(sandbox, batch_file, run_batch):
    sandbox.set_fault("rate_limited", endpoint="update", times=2, retry_after=1)
    started = time.monotonic()
    (only,) = run_batch(batch_file([row(ASHA, rid="NZVAt9", purpose="after 429")])).results
    waited = time.monotonic() - started
    assert only.outcome is RowOutcome.APPLIED
    assert only.attempts == 3 and sandbox.update_count == 3
    assert waited >= 2.0  # two Retry-After: 1 honoured, not a hammering loop
    assert sandbox.redemption("NZVAt9").purpose == "after 429"


def test_521_is_retried_at_most_three_times(sandbox, batch_file, run_batch):
    sandbox.set_fault("busy_521", endpoint="update", times=1)
    path = batch_file(
        [row(ASHA, rid="NZVAt9", purpose="after 521"), row(ASHA, rid="BuSy21", purpose="x")]
    )
    rows = by_row(run_batch(path, concurrency=1))
    assert (rows[1].outcome, rows[1].attempts) == (RowOutcome.APPLIED, 2)
    assert (rows[2].outcome, rows[2].attempts) == (RowOutcome.FAILED, 4)
    assert "after 4 attempts" in rows[2].message
    assert [p["redemptionId"] for p in puts(sandbox)].count("BuSy21") == 4


def test_dropped_connection_is_unknown_never_resent_then_verified(
    sandbox, batch_file, run_batch, services
):
    sandbox.set_fault("drop_connection", endpoint="update", times=1)
    path = batch_file([row(ASHA, rid="NZVAt9", bill_number="dropped")])
    first = run_batch(path)
    (only,) = first.results
    assert only.outcome is RowOutcome.UNKNOWN
    assert sandbox.update_count == 1
    assert exit_code(first.results) == 3
    (update,) = [
        e for e in services.history().iter_entries(HistoryQuery()) if e.kind is EntryKind.UPDATE
    ]
    assert update.outcome is Outcome.UNKNOWN

    # Run again (resume): the unknown row is verified by lookup first; it had applied.
    (again,) = run_batch(path, unknown_settle_seconds=0.0).results
    assert again.outcome is RowOutcome.UNCHANGED
    assert sandbox.update_count == 1
    settled = services.history().get(update.id)
    assert settled.outcome_label == "succeeded (verified)"


def test_pending_is_on_record_before_the_put_leaves(sandbox, batch_file, run_batch, services):
    sandbox.set_fault("delay", endpoint="update", seconds=1.0)
    path = batch_file([row(ASHA, rid="NZVAt9", purpose="slow")])
    worker = threading.Thread(target=run_batch, args=(path,))
    worker.start()
    wait_for(lambda: sandbox.update_count == 1)
    pending = [
        e for e in services.history().iter_entries(HistoryQuery()) if e.kind is EntryKind.UPDATE
    ]
    worker.join()
    assert [(e.outcome, e.batch.row) for e in pending] == [(Outcome.PENDING, 1)]


def test_cancel_stops_new_rows_and_rows_in_flight_finish(sandbox, batch_file, services, make_run):
    sandbox.set_fault("delay", endpoint="update", seconds=0.5)
    path = batch_file(deep_rows(8))
    run = make_run(path, concurrency=2)
    box = []
    worker = threading.Thread(target=lambda: box.append(run.run()))
    worker.start()
    wait_for(lambda: sandbox.update_count >= 2)  # row 1 done, and another row's PUT in flight
    run.cancel()
    worker.join()
    result = box[0]
    applied = [r for r in result.results if r.outcome is RowOutcome.APPLIED]
    not_run = [r for r in result.results if r.outcome is RowOutcome.NOT_RUN]
    assert len(applied) == sandbox.update_count  # every PUT that left finished as applied
    assert len(applied) + len(not_run) == 8 and not_run
    assert all("cancelled" in r.message for r in not_run)
    recorded = [
        e for e in services.history().iter_entries(HistoryQuery()) if e.kind is EntryKind.UPDATE
    ]
    assert len(recorded) == len(applied)
    assert all(e.outcome is Outcome.SUCCEEDED for e in recorded)


def test_pause_holds_new_rows_until_resumed(sandbox, batch_file, make_run):
    path = batch_file(deep_rows(3))
    finished = []
    paused_after_first = threading.Event()

    def on_row(result):
        finished.append(result.row)
        if len(finished) == 1:
            run.pause()
            paused_after_first.set()

    run = make_run(path, on_row=on_row)
    box = []
    worker = threading.Thread(target=lambda: box.append(run.run()))
    worker.start()
    paused_after_first.wait(20)
    requests_while_paused = len(sandbox.received)
    assert run.paused and worker.is_alive()
    run.resume()
    worker.join()
    assert finished[0] == 1 and sorted(finished) == [1, 2, 3]
    assert requests_while_paused == 2  # the first row's lookup and PUT, nothing more
    assert [r.outcome for r in box[0].results] == [RowOutcome.APPLIED] * 3


def test_rejected_password_stops_before_any_update(sandbox, batch_file, run_batch):
    path = batch_file(deep_rows(5))
    result = run_batch(path, digest="0" * 32, concurrency=4)
    assert result.rejection is not None
    assert [r.outcome for r in result.results] == [RowOutcome.NOT_RUN] * 5
    assert sandbox.update_count == 0
    assert len(sandbox.received) == 1  # the first row's lookup alone reached the till


def test_two_rows_for_one_redemption_never_race(sandbox, batch_file, run_batch):
    path = batch_file(
        [
            row(ASHA, rid="NZVAt9", purpose="first"),
            row(ASHA, rid="NZVAt9", purpose="second"),  # the same identifier: refused on reading
            row(ASHA, ext="EXT-1001", bill_number="by-ext-ref"),  # the same redemption, found later
        ]
    )
    rows = by_row(run_batch(path, concurrency=4))
    assert rows[2].outcome is RowOutcome.REFUSED and "Row 1 already corrects" in rows[2].message
    assert rows[3].outcome is RowOutcome.REFUSED and "other identifier" in rows[3].message
    assert rows[1].outcome is RowOutcome.APPLIED
    assert puts(sandbox) == [{"redemptionId": "NZVAt9", "purpose": "first", "entity": ASHA_ENTITY}]
