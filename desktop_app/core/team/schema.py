"""The team database's schema, versioned in a `schema_version` table.

`MIGRATIONS[n]` takes the database from version n to n + 1. An administrator applies them once
(`python -m desktop_app.team migrate URI`); desks never migrate. A desk writes only to the version
it was built for (`SCHEMA_VERSION`) and refuses any other, saying which. To change the schema,
append a step (never edit a shipped one) and raise `SCHEMA_VERSION` with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import LiteralString

import psycopg
from psycopg import sql

Migration = Sequence[LiteralString]

_V1: Migration = (
    """
    CREATE TABLE team_entries (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- delivery order: keyset paging
        entry_uuid uuid NOT NULL UNIQUE,  -- made by the desk: a repeated delivery is a no-op
        delivered_utc timestamptz NOT NULL DEFAULT now(),
        created_utc timestamptz NOT NULL,
        completed_utc timestamptz,
        kind text NOT NULL,
        outcome text NOT NULL,
        profile text NOT NULL,
        host text NOT NULL,
        till_username text NOT NULL,
        os_user text NOT NULL,
        entity_type text NOT NULL,
        entity_identifier_type text NOT NULL,
        entity_identifier_value text NOT NULL,
        key_kind text NOT NULL,
        key_value text NOT NULL,
        before jsonb,
        after jsonb,
        found jsonb,
        request text NOT NULL,
        http_status integer,
        response text NOT NULL,
        warnings jsonb NOT NULL,
        errors jsonb NOT NULL,
        duration_ms double precision,
        message text NOT NULL,
        verifies_uuid uuid,
        batch_file text,
        batch_sha256 text,
        batch_row integer,
        search_text text NOT NULL
    )
    """,
    "CREATE INDEX team_entries_by_agent ON team_entries (os_user, seq)",
    "CREATE INDEX team_entries_by_outcome ON team_entries (outcome, seq)",
    "CREATE INDEX team_entries_by_time ON team_entries (created_utc)",
    "CREATE INDEX team_entries_by_redemption ON team_entries (key_value, host, created_utc)",
    # Substring search: a trigram index when pg_trgm can be installed (PostgreSQL 13+ lets a
    # database owner do it); without it the same ILIKE search still works, only slower.
    """
    DO $$
    BEGIN
        IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
            BEGIN
                CREATE EXTENSION IF NOT EXISTS pg_trgm;
                CREATE INDEX team_entries_search
                    ON team_entries USING gin (search_text gin_trgm_ops);
            EXCEPTION WHEN insufficient_privilege THEN
                RAISE NOTICE 'pg_trgm could not be installed: search works without its index';
            END;
        END IF;
    END
    $$
    """,
    # Append-only even for a role that was granted too much: the audit trail is never rewritten.
    """
    CREATE FUNCTION team_entries_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'team_entries is append-only: % is not allowed', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    """
    CREATE TRIGGER team_entries_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON team_entries
        FOR EACH STATEMENT EXECUTE FUNCTION team_entries_refuse_change()
    """,
)

MIGRATIONS: tuple[Migration, ...] = (_V1,)
SCHEMA_VERSION = len(MIGRATIONS)

# Any number: one migration at a time per database, even from two administrators' terminals.
_MIGRATION_LOCK = 7_261_153_015


class UnknownTeamSchema(Exception):
    """The team database is not at the schema version this desk writes."""


def installed_version(connection: psycopg.Connection) -> int:
    """The database's schema version; 0 for a database that was never migrated."""
    exists = connection.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return 0
    row = connection.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def require_known_version(connection: psycopg.Connection) -> None:
    """Raises UnknownTeamSchema, in words for the agent, unless the version is ours."""
    version = installed_version(connection)
    if version == SCHEMA_VERSION:
        return
    if version == 0:
        raise UnknownTeamSchema(
            "The team database has not been set up: an administrator runs "
            "`python -m desktop_app.team migrate` once."
        )
    if version > SCHEMA_VERSION:
        raise UnknownTeamSchema(
            f"The team database has schema version {version}; this desk writes version "
            f"{SCHEMA_VERSION} only. Update Redemption Desk; entries stay queued until then."
        )
    raise UnknownTeamSchema(
        f"The team database has schema version {version}; this desk needs {SCHEMA_VERSION}. "
        "An administrator runs `python -m desktop_app.team migrate`; entries stay queued."
    )


def migrate(connection: psycopg.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Bring the database to the latest version in one transaction; returns the version."""
    with connection.transaction():
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
        connection.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            " version integer PRIMARY KEY,"
            " applied_utc timestamptz NOT NULL DEFAULT now())"
        )
        version = installed_version(connection)
        if version > len(migrations):
            raise UnknownTeamSchema(
                f"The team database has schema version {version}, newer than this program's "
                f"{len(migrations)}: nothing was changed."
            )
        for number, steps in enumerate(migrations[version:], start=version + 1):
            for statement in steps:
                connection.execute(statement)
            connection.execute("INSERT INTO schema_version (version) VALUES (%s)", (number,))
    return len(migrations)


AGENT_ROLE = "redemption_desk_agent"
SUPERVISOR_ROLE = "redemption_desk_supervisor"


def role_statements(
    agent: str = AGENT_ROLE, supervisor: str = SUPERVISOR_ROLE
) -> list[sql.Composed]:
    """Least privilege: agents INSERT and SELECT, supervisors SELECT; nobody UPDATE or DELETE.

    Both are group roles (NOLOGIN); each person gets a login role that is a member of one.
    """
    agent_id, supervisor_id = sql.Identifier(agent), sql.Identifier(supervisor)
    return [
        sql.SQL("CREATE ROLE {} NOLOGIN").format(agent_id),
        sql.SQL("CREATE ROLE {} NOLOGIN").format(supervisor_id),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}, {}").format(agent_id, supervisor_id),
        sql.SQL("GRANT SELECT ON schema_version TO {}, {}").format(agent_id, supervisor_id),
        sql.SQL("GRANT SELECT, INSERT ON team_entries TO {}").format(agent_id),
        sql.SQL("GRANT SELECT ON team_entries TO {}").format(supervisor_id),
    ]
