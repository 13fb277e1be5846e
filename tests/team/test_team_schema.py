"""The team schema is the administrator's to apply; a desk writes only to the version it knows."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from desktop_app.core.history import HistoryStore
from desktop_app.core.team.schema import SCHEMA_VERSION, UnknownTeamSchema, installed_version
from desktop_app.core.team.settings import TeamDatabase
from desktop_app.core.team.store import Delivery, TeamStore
from desktop_app.desk.team_link import TeamLink
from tests.team.conftest import admin, team_rows
from tests.team.entries import record_updates

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def empty_database(pg_cluster):
    name = f"empty_{uuid.uuid4().hex[:12]}"
    with admin(pg_cluster) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield name
    with admin(pg_cluster) as connection:
        connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def migrate_command(uri: str, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "desktop_app.team", "migrate", uri, *extra],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_migrate_command_sets_up_a_database_once_and_is_safe_to_repeat(
    pg_cluster, empty_database
):
    first = migrate_command(pg_cluster.uri(empty_database))
    assert first.returncode == 0, first.stderr
    assert f"version 0 -> {SCHEMA_VERSION}" in first.stdout
    assert "GRANT SELECT, INSERT ON team_entries" in first.stdout  # the roles, printed
    again = migrate_command(pg_cluster.uri(empty_database))
    assert again.returncode == 0 and f"version {SCHEMA_VERSION} -> {SCHEMA_VERSION}" in again.stdout
    with admin(pg_cluster, empty_database) as connection:
        assert installed_version(connection) == SCHEMA_VERSION
        indexes = {r[0] for r in connection.execute("SELECT indexname FROM pg_indexes")}
    assert {"team_entries_search", "team_entries_by_agent"} <= indexes  # pg_trgm is here


def test_the_migrate_command_can_create_the_roles(pg_cluster, empty_database):
    tag = uuid.uuid4().hex[:6]
    done = migrate_command(
        pg_cluster.uri(empty_database),
        "--create-roles",
        "--agent-role",
        f"agents_{tag}",
        "--supervisor-role",
        f"supervisors_{tag}",
    )
    assert done.returncode == 0, done.stderr
    with admin(pg_cluster, empty_database) as connection:
        granted = connection.execute(
            "SELECT grantee, string_agg(privilege_type, ',' ORDER BY privilege_type)"
            " FROM information_schema.role_table_grants WHERE table_name = 'team_entries'"
            " AND grantee LIKE %s GROUP BY grantee ORDER BY grantee",
            (f"%_{tag}",),
        ).fetchall()
    assert granted == [(f"agents_{tag}", "INSERT,SELECT"), (f"supervisors_{tag}", "SELECT")]


def test_a_desk_refuses_a_database_nobody_migrated_and_keeps_its_entries(
    pg_cluster, empty_database, tmp_path
):
    team = TeamDatabase("127.0.0.1", empty_database, "postgres", port=pg_cluster.port)
    history = HistoryStore.open(tmp_path / "history.sqlite3")
    link = TeamLink(team, history)
    try:
        record_updates(history, 2)
        link.nudge()
        assert link.worker.wait_for(lambda s: "has not been set up" in s.reason, 60)
        assert "migrate" in link.worker.status.text
    finally:
        link.close()
    assert history.undelivered_count() == 2
    history.close()


def test_a_desk_refuses_a_newer_schema_and_says_so(pg_cluster, team_database, tmp_path):
    with admin(pg_cluster, team_database.database) as connection:
        newer = SCHEMA_VERSION + 1
        connection.execute("INSERT INTO schema_version (version) VALUES (%s)", (newer,))
    history = HistoryStore.open(tmp_path / "history.sqlite3")
    record_updates(history, 1)
    store = TeamStore(team_database.conninfo())
    try:
        with pytest.raises(UnknownTeamSchema, match=f"schema version {SCHEMA_VERSION + 1}"):
            store.deliver([Delivery(entry) for entry, _ in history.undelivered(10)])
    finally:
        store.close()
        history.close()
    assert team_rows(pg_cluster, team_database) == []  # nothing was written
