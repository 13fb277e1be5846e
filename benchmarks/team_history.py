"""The team database at 1,000,000 rows: the Team view's first page, search, and delivery cost.

    python benchmarks/team_history.py [--rows N] [--json]

Starts a throwaway PostgreSQL cluster (tests/team/cluster.py: the server's initdb/pg_ctl, as the
tests use), applies the team schema, and bulk-loads N rows generated inside PostgreSQL
(generate_series: fifty agents, two years, the local benchmark's mix of lookups, updates,
failures and unknowns), with the schema's indexes dropped during the load and rebuilt after, as
an administrator importing history would. Then, through the desk's own TeamStore (psycopg pool):
- first page: the Team view opening (no filter, and with an agent, outcome or date filter);
- search: what agents type (whole and partial IDs, mobiles, bill numbers, purposes, error words
  and codes, a two-letter term, nothing found), each REPEATS times; p95 over all;
- delivery: a desk's outbox of finished entries drained by the DeliveryWorker into the full
  table (per entry), and one entry's trip from "finished" to "in the team database".
The anchor is a `SELECT 1` round trip through the same pool: the floor every figure stands on.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench_support import REPO, Figure, median, percentile, report

sys.path.insert(0, str(REPO))  # tests.team.cluster

from desktop_app.core.history import HistoryQuery, HistoryStore, Outcome
from desktop_app.core.team.schema import migrate
from desktop_app.core.team.settings import TeamDatabase
from desktop_app.core.team.store import TeamQuery, TeamStore
from desktop_app.desk.team_delivery import DeliveryWorker
from tests.team.cluster import SUPERUSER, ThrowawayCluster
from tests.team.entries import record_updates

REPEATS = 15
DELIVERED_ENTRIES = 2000

LOAD = """
INSERT INTO team_entries (entry_uuid, delivered_utc, created_utc, completed_utc, kind, outcome,
    profile, host, till_username, os_user, entity_type, entity_identifier_type,
    entity_identifier_value, key_kind, key_value, before, after, found, request, http_status,
    response, warnings, errors, duration_ms, message, search_text)
SELECT gen_random_uuid(), ts, ts, ts + interval '180 ms',
    CASE WHEN upd THEN 'update' ELSE 'lookup' END, outcome,
    'EU production', 'eu.api.capillarytech.com', 'store.server', 'agent' || (i %% 50),
    'CUSTOMER', 'mobile', mobile,
    CASE WHEN i %% 10 < 3 THEN 'externalReferenceNumber' ELSE 'redemptionId' END, key,
    jsonb_build_object('billId', i %% 1000000, 'billNumber', bill_old, 'purpose', purpose),
    CASE WHEN upd THEN jsonb_build_object('billNumber', bill_new) END,
    CASE WHEN NOT upd THEN jsonb_build_object('billNumber', bill_old, 'purpose', purpose) END,
    '{"entity": {"identifierValue": "' || mobile || '"}, "redemptionId": "' || key || '"}',
    CASE WHEN outcome = 'outcome unknown' THEN NULL WHEN outcome = 'failed' THEN 400 ELSE 200 END,
    '{"id": 1, "billNumber": "x"}', '[]'::jsonb,
    CASE WHEN outcome = 'failed'
        THEN jsonb_build_array(jsonb_build_object('code', 750, 'message', message)) ELSE '[]' END,
    180, message,
    key || E'\n' || mobile || E'\n' || bill_old || E'\n' || purpose
        || CASE WHEN upd THEN E'\n' || bill_new ELSE '' END
        || CASE WHEN message <> '' THEN E'\n' || message ELSE '' END
FROM (
    SELECT i, ts, upd, mobile, key, bill_old, bill_new, purpose, outcome,
        CASE outcome
            WHEN 'failed' THEN '750 Redemption update failed : redemption already reversed'
            WHEN 'outcome unknown' THEN 'The connection broke mid-answer.'
            ELSE '' END AS message
    FROM (
        SELECT i,
            now() - (%(rows)s - i) * interval '63 s' AS ts,
            (hashint4(i) & 1023) < 614 AS upd,
            '9198' || lpad((abs(hashint4(i * 3)) %% 100000000)::text, 8, '0') AS mobile,
            translate(substr(md5(i::text), 1, 6), 'abcdef0123', 'QwErTyUiPk') AS key,
            'INV-' || (2023 + i %% 3) || '-'
                || lpad((abs(hashint4(i * 5)) %% 1000000)::text, 6, '0') AS bill_old,
            'INV-2025-' || lpad((abs(hashint4(i * 7)) %% 1000000)::text, 6, '0') AS bill_new,
            (ARRAY['pos outage', 'wrong bill number entered at till', 'customer complaint',
                   'duplicate bill', 'refund adjustment', 'store audit correction', 'why'])
                [1 + abs(hashint4(i * 11)) %% 7] AS purpose,
            CASE WHEN abs(hashint4(i * 13)) %% 100 < 86 THEN 'succeeded'
                 WHEN abs(hashint4(i * 13)) %% 100 < 97 THEN 'failed'
                 ELSE 'outcome unknown' END AS outcome
        FROM generate_series(1, %(rows)s) AS i
    ) AS base
) AS generated
"""


def load(uri: str, rows: int) -> float:
    import psycopg

    started = time.perf_counter()
    with psycopg.connect(uri, autocommit=True) as connection:
        migrate(connection)
        indexes = connection.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'team_entries'"
            " AND indexname NOT LIKE '%%pkey' AND indexname NOT LIKE '%%uuid%%'"
        ).fetchall()
        for name, _ in indexes:
            connection.execute(f'DROP INDEX "{name}"')
        connection.execute("SET maintenance_work_mem = '256MB'")
        connection.execute(LOAD, {"rows": rows})
        for _, definition in indexes:
            connection.execute(definition)
        connection.execute("VACUUM ANALYZE team_entries")
    return time.perf_counter() - started


def timed(action, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def searches(store: TeamStore) -> list[TeamQuery]:
    sample = store.search(TeamQuery(), limit=200, before_seq=400_000)
    update = next(e for e in sample if e.after)
    redemption = next(e for e in sample if e.key.kind.value == "redemptionId")
    mobile = sample[3].entity.identifier_value
    bill = update.before["billNumber"]
    month_ago = datetime.now(UTC) - timedelta(days=30)
    texts = [
        redemption.key.value,
        redemption.key.value.lower(),
        redemption.key.value[1:5],
        mobile,
        mobile[-6:],
        bill,
        bill[-6:],
        update.after["billNumber"],
        "outage",
        "refund adjustment",
        "reversed",
        "750",
        "INV-2024",
        "77",
        "ZZZZZZZZ",
    ]
    found = [TeamQuery(HistoryQuery(text=text)) for text in texts]
    found += [
        TeamQuery(HistoryQuery(text="refund"), agent="agent7"),
        TeamQuery(HistoryQuery(text="INV", outcomes=frozenset({Outcome.FAILED}))),
        TeamQuery(HistoryQuery(text="outage", since=month_ago)),
    ]
    return found


def describe(query: TeamQuery) -> str:
    parts = [repr(query.history.text)] if query.history.text else []
    if query.agent:
        parts.append(f"agent {query.agent}")
    if query.history.outcomes:
        parts.append("outcome " + "/".join(sorted(query.history.outcomes)))
    if query.history.since:
        parts.append("date range")
    return " + ".join(parts)


def delivery_costs(team: TeamDatabase, store: TeamStore, folder: Path) -> tuple[float, float]:
    """(ms per entry draining DELIVERED_ENTRIES, median ms for one entry end to end)."""
    history = HistoryStore.open(folder / "history.sqlite3")
    history.mark_delivered([e.uuid for e, _ in history.undelivered(10)])
    record_updates(history, DELIVERED_ENTRIES, prefix="bench")
    worker = DeliveryWorker(history, lambda: store)
    started = time.perf_counter()
    worker.start()
    assert worker.wait_until_delivered(600)
    per_entry = (time.perf_counter() - started) * 1000 / DELIVERED_ENTRIES
    singles = []
    for number in range(20):
        started = time.perf_counter()
        record_updates(history, 1, prefix=f"single{number}")
        assert worker.wait_until_delivered(60)
        singles.append((time.perf_counter() - started) * 1000)
    worker.stop()
    history.close()
    return per_entry, median(singles)


def main(argv: list[str]) -> None:
    rows = int(argv[argv.index("--rows") + 1]) if "--rows" in argv else 1_000_000
    cluster = ThrowawayCluster().create()
    try:
        with tempfile.TemporaryDirectory() as folder:
            import psycopg

            with psycopg.connect(cluster.uri(), autocommit=True) as connection:
                connection.execute("CREATE DATABASE team")
            load_s = load(cluster.uri("team"), rows)
            team = TeamDatabase("127.0.0.1", "team", SUPERUSER, port=cluster.port)
            store = TeamStore(team.conninfo())
            store.check()

            def round_trip() -> None:
                with store._pool.connection() as connection:
                    connection.execute("SELECT 1").fetchone()

            anchor = timed(round_trip, 50)
            first_page = timed(lambda: store.search(TeamQuery()), 30)
            filtered = []
            month_ago = datetime.now(UTC) - timedelta(days=30)
            for query in (
                TeamQuery(agent="agent7"),
                TeamQuery(HistoryQuery(outcomes=frozenset({Outcome.UNKNOWN}))),
                TeamQuery(HistoryQuery(since=month_ago - timedelta(days=7), until=month_ago)),
            ):
                filtered += timed(lambda q=query: store.search(q), 15)
            times, slowest, slowest_ms = [], "", 0.0
            for query in searches(store):
                for elapsed in timed(lambda q=query: store.search(q), REPEATS):
                    times.append(elapsed)
                    if elapsed > slowest_ms:
                        slowest, slowest_ms = describe(query), elapsed
            per_entry, single = delivery_costs(team, store, Path(folder))
            store.close()
    finally:
        cluster.destroy()
    report(
        [
            Figure(
                "team rows",
                rows // 1000,
                "thousand",
                "",
                f"generated and indexed in {load_s:.0f} s",
            ),
            Figure("anchor: SELECT 1 round trip (median)", round(median(anchor), 2), "ms", ""),
            Figure(
                "first page, no filter (p95)",
                round(percentile(first_page, 0.95), 1),
                "ms",
                "<= 150",
                f"median {median(first_page):.1f} ms",
            ),
            Figure(
                "first page, agent, outcome or date filter (p95)",
                round(percentile(filtered, 0.95), 1),
                "ms",
                "<= 150",
            ),
            Figure(
                "search (p95)",
                round(percentile(times, 0.95), 1),
                "ms",
                "<= 50",
                f"median {median(times):.1f} ms; slowest {slowest} {slowest_ms:.1f} ms",
            ),
            Figure("delivery, per entry (outbox of 2,000)", round(per_entry, 3), "ms", ""),
            Figure(
                "delivery, one entry finished -> in team DB (median)", round(single, 1), "ms", ""
            ),
        ],
        argv,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
