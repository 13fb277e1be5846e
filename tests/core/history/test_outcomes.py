"""Real calls to the sandbox, recorded the way the desk records them: one entry per call, with
the outcome the agent must see (store level; the window-level send tests build on this)."""

from __future__ import annotations

import base64
import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop_app.core.client import CapillaryClient, Timeouts
from desktop_app.core.history import (
    EntryKind,
    HistoryStore,
    NewEntry,
    Outcome,
    call_failed,
    lookup_succeeded,
    redemption_values,
    update_succeeded,
)
from desktop_app.core.model import (
    ApiFailure,
    Credentials,
    Entity,
    KeyKind,
    MetadataChange,
    RedemptionKey,
)
from desktop_app.core.update_request import build_update_body, dumps_body
from desktop_app.sandbox import DEMO_PASSWORD, DEMO_PASSWORD_MD5, DEMO_USERNAME

ASHA = Entity("CUSTOMER", "mobile", "919800000001")
CHANGE = MetadataChange(bill_number="bill-new-77")


def recorded(store: HistoryStore, entry: NewEntry, call: Callable[[], object]):
    """The desk's recording discipline: pending on disk, then the call, then the ending."""
    entry_id = store.add_pending(entry)
    started = time.perf_counter()
    try:
        value = call()
    except ApiFailure as failure:
        completion = call_failed(failure.problem, (time.perf_counter() - started) * 1000)
    else:
        elapsed = (time.perf_counter() - started) * 1000
        if entry.kind is EntryKind.LOOKUP:
            completion = lookup_succeeded(value, elapsed)
        else:
            completion = update_succeeded(value, elapsed)
    store.complete(entry_id, completion)
    return store.get(entry_id)


def send_update(store, base_url, redemption_id, *, password_md5=DEMO_PASSWORD_MD5, timeouts=None):
    client = CapillaryClient(base_url, Credentials(DEMO_USERNAME, password_md5), timeouts=timeouts)
    key = RedemptionKey(KeyKind.REDEMPTION_ID, redemption_id)
    entry = NewEntry(
        kind=EntryKind.UPDATE,
        profile="Demo",
        host=client.host,
        username=DEMO_USERNAME,
        entity=ASHA,
        key=key,
        before={"billId": 235, "billNumber": "bill-old-77", "purpose": "why"},
        after=CHANGE.to_json(),
        request_json=dumps_body(build_update_body(ASHA, key, CHANGE)),
    )
    return recorded(store, entry, lambda: client.update_redemption(ASHA, key, CHANGE))


@pytest.fixture
def store(tmp_path):
    store = HistoryStore.open(tmp_path / "history.sqlite3")
    yield store
    store.close()


def only_entry(store):
    entries = store.search()
    assert len(entries) == 1
    return entries[0]


@pytest.mark.parametrize(
    ("redemption_id", "fault", "outcome", "codes"),
    [
        ("NZVAt9", None, Outcome.SUCCEEDED, ()),
        ("FaiL50", None, Outcome.FAILED, (750,)),
        ("ErR200", None, Outcome.FAILED, None),
        ("BuSy21", None, Outcome.FAILED, (521,)),
        ("NoSuCh", None, Outcome.FAILED, (750,)),
        ("NZVAt9", "html_500", Outcome.UNKNOWN, None),  # a 5xx to a PUT may have applied it
        ("NZVAt9", "forbidden_4000", Outcome.FAILED, (4000,)),
        ("NZVAt9", "rate_limited", Outcome.FAILED, None),
        ("NZVAt9", "xml_401", Outcome.FAILED, None),
        ("NZVAt9", "drop_connection", Outcome.UNKNOWN, None),
    ],
)
def test_every_send_leaves_one_entry_with_the_right_outcome(
    store, sandbox, redemption_id, fault, outcome, codes
):
    if fault:
        sandbox.set_fault(fault, endpoint="update")
    entry = send_update(store, sandbox.base_url, redemption_id)
    assert only_entry(store) == entry
    assert entry.outcome is outcome
    assert entry.duration_ms > 0
    if codes is not None:
        assert tuple(e.code for e in entry.errors) == codes
    if outcome is Outcome.FAILED:
        assert entry.message or entry.errors
    if outcome is Outcome.UNKNOWN:
        assert entry.can_be_verified
    assert sandbox.update_count == 1


def test_a_success_with_warnings_keeps_the_warnings(store, sandbox):
    entry = send_update(store, sandbox.base_url, "WaRn01")
    assert entry.outcome is Outcome.SUCCEEDED
    assert entry.warnings
    assert entry.http_status == 200
    assert '"billNumber"' in entry.response_json


def test_a_read_timeout_after_sending_is_outcome_unknown(store, sandbox):
    sandbox.set_fault("delay", seconds=3.0, endpoint="update")
    entry = send_update(store, sandbox.base_url, "NZVAt9", timeouts=Timeouts(read=0.3))
    assert only_entry(store).outcome is Outcome.UNKNOWN == entry.outcome


def test_a_network_failure_before_sending_is_failed(store):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    entry = send_update(store, f"http://127.0.0.1:{port}", "NZVAt9")
    assert entry.outcome is Outcome.FAILED
    assert entry.http_status is None


def test_a_lookup_is_recorded_with_what_it_found(store, sandbox):
    client = CapillaryClient(sandbox.base_url, Credentials(DEMO_USERNAME, DEMO_PASSWORD_MD5))
    key = RedemptionKey(KeyKind.EXTERNAL_REFERENCE, "EXT-1001")
    entry = NewEntry(
        EntryKind.LOOKUP, "Demo", client.host, DEMO_USERNAME, ASHA, key, None, None, "GET lookup"
    )
    recorded_entry = recorded(store, entry, lambda: client.find_redemption(ASHA, key))
    assert recorded_entry.outcome is Outcome.SUCCEEDED
    assert recorded_entry.found == {"billId": 235, "billNumber": "bill-old-77", "purpose": "why"}


def test_verify_by_lookup_after_a_dropped_connection_confirms_the_update(store, sandbox):
    sandbox.set_fault("drop_connection", endpoint="update", times=1)
    unknown = send_update(store, sandbox.base_url, "NZVAt9")
    assert unknown.outcome is Outcome.UNKNOWN

    client = CapillaryClient(sandbox.base_url, Credentials(DEMO_USERNAME, DEMO_PASSWORD_MD5))
    now = client.find_redemption(unknown.entity, unknown.key)
    store.record_verification(unknown.id, redemption_values(now), "Verify by lookup")
    assert store.get(unknown.id).outcome_label == "succeeded (verified)"


def test_no_secret_reaches_the_database_file(tmp_path, sandbox):
    path = tmp_path / "history.sqlite3"
    store = HistoryStore.open(path)
    for redemption_id in ("NZVAt9", "WaRn01", "FaiL50"):
        send_update(store, sandbox.base_url, redemption_id)
    sandbox.set_fault("xml_401", endpoint="update")
    send_update(store, sandbox.base_url, "NZVAt9")
    wrong = "0" * 32
    send_update(store, sandbox.base_url, "NZVAt9", password_md5=wrong)
    assert any("Authorization" in r.headers for r in sandbox.received)  # it was sent...

    files = [p for p in tmp_path.iterdir() if p.name.startswith("history.sqlite3") and p.is_file()]
    before_close = b"".join(p.read_bytes() for p in files)  # the log holds the newest rows
    store.close()
    on_disk = before_close + Path(path).read_bytes()
    token = base64.b64encode(f"{DEMO_USERNAME}:{DEMO_PASSWORD_MD5}".encode())
    for secret in (DEMO_PASSWORD_MD5.encode(), DEMO_PASSWORD.encode(), token, wrong.encode()):
        assert secret not in on_disk  # ...and never recorded
    assert b"Basic " not in on_disk and b"Authorization" not in on_disk
