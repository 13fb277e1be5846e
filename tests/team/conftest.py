"""A real PostgreSQL for the team tests: one throwaway cluster per run, a fresh database per test.

Without PostgreSQL the tests skip on a developer's machine and FAIL when CI=true: CI installs
the server (.ci/run), so a missing one there is a broken build, never a quiet skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from desktop_app.core.team.schema import migrate
from desktop_app.core.team.settings import TeamDatabase
from tests.team.cluster import SUPERUSER, ClusterUnavailable, ThrowawayCluster


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[ThrowawayCluster]:
    try:
        cluster = ThrowawayCluster().create()
    except ClusterUnavailable as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL must run in CI: {error}")
        pytest.skip(f"PostgreSQL is not available here: {error}")
    try:
        yield cluster
    finally:
        cluster.destroy()


def admin(cluster: ThrowawayCluster, database: str = "postgres") -> psycopg.Connection:
    return psycopg.connect(cluster.uri(database), autocommit=True)


@pytest.fixture
def team_database(pg_cluster: ThrowawayCluster) -> Iterator[TeamDatabase]:
    """A fresh, migrated database; the TeamDatabase a desk's profile would name."""
    name = f"team_{uuid.uuid4().hex[:12]}"
    if not pg_cluster.running:  # a test that stopped the server failed before restarting it
        pg_cluster.start()
    with admin(pg_cluster) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    with admin(pg_cluster, name) as connection:
        migrate(connection)
    yield TeamDatabase(host="127.0.0.1", port=pg_cluster.port, database=name, user=SUPERUSER)
    if not pg_cluster.running:
        pg_cluster.start()
    with admin(pg_cluster) as connection:
        connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def team_rows(cluster: ThrowawayCluster, team: TeamDatabase) -> list[tuple[str, str]]:
    """(entry_uuid, os_user) of every team row, as the database holds them."""
    with admin(cluster, team.database) as connection:
        rows = connection.execute("SELECT entry_uuid::text, os_user FROM team_entries").fetchall()
    return [(row[0], row[1]) for row in rows]
