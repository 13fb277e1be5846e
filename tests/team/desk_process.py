"""A desk in its own process, so a test can kill it mid-delivery:

    python -m tests.team.desk_process DATA_DIR AGENT ENTRIES TEAM_JSON [--hold-after-batch N]

Records ENTRIES finished updates in DATA_DIR's history, then delivers its outbox to the team
database in batches of 5. With --hold-after-batch N it prints HOLDING once batch N is committed
in PostgreSQL but before the outbox knows, and waits for stdin (the test kills it there: the
worst moment). Prints DELIVERED when its outbox is empty.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from desktop_app.core.history import HistoryStore
from desktop_app.core.team.settings import TeamDatabase
from desktop_app.core.team.store import TeamStore
from desktop_app.desk.team_delivery import DeliveryWorker
from tests.team.entries import record_updates


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("agent")
    parser.add_argument("entries", type=int)
    parser.add_argument("team_json")
    parser.add_argument("--hold-after-batch", type=int, default=0)
    options = parser.parse_args()
    history = HistoryStore.open(options.data_dir / "history.sqlite3")
    history.os_user = options.agent
    record_updates(history, options.entries, prefix=options.agent)
    print("RECORDED", flush=True)
    batches = 0

    def after_commit(uuids: list[str]) -> None:
        nonlocal batches
        batches += 1
        if batches == options.hold_after_batch:
            print("HOLDING", flush=True)
            sys.stdin.readline()  # killed here

    store = TeamStore(TeamDatabase.from_json(json.loads(options.team_json)).conninfo())
    worker = DeliveryWorker(history, lambda: store, batch_size=5, after_commit=after_commit)
    worker.start()
    delivered = worker.wait_until_delivered(120)
    worker.stop()
    store.close()
    history.close()
    print("DELIVERED" if delivered else "TIMED OUT", flush=True)
    return 0 if delivered else 1


if __name__ == "__main__":
    sys.exit(main())
