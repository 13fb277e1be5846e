"""Two desks, one team database: every finished entry arrives exactly once, whatever happens."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from desktop_app.core.history import HistoryQuery, HistoryStore
from desktop_app.core.team.settings import TeamDatabase
from desktop_app.desk.team_link import TeamLink
from tests.team.conftest import team_rows
from tests.team.entries import record_updates

REPO = Path(__file__).resolve().parents[2]
DEADLINE = 90.0  # seconds before a wait counts as a failure; deliveries take well under one


def open_desk(folder: Path, agent: str) -> HistoryStore:
    store = HistoryStore.open(folder / "history.sqlite3")
    store.os_user = agent
    return store


def start_desk_process(folder: Path, agent: str, entries: int, team: TeamDatabase, *extra: str):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.team.desk_process",
            str(folder),
            agent,
            str(entries),
            json.dumps(team.to_json()),
            *extra,
        ],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def read_until(process: subprocess.Popen, word: str) -> None:
    for line in process.stdout:
        if line.strip() == word:
            return
    raise AssertionError(f"the desk process ended before {word} (exit {process.wait()})")


def assert_exactly_once(rows: list[tuple[str, str]], expected: dict[str, set[str]]) -> None:
    counts = Counter(uuid for uuid, _ in rows)
    assert [uuid for uuid, n in counts.items() if n > 1] == []
    for agent, uuids in expected.items():
        assert {uuid for uuid, who in rows if who == agent} == uuids
    assert len(rows) == sum(len(u) for u in expected.values())


def test_two_desks_deliver_every_entry_exactly_once(pg_cluster, team_database, tmp_path):
    desk_a = open_desk(tmp_path / "a", "priya.k")
    desk_b = open_desk(tmp_path / "b", "arjun.m")
    link_a = TeamLink(team_database, desk_a)
    link_b = TeamLink(team_database, desk_b)
    try:
        uuids_a = set(record_updates(desk_a, 40, prefix="a"))
        uuids_b = set(record_updates(desk_b, 25, prefix="b"))
        assert link_a.worker.wait_until_delivered(DEADLINE)
        assert link_b.worker.wait_until_delivered(DEADLINE)
    finally:
        link_a.close()
        link_b.close()
    assert_exactly_once(
        team_rows(pg_cluster, team_database), {"priya.k": uuids_a, "arjun.m": uuids_b}
    )
    assert desk_a.undelivered_count() == desk_b.undelivered_count() == 0


def test_a_desk_killed_mid_delivery_sends_the_rest_once_when_restarted(
    pg_cluster, team_database, tmp_path
):
    folder_a, folder_b = tmp_path / "a", tmp_path / "b"
    first = start_desk_process(folder_a, "priya.k", 30, team_database, "--hold-after-batch", "2")
    other = start_desk_process(folder_b, "arjun.m", 20, team_database)
    try:
        read_until(first, "HOLDING")  # batch 2 is in PostgreSQL, the outbox does not know yet
        first.kill()
        first.wait()
        in_team_before_restart = {
            u for u, who in team_rows(pg_cluster, team_database) if who == "priya.k"
        }
        assert len(in_team_before_restart) == 10
        history = HistoryStore.open(folder_a / "history.sqlite3")
        assert history.undelivered_count() == 25  # batch 2 is still queued: sent again
        history.close()

        restarted = start_desk_process(folder_a, "priya.k", 0, team_database)
        read_until(restarted, "DELIVERED")
        assert restarted.wait() == 0
        read_until(other, "DELIVERED")
        assert other.wait() == 0
    finally:
        for process in (first, other):
            if process.poll() is None:
                process.kill()
                process.wait()
    expected = {}
    for folder, agent in ((folder_a, "priya.k"), (folder_b, "arjun.m")):
        history = HistoryStore.open(folder / "history.sqlite3")
        expected[agent] = {e.uuid for e in history.iter_entries(HistoryQuery())}
        assert history.undelivered_count() == 0
        history.close()
    assert len(expected["priya.k"]) == 30 and len(expected["arjun.m"]) == 20
    assert_exactly_once(team_rows(pg_cluster, team_database), expected)


def test_entries_queue_while_the_database_is_down_and_arrive_once_it_is_back(
    pg_cluster, team_database, tmp_path
):
    desk_a = open_desk(tmp_path / "a", "priya.k")
    desk_b = open_desk(tmp_path / "b", "arjun.m")
    shown: list[str] = []
    link_a = TeamLink(team_database, desk_a, first_retry=0.2, max_retry=1.0)
    link_b = TeamLink(
        team_database,
        desk_b,
        lambda status: shown.append(status.text),
        first_retry=0.2,
        max_retry=1.0,
    )
    try:
        early_a = set(record_updates(desk_a, 5, prefix="early-a"))
        assert link_a.worker.wait_until_delivered(DEADLINE)
        pg_cluster.stop()
        late_a = set(record_updates(desk_a, 7, prefix="late-a"))
        uuids_b = set(record_updates(desk_b, 9, prefix="b"))
        link_a.nudge()
        link_b.nudge()
        assert link_b.worker.wait_for(lambda s: s.queued == 9 and bool(s.reason), DEADLINE)
        assert link_a.worker.wait_for(lambda s: s.queued == 7 and bool(s.reason), DEADLINE)
        assert "cannot be reached" in link_b.worker.status.reason
        assert any(t.startswith("9 history entries queued for the team database") for t in shown)
        assert desk_a.undelivered_count() == 7 and desk_b.undelivered_count() == 9
        pg_cluster.start()
        assert link_a.worker.wait_until_delivered(DEADLINE)
        assert link_b.worker.wait_until_delivered(DEADLINE)
        assert link_b.worker.wait_for(lambda s: s.queued == 0, DEADLINE)
        assert link_b.worker.status.text == ""
    finally:
        if not pg_cluster.running:
            pg_cluster.start()
        link_a.close()
        link_b.close()
    assert_exactly_once(
        team_rows(pg_cluster, team_database),
        {"priya.k": early_a | late_a, "arjun.m": uuids_b},
    )
