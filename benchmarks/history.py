"""The history at 100,000 entries: opening the panel, searching, recording a request.

    python benchmarks/history.py [--entries N] [--json]

Fills a fresh database in one transaction (bulk set-up, not what is measured), then measures:
- the panel's first page: from constructing HistoryPanel to the first page in the table and
  painted (offscreen Qt), the query running on a TaskRunner thread as in the app;
- search: a set of queries an agent would type (whole and partial IDs, mobiles, bill numbers,
  purposes, error words and codes, with and without filters), each run several times;
- recording: add_pending + complete per entry on the full database (one fsync: the pending row).
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench_support import Figure, median, percentile, report

from desktop_app.core.history import (
    Completion,
    EntryKind,
    HistoryQuery,
    HistoryStore,
    NewEntry,
    Outcome,
    write_csv,
)
from desktop_app.core.model import ApiMessage, Entity, KeyKind, RedemptionKey

PURPOSES = (
    "pos outage",
    "wrong bill number entered at till",
    "customer complaint",
    "duplicate bill",
    "refund adjustment",
    "store audit correction",
    "why",
)
ERRORS = (
    ApiMessage(750, "Redemption update failed : redemption already reversed"),
    ApiMessage(521, "Another action is running for the same customer"),
    ApiMessage(8015, "Customer not found for the given identifiers"),
    ApiMessage(1219, "Entity identifier type is invalid"),
)
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
REPEATS = 15


def _customer(rng: random.Random, number: int) -> Entity:
    if number % 7 == 0:
        return Entity("CUSTOMER", "email", f"customer{number}@example.com")
    return Entity("CUSTOMER", "mobile", f"9198{number * 7919 % 10**8:08d}")


def realistic_entries(
    count: int, rng: random.Random, end: datetime
) -> Iterator[tuple[NewEntry, Completion, datetime]]:
    """Two years of a busy desk: lookups and updates, mostly succeeding, some failing."""
    step = timedelta(days=730) / count
    for number in range(count):
        entity = _customer(rng, rng.randrange(20_000))
        if rng.random() < 0.3:
            key = RedemptionKey(KeyKind.EXTERNAL_REFERENCE, f"EXT-{rng.randrange(10**6):06d}")
        else:
            key = RedemptionKey(KeyKind.REDEMPTION_ID, "".join(rng.choices(ALPHABET, k=6)))
        before = {
            "billId": rng.randrange(1, 10**6),
            "billNumber": f"INV-{rng.randrange(2023, 2026)}-{rng.randrange(10**6):06d}",
            "purpose": rng.choice(PURPOSES),
        }
        is_update = rng.random() < 0.6
        after = None
        if is_update:
            after = {"billNumber": f"INV-2025-{rng.randrange(10**6):06d}"}
            if rng.random() < 0.4:
                after["purpose"] = rng.choice(PURPOSES)
        entry = NewEntry(
            kind=EntryKind.UPDATE if is_update else EntryKind.LOOKUP,
            profile=rng.choice(("EU production", "India production", "Demo")),
            host="eu.api.capillarytech.com",
            username="store.server",
            entity=entity,
            key=key,
            before=before if is_update else None,
            after=after,
            request_json=f'{{"entity": {{"identifierValue": "{entity.identifier_value}"}}, '
            f'"{key.kind.value}": "{key.value}", "billNumber": "x", "purpose": "y"}}',
        )
        roll = rng.random()
        if roll < 0.86:
            completion = Completion(
                Outcome.SUCCEEDED,
                200,
                '{"id": 1, "billNumber": "x"}' + " " * 300,
                duration_ms=180.0,
                found=None if is_update else before,
            )
        elif roll < 0.97:
            error = rng.choice(ERRORS)
            completion = Completion(
                Outcome.FAILED,
                400,
                f'{{"errors": [{{"code": {error.code}}}]}}',
                errors=(error,),
                message=error.message,
                duration_ms=150.0,
            )
        else:
            completion = Completion(
                Outcome.UNKNOWN,
                None,
                "",
                message="The connection broke mid-answer.",
                duration_ms=30000.0,
            )
        yield entry, completion, end - step * (count - number)


def queries(store: HistoryStore, rng: random.Random) -> list[HistoryQuery]:
    """What agents type, taken from entries that exist (and a few that match nothing)."""
    sample = [e for e in store.search(limit=100, before_id=rng.randrange(20_000, 90_000))]
    update = next(e for e in sample if e.kind is EntryKind.UPDATE)
    ids = [e.key.value for e in sample if e.key.kind is KeyKind.REDEMPTION_ID]
    mobiles = [e.entity.identifier_value for e in sample if e.entity.identifier_type == "mobile"]
    bill = update.before["billNumber"]
    last_30_days = datetime.now(UTC) - timedelta(days=30)
    texts = [
        ids[0],
        ids[1].lower(),
        ids[2][1:5],
        mobiles[0],
        mobiles[1][2:],
        mobiles[2][-6:],
        "customer1234@example",
        bill,
        bill[-6:],
        "EXT-0012",
        "outage",
        "refund adjustment",
        '"duplicate bill"',
        "reversed",
        "750",
        "another action",
        "ZZZZZZZZ",
        "INV-2024",
        "77",  # shorter than a trigram: a LIKE scan, stopped early by the page limit
    ]
    found = [HistoryQuery(text=text) for text in texts]
    found += [
        HistoryQuery(text="INV", outcomes=frozenset({Outcome.FAILED})),
        HistoryQuery(text="refund", since=last_30_days),
        HistoryQuery(outcomes=frozenset({Outcome.UNKNOWN})),
        HistoryQuery(since=last_30_days - timedelta(days=7), until=last_30_days),
    ]
    return found


def describe(query: HistoryQuery) -> str:
    parts = [repr(query.text)] if query.text else []
    if query.outcomes:
        parts.append("outcome " + "/".join(sorted(query.outcomes)))
    if query.since or query.until:
        parts.append("date range")
    return " + ".join(parts)


def measure_search(store: HistoryStore, searches: list[HistoryQuery]) -> tuple[list[float], str]:
    times, slowest, slowest_ms = [], "", 0.0
    for query in searches:
        for _ in range(REPEATS):
            started = time.perf_counter()
            store.search(query)
            elapsed = (time.perf_counter() - started) * 1000
            times.append(elapsed)
            if elapsed > slowest_ms:
                slowest, slowest_ms = describe(query), elapsed
    return times, f"slowest {slowest} {slowest_ms:.1f} ms"


def warm_up_qt() -> None:
    """In the app the main window is on screen before History opens, so Qt has already loaded
    fonts, the style and these widget classes; paint the same classes once to match."""
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import (
        QComboBox,
        QLineEdit,
        QPushButton,
        QTableView,
        QTextBrowser,
        QVBoxLayout,
        QWidget,
    )

    window = QWidget()
    layout = QVBoxLayout(window)
    table = QTableView()
    table.setModel(QStandardItemModel(5, 5, table))
    for widget in (QLineEdit("x"), QComboBox(), QPushButton("x"), table, QTextBrowser()):
        layout.addWidget(widget)
    window.show()
    window.grab()
    window.close()


def measure_first_page(store: HistoryStore, runs: int = 11) -> list[float]:
    """Opens the panel `runs` times; the first run is Qt's first paint of anything (cold)."""
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from desktop_app.ui.history_panel import HistoryPanel
    from desktop_app.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    runner = TaskRunner()
    times = []
    for run in range(runs):
        if run == 1:
            warm_up_qt()
        started = time.perf_counter()
        panel = HistoryPanel(store, runner)
        panel.resize(1000, 700)
        panel.show()
        waiting = QEventLoop()
        panel.model.page_loaded.connect(waiting.quit)
        waiting.exec()
        panel.grab()  # paints the table with its first page
        times.append((time.perf_counter() - started) * 1000)
        panel.close()
        panel.deleteLater()
        app.processEvents()
    runner.wait_for_all()
    return times


def measure_recording(store: HistoryStore, count: int = 300) -> tuple[list[float], list[float]]:
    rng = random.Random(7)
    samples = list(realistic_entries(count, rng, datetime.now(UTC)))
    pending_only, both = [], []
    for entry, completion, _ in samples:
        started = time.perf_counter()
        entry_id = store.add_pending(entry)
        middle = time.perf_counter()
        store.complete(entry_id, completion)
        ended = time.perf_counter()
        pending_only.append((middle - started) * 1000)
        both.append((ended - started) * 1000)
    return pending_only, both


def bare_durable_commit_ms(folder: Path, count: int = 200) -> float:
    """The disk's own price: a one-row SQLite commit with fsync, nothing of ours around it."""
    import sqlite3

    connection = sqlite3.connect(folder / "baseline.sqlite3", isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("CREATE TABLE IF NOT EXISTS t (x TEXT)")
    times = []
    for _ in range(count):
        started = time.perf_counter()
        connection.execute("INSERT INTO t VALUES ('x')")
        times.append((time.perf_counter() - started) * 1000)
    connection.close()
    return median(times)


def main(argv: list[str]) -> None:
    count = int(argv[argv.index("--entries") + 1]) if "--entries" in argv else 100_000
    folder = Path(tempfile.mkdtemp(prefix="history-bench-"))
    path = folder / "history.sqlite3"
    rng = random.Random(2024)

    store = HistoryStore.open(path)
    started = time.perf_counter()
    store.import_completed(realistic_entries(count, rng, datetime.now(UTC)))
    fill_s = time.perf_counter() - started
    store.close()

    started = time.perf_counter()
    store = HistoryStore.open(path)
    open_ms = (time.perf_counter() - started) * 1000

    first_page = measure_first_page(store)
    search_times, slowest = measure_search(store, queries(store, rng))
    baseline_before = bare_durable_commit_ms(folder)
    pending_only, recording = measure_recording(store)
    baseline_after = bare_durable_commit_ms(folder)

    started = time.perf_counter()
    exported = write_csv(store.iter_entries(HistoryQuery()), folder / "all.csv")
    export_s = time.perf_counter() - started
    store.close()
    size_mb = sum(p.stat().st_size for p in folder.glob("history.sqlite3*")) / 1e6

    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    report(
        [
            Figure("entries", count, "", "", f"bulk fill {fill_s:.1f} s, file {size_mb:.0f} MB"),
            Figure("load average (1 min) at the end", round(load[0], 2), "", "", "2 cores"),
            Figure("store open (integrity check, migrations)", round(open_ms, 1), "ms", ""),
            Figure(
                "panel first page, Qt already warm as in the app",
                round(first_page[1], 1),
                "ms",
                "<= 100",
                "constructor → first page painted, query on a TaskRunner thread",
            ),
            Figure(
                "panel first page, median of 9 more opens",
                round(median(first_page[2:]), 1),
                "ms",
                "<= 100",
            ),
            Figure(
                "panel first page, fresh process (Qt cold)",
                round(first_page[0], 1),
                "ms",
                "",
                "the first widgets Qt paints in this process",
            ),
            Figure(
                "search median",
                round(median(search_times), 2),
                "ms",
                "",
                f"{len(search_times)} runs of {len(search_times) // REPEATS} queries",
            ),
            Figure("search p95", round(percentile(search_times, 0.95), 2), "ms", "<= 20", slowest),
            Figure(
                "insert per entry (add_pending + complete)",
                round(median(recording), 2),
                "ms",
                "<= 2",
                f"p95 {percentile(recording, 0.95):.2f} ms; one fsync, for the pending row",
            ),
            Figure("add_pending alone", round(median(pending_only), 2), "ms", ""),
            Figure(
                "bare SQLite commit with fsync on this disk",
                round((baseline_before + baseline_after) / 2, 2),
                "ms",
                "",
                f"before {baseline_before:.2f} ms, after {baseline_after:.2f} ms: the floor",
            ),
            Figure("export CSV", round(export_s, 1), "s", "", f"{exported} entries, streamed"),
        ],
        argv,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
