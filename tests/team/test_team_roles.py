"""Least privilege: INSERT and SELECT are all a desk needs; the database refuses the rest."""

from __future__ import annotations

import uuid
from dataclasses import replace

import psycopg
import psycopg.errors
import pytest

from desktop_app.core.history import HistoryQuery, HistoryStore
from desktop_app.core.team.passwords import TeamPasswords
from desktop_app.core.team.schema import role_statements
from desktop_app.core.team.store import Delivery, TeamQuery, TeamStore
from desktop_app.desk.team_link import TeamLink
from tests.team.cluster import PASSWORD_REQUIRED
from tests.team.conftest import admin
from tests.team.entries import record_updates


@pytest.fixture
def roles(pg_cluster, team_database):
    """Fresh agent and supervisor groups, each with one login member (roles are cluster-wide)."""
    tag = uuid.uuid4().hex[:8]
    names = {
        "agent_group": f"agents_{tag}",
        "supervisor_group": f"supervisors_{tag}",
        "agent": f"priya_{tag}",
        "supervisor": f"sam_{tag}",
    }
    with admin(pg_cluster, team_database.database) as connection:
        for statement in role_statements(names["agent_group"], names["supervisor_group"]):
            connection.execute(statement)
        connection.execute(f'CREATE ROLE "{names["agent"]}" LOGIN IN ROLE "{names["agent_group"]}"')
        connection.execute(
            f'CREATE ROLE "{names["supervisor"]}" LOGIN IN ROLE "{names["supervisor_group"]}"'
        )
    return names


def deliver_updates(team, folder, count: int) -> list[str]:
    history = HistoryStore.open(folder / "history.sqlite3")
    link = TeamLink(team, history)
    try:
        uuids = record_updates(history, count)
        assert link.worker.wait_until_delivered(90)
    finally:
        link.close()
        history.close()
    return uuids


def test_an_insert_and_select_role_is_enough_for_a_desk(pg_cluster, team_database, roles, tmp_path):
    as_agent = replace(team_database, user=roles["agent"])
    history = HistoryStore.open(tmp_path / "history.sqlite3")
    link = TeamLink(as_agent, history)
    try:
        uuids = record_updates(history, 12)
        assert link.worker.wait_until_delivered(90)
        found = link.store().search(TeamQuery(HistoryQuery(text="bill-new-11")))
        assert [entry.uuid for entry in found] == [uuids[11]]
    finally:
        link.close()
        history.close()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE team_entries SET outcome = 'failed'",
        "DELETE FROM team_entries",
        "TRUNCATE team_entries",
        "UPDATE schema_version SET version = 99",
    ],
)
def test_the_agent_role_cannot_change_or_remove_rows(
    pg_cluster, team_database, roles, tmp_path, statement
):
    deliver_updates(replace(team_database, user=roles["agent"]), tmp_path, 2)
    agent_uri = pg_cluster.uri(team_database.database, roles["agent"])
    with (
        psycopg.connect(agent_uri) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        connection.execute(statement)
    with admin(pg_cluster, team_database.database) as connection:
        assert connection.execute("SELECT count(*) FROM team_entries").fetchone()[0] == 2


def test_the_table_is_append_only_even_for_its_owner(pg_cluster, team_database, tmp_path):
    deliver_updates(team_database, tmp_path, 1)
    with (
        admin(pg_cluster, team_database.database) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"),
    ):
        connection.execute("DELETE FROM team_entries")


def test_the_supervisor_role_reads_but_cannot_write(pg_cluster, team_database, roles, tmp_path):
    uuids = deliver_updates(team_database, tmp_path, 3)
    store = TeamStore(replace(team_database, user=roles["supervisor"]).conninfo())
    try:
        found = store.search()
        assert {entry.uuid for entry in found} == set(uuids)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            store.deliver([Delivery(replace(entry, uuid=str(uuid.uuid4()))) for entry in found])
    finally:
        store.close()


def test_a_desk_connects_with_the_password_from_the_keyring(
    pg_cluster, team_database, roles, tmp_path
):
    user = f"pw_{uuid.uuid4().hex[:8]}"
    with admin(pg_cluster, team_database.database) as connection:
        connection.execute(
            f"CREATE ROLE \"{user}\" LOGIN PASSWORD 'Team-S3cret' "
            f'IN ROLE "{roles["agent_group"]}", {PASSWORD_REQUIRED}'
        )
    team = replace(team_database, user=user)
    history = HistoryStore.open(tmp_path / "history.sqlite3")
    TeamPasswords().save(team, "wrong-password")
    link = TeamLink(team, history)
    try:
        uuids = record_updates(history, 3)
        link.nudge()
        assert link.worker.wait_for(lambda s: "refused the password" in s.reason, 60)
    finally:
        link.close()
    TeamPasswords().save(team, "Team-S3cret")  # as typed again in Profiles…
    link = TeamLink(team, history)
    try:
        assert link.worker.wait_until_delivered(90)
        assert {e.uuid for e in link.store().search()} == set(uuids)
    finally:
        link.close()
        history.close()
