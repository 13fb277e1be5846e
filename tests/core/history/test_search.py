"""Finding entries: text search, filters, newest-first pages."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.history import Completion, HistoryQuery, Outcome
from desktop_app.core.history.entries import BatchTag
from desktop_app.core.model import ApiMessage, Entity
from tests.core.history.samples import FAILURE, SUCCESS, open_store, update_entry

START = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Seven entries, an hour apart, oldest first."""
    folder = tmp_path_factory.mktemp("history")
    store = open_store(folder)
    samples = [
        (update_entry("NZVAt9"), SUCCESS),
        (update_entry("nzvat9", after={"purpose": "pos outage refund"}), SUCCESS),
        (update_entry("FaiL50"), FAILURE),
        (
            update_entry("WaRn01", entity=Entity("CUSTOMER", "email", "asha@example.com")),
            Completion(
                Outcome.SUCCEEDED, 200, "{}", warnings=(ApiMessage(91, "points expired soon"),)
            ),
        ),
        (update_entry("DROP01"), Completion(Outcome.UNKNOWN, None, "", message="connection lost")),
        (update_entry("EXT-1001", after={"billNumber": 'quote " and AND( paren'}), SUCCESS),
        (update_entry("Ab"), SUCCESS),
    ]
    store.import_completed(
        (entry, completion, START + timedelta(hours=n))
        for n, (entry, completion) in enumerate(samples)
    )
    yield store
    store.close()


def keys(entries) -> list[str]:
    return [e.key.value for e in entries]


ALL_NEWEST_FIRST = ["Ab", "EXT-1001", "DROP01", "WaRn01", "FaiL50", "nzvat9", "NZVAt9"]


def test_without_a_filter_everything_comes_newest_first(store):
    assert keys(store.search()) == ALL_NEWEST_FIRST


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NZVAt9", ["nzvat9", "NZVAt9"]),  # case-insensitive search, both are shown
        ("ZVAt", ["nzvat9", "NZVAt9"]),  # any part of an identifier
        ("9800000001", ALL_NEWEST_FIRST[:3] + ALL_NEWEST_FIRST[4:]),  # mobile without 91
        ("asha@example", ["WaRn01"]),
        ("bill-old-77", ALL_NEWEST_FIRST),  # the before value of every sample
        ("old-77 refund", ["nzvat9"]),  # every term must match
        ("outage", ["nzvat9"]),  # purposes
        ("already reversed", ["FaiL50"]),  # error messages
        ("750", ["FaiL50"]),  # error codes
        ("expired", ["WaRn01"]),  # warnings
        ("connection lost", ["DROP01"]),  # our own messages
        ('"pos outage"', ["nzvat9"]),  # a quoted phrase
        ("Ab", ["Ab"]),  # shorter than a trigram: still found
        ("zzzz", []),
    ],
)
def test_search_finds_identifiers_values_and_messages(store, text, expected):
    assert keys(store.search(HistoryQuery(text=text))) == expected


@pytest.mark.parametrize(
    "text",
    ["AND(", 'quote "', 'NEAR("x" "y")', "* OR -", "search_text:x", "'", "%", "_", "\\"],
)
def test_search_syntax_typed_by_an_agent_is_searched_for_literally(store, text):
    found = keys(store.search(HistoryQuery(text=text)))
    assert set(found) <= {"EXT-1001"}  # only the entry that really holds such characters


def test_a_long_term_must_appear_whole_not_as_scattered_pieces(tmp_path):
    store = open_store(tmp_path)
    scattered = update_entry("SCAT01", after={"purpose": "bill-n ew-x -77"})
    whole = update_entry("WHOLE1", after={"billNumber": "BILL-NEW-77"})
    store.import_completed((e, SUCCESS, START) for e in (scattered, whole))
    assert keys(store.search(HistoryQuery(text="bill-new-77"))) == ["WHOLE1"]
    assert keys(store.search(HistoryQuery(text="w-x -77"))) == ["SCAT01"]
    store.close()


def test_a_quote_and_a_parenthesis_are_found_where_they_are(store):
    assert keys(store.search(HistoryQuery(text='"'))) == ALL_NEWEST_FIRST  # a phrase just begun
    assert keys(store.search(HistoryQuery(text="AND("))) == ["EXT-1001"]
    assert keys(store.search(HistoryQuery(text='quote "'))) == ["EXT-1001"]


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=30))
def test_no_text_at_all_makes_search_raise(store, text):
    store.search(HistoryQuery(text=text), limit=3)


def test_outcome_filter(store):
    failed_or_unknown = HistoryQuery(outcomes=frozenset({Outcome.FAILED, Outcome.UNKNOWN}))
    assert keys(store.search(failed_or_unknown)) == ["DROP01", "FaiL50"]
    assert keys(store.search(HistoryQuery(text="9", outcomes=frozenset({Outcome.FAILED})))) == [
        "FaiL50"
    ]


def test_date_range_includes_since_and_excludes_until(store):
    query = HistoryQuery(since=START + timedelta(hours=2), until=START + timedelta(hours=4))
    assert keys(store.search(query)) == ["WaRn01", "FaiL50"]
    in_kolkata = START.astimezone(datetime.now().astimezone().tzinfo)
    assert keys(store.search(HistoryQuery(until=in_kolkata + timedelta(hours=1)))) == ["NZVAt9"]


@pytest.mark.parametrize("text", ["", "bill-old"])
def test_pages_follow_each_other_without_gaps_or_repeats(store, text):
    query = HistoryQuery(text=text)
    seen: list[str] = []
    before_id = None
    while page := store.search(query, before_id=before_id, limit=2):
        seen.extend(keys(page))
        before_id = page[-1].id
    assert seen == keys(store.search(query, limit=100))


def test_after_id_returns_only_newer_entries(store):
    third_newest = store.search(limit=3)[-1]
    assert keys(store.search(after_id=third_newest.id)) == ["Ab", "EXT-1001"]
    assert keys(store.iter_entries(HistoryQuery(text="nzvat9"), batch=1)) == ["nzvat9", "NZVAt9"]


def test_an_entry_is_found_by_the_name_of_its_batch_file_once_it_has_finished(tmp_path):
    store = open_store(tmp_path)
    tag = BatchTag("outage-store-17.csv", "3f7a9c01b2d4" + "0" * 52, 4)
    from_batch = store.add_pending(replace(update_entry("BATCH4"), batch=tag))
    store.add_pending(update_entry("DESK01"))
    query = HistoryQuery(text="store-17")
    assert keys(store.search(query)) == ["BATCH4"]  # pending, before the PUT leaves
    store.complete(from_batch, SUCCESS)
    assert keys(store.search(query)) == ["BATCH4"]  # completing rewrites the index text
    store.import_completed([(replace(update_entry("BATCH5"), batch=tag), SUCCESS, START)])
    assert keys(store.search(HistoryQuery(text="OUTAGE-store"))) == ["BATCH5", "BATCH4"]
    assert keys(store.search(HistoryQuery(text="3f7a9c01"))) == []  # the hash is not text to find
    store.close()
