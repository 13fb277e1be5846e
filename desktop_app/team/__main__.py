"""`python -m desktop_app.team migrate URI [--create-roles]`: set up or upgrade the team database.

Run once by an administrator (a role that owns the database), not by the desks. The password is
never part of the URI: libpq reads PGPASSWORD or ~/.pgpass, or the command asks for it.
"""

from __future__ import annotations

import argparse
import getpass
import sys

import psycopg

from desktop_app.core.team.schema import (
    AGENT_ROLE,
    SUPERVISOR_ROLE,
    UnknownTeamSchema,
    installed_version,
    migrate,
    role_statements,
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m desktop_app.team")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("migrate", help="create or upgrade the team database's schema")
    run.add_argument("uri", help="postgresql://admin@host:5432/database (no password in it)")
    run.add_argument(
        "--create-roles",
        action="store_true",
        help="also create the agent (INSERT+SELECT) and supervisor (SELECT) group roles",
    )
    run.add_argument("--agent-role", default=AGENT_ROLE)
    run.add_argument("--supervisor-role", default=SUPERVISOR_ROLE)
    return parser


def _connect(uri: str) -> psycopg.Connection:
    try:
        return psycopg.connect(uri, autocommit=True)
    except psycopg.OperationalError as error:
        if "password" not in str(error) or not sys.stdin.isatty():
            raise
    password = getpass.getpass("Password for the team database: ")
    return psycopg.connect(uri, password=password, autocommit=True)


def main(argv: list[str] | None = None) -> int:
    options = _parser().parse_args(argv)
    try:
        with _connect(options.uri) as connection:
            before = installed_version(connection)
            after = migrate(connection)
            print(f"Team database schema: version {before} -> {after}.")
            statements = role_statements(options.agent_role, options.supervisor_role)
            if options.create_roles:
                with connection.transaction():
                    for statement in statements:
                        connection.execute(statement)
                print(f"Created roles {options.agent_role} and {options.supervisor_role}.")
            else:
                print("Least-privilege roles (run as the database owner, or pass --create-roles):")
                for statement in statements:
                    print(f"  {statement.as_string(connection)};")
            print(
                "Then give each agent a login role in the agent group, for example:\n"
                f"  CREATE ROLE \"priya.k\" LOGIN PASSWORD '…' IN ROLE {options.agent_role};"
            )
    except (psycopg.Error, UnknownTeamSchema) as error:
        print(f"Not migrated: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
