"""The Team view's reads: paged newest first, the local search semantics, filters, export."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from desktop_app.core.history import (
    HistoryQuery,
    HistoryStore,
    Outcome,
    read_json_export,
    write_json,
)
from desktop_app.core.team.store import TeamQuery
from desktop_app.desk.team_link import TeamLink
from tests.team.entries import record_updates


@pytest.fixture
def team_link(team_database, tmp_path):
    """Two agents' entries in the team database; the link of the second desk."""
    first = HistoryStore.open(tmp_path / "a" / "history.sqlite3")
    first.os_user = "priya.k"
    second = HistoryStore.open(tmp_path / "b" / "history.sqlite3")
    second.os_user = "arjun.m"
    link_a, link_b = TeamLink(team_database, first), TeamLink(team_database, second)
    record_updates(first, 30, prefix="Priya")
    record_updates(second, 20, prefix="arjun", batch_file="outage store 17.csv")
    assert link_a.worker.wait_until_delivered(90) and link_b.worker.wait_until_delivered(90)
    link_a.close()
    yield link_b
    link_b.close()
    first.close()
    second.close()


def search(link: TeamLink, text: str = "", **options) -> list:
    query = TeamQuery(HistoryQuery(text=text, **options.pop("history", {})), **options)
    return link.store().search(query)


def test_pages_go_newest_first_and_reach_every_row_once(team_link):
    store = team_link.store()
    seen, before = [], None
    while page := store.search(TeamQuery(), before, limit=7):
        seen.extend(page)
        before = page[-1].id
    assert len(seen) == len({e.uuid for e in seen}) == 50
    assert [e.id for e in seen] == sorted((e.id for e in seen), reverse=True)


def test_search_is_a_case_insensitive_substring_and_terms_narrow(team_link):
    assert {e.key.value for e in search(team_link, "priya-new-7")} == {"R00007"}
    assert len(search(team_link, "PRIYA-OLD")) == 30
    both = search(team_link, "new-1 R0001")  # every term must match
    assert sorted(e.key.value for e in both) == sorted(2 * [f"R0001{n}" for n in range(10)])


def test_the_rows_of_a_batch_are_found_by_its_file_name(team_link):
    rows = search(team_link, "store 17.csv")
    assert len(rows) == 20
    assert {e.batch.file_name for e in rows} == {"outage store 17.csv"}
    assert sorted(e.batch.row for e in rows) == list(range(1, 21))


def test_filters_by_agent_outcome_and_date(team_link):
    assert {e.os_user for e in search(team_link, agent="priya.k")} == {"priya.k"}
    assert len(search(team_link, agent="priya.k")) == 30
    assert search(team_link, history={"outcomes": frozenset({Outcome.FAILED})}) == []
    now = datetime.now(UTC)
    assert len(search(team_link, history={"since": now - timedelta(hours=1)})) == 50
    assert search(team_link, history={"until": now - timedelta(hours=1)}) == []


def test_search_text_is_never_sql(team_link):
    for text in ("%", "_", "'; DROP TABLE team_entries; --", "\\", '"quoted'):
        assert search(team_link, text) == []
    assert len(search(team_link)) == 50  # still there


def test_export_of_team_rows_reads_back_equal(team_link, tmp_path):
    query = TeamQuery(HistoryQuery(text="arjun"))
    written = write_json(team_link.store().iter_entries(query, batch=6), tmp_path / "team.json")
    assert written == 20
    exported = read_json_export(tmp_path / "team.json")
    assert exported == list(team_link.store().iter_entries(query))
    assert {e.os_user for e in exported} == {"arjun.m"}
    assert {e.username for e in exported} == {"store.server"}  # the till user, recorded


def test_a_long_number_matches_exactly_though_the_index_looks_for_its_last_digits(
    team_database, tmp_path
):
    history = HistoryStore.open(tmp_path / "history.sqlite3")
    link = TeamLink(team_database, history)
    try:
        record_updates(history, 1, prefix="INV-2024-123456")
        [wanted] = record_updates(history, 1, prefix="INV-2025-123456")
        record_updates(history, 1, prefix="919800123456")
        assert link.worker.wait_until_delivered(90)
        assert [e.uuid for e in search(link, "inv-2025-123456")] == [wanted]
        assert len(search(link, "123456")) == 3
        assert len(search(link, "9198001234")) == 1
    finally:
        link.close()
        history.close()
