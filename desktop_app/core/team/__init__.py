"""The team's shared audit trail on PostgreSQL (optional, per profile).

`settings` (where the database is) and `passwords` (its password, in the keyring) load without
psycopg, so the desk starts as fast with or without a team database; `schema` and `store` need it.
"""
