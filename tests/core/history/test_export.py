"""Exports: what an auditor opens is exactly what was recorded, and nothing in it can run."""

from __future__ import annotations

import csv
import json
import tracemalloc
from datetime import UTC, datetime, timedelta

import pytest

from desktop_app.core.history import (
    Completion,
    HistoryQuery,
    Outcome,
    read_csv_export,
    read_json_export,
    write_csv,
    write_json,
)
from desktop_app.core.model import ApiMessage
from tests.core.history.samples import FAILURE, SUCCESS, open_store, update_entry

AWKWARD = [
    {"purpose": '=HYPERLINK("http://evil")'},
    {"billNumber": "-77", "purpose": "+1"},
    {"billNumber": "'already quoted"},
    {"purpose": 'line one\nline two, with "quotes" and a comma'},
    {"purpose": "नमस्ते 🙂 émigré"},
    {"billId": 9_223_372_036_854_775_807},
    {"billNumber": ""},
]


@pytest.fixture
def store(tmp_path):
    store = open_store(tmp_path)
    for number, after in enumerate(AWKWARD):
        entry_id = store.add_pending(update_entry(f"X{number}", after=after))
        if number == 2:
            continue  # stays pending: completed_utc, http_status and duration are empty
        store.complete(entry_id, FAILURE if number % 2 else SUCCESS)
    unknown = store.add_pending(update_entry("@start"))
    store.complete(
        unknown,
        Completion(
            Outcome.UNKNOWN,
            None,
            "",
            warnings=(ApiMessage(None, "=cmd|' /C calc'!A0"),),
            message="\tdropped",
        ),
    )
    store.record_verification(unknown, {"billId": None, "billNumber": "", "purpose": "why"})
    yield store
    store.close()


@pytest.mark.parametrize(
    ("write", "read"), [(write_csv, read_csv_export), (write_json, read_json_export)]
)
def test_an_export_reads_back_as_exactly_the_recorded_entries(store, tmp_path, write, read):
    target = tmp_path / "export.out"
    expected = list(store.iter_entries(HistoryQuery()))
    assert write(store.iter_entries(HistoryQuery()), target) == len(expected) == 9
    assert list(read(target)) == expected


@pytest.mark.parametrize("write", [write_csv, write_json])
def test_an_export_holds_only_the_current_filter(store, tmp_path, write):
    target = tmp_path / "failed.out"
    query = HistoryQuery(outcomes=frozenset({Outcome.FAILED}))
    assert write(store.iter_entries(query), target) == 3
    reader = read_csv_export if write is write_csv else read_json_export
    assert {e.key.value for e in reader(target)} == {"X1", "X3", "X5"}


def test_no_csv_cell_starts_like_a_spreadsheet_formula(store, tmp_path):
    target = tmp_path / "export.csv"
    write_csv(store.iter_entries(HistoryQuery()), target)
    with open(target, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]
    assert not [c for c in cells if c.startswith("-") and not c.lstrip("-").isdigit()]


def test_the_json_export_is_plain_json_with_one_object_per_entry(store, tmp_path):
    target = tmp_path / "export.json"
    write_json(store.iter_entries(HistoryQuery()), target)
    records = json.loads(target.read_text(encoding="utf-8"))
    assert records[-1]["after"] == {"purpose": '=HYPERLINK("http://evil")'}
    assert records[0]["kind"] == "lookup" and records[0]["verifies_id"] == records[1]["id"]


def test_an_export_that_fails_halfway_leaves_no_file_behind(store, tmp_path):
    target = tmp_path / "export.csv"

    def broken():
        yield from store.search(limit=2)
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_csv(broken(), target)
    assert list(tmp_path.glob("export.csv*")) == []


def test_a_large_export_is_streamed_not_held_in_memory(tmp_path):
    store = open_store(tmp_path)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    padding = {"purpose": "p" * 240}
    store.import_completed(
        (update_entry(f"B{n:05d}", after=padding), SUCCESS, start + timedelta(seconds=n))
        for n in range(3000)
    )
    target = tmp_path / "all.json"
    tracemalloc.start()
    try:
        count = write_json(store.iter_entries(HistoryQuery(), batch=100), target)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    store.close()
    assert count == 3000
    # The file is several times the peak: rows went out as they were read.
    assert target.stat().st_size > 4 * peak


def test_a_csv_opens_cleanly_in_a_spreadsheet(tmp_path):
    """Excel on Windows needs the byte-order mark to read UTF-8; each JSON cell is one line;
    durations are not 15-decimal floats; and the file still reads back exactly."""
    store = open_store(tmp_path)
    body = {"entity": {"identifierValue": "919800000001"}, "purpose": "café ₹"}
    pretty = json.dumps(body, ensure_ascii=False, indent=2)
    entry_id = store.add_pending(update_entry("X1", request_json=pretty))
    store.complete(entry_id, Completion(Outcome.SUCCEEDED, 200, "{}", duration_ms=12.345678901234))
    expected = list(store.iter_entries(HistoryQuery()))
    target = tmp_path / "export.csv"
    write_csv(store.iter_entries(HistoryQuery()), target)
    store.close()
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(target, encoding="utf-8-sig", newline="") as handle:
        row = next(csv.DictReader(handle))
    assert row["request"] == '{"entity":{"identifierValue":"919800000001"},"purpose":"café ₹"}'
    assert row["duration_ms"] == "12.3"
    assert "\n" not in row["request"]
    assert list(read_csv_export(target)) == expected
    assert expected[0].request_json == pretty
