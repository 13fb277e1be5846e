"""Real processes: two copies of the app writing at once, and one killed mid-request."""

from __future__ import annotations

import os
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

from desktop_app.core.history import HistoryQuery, HistoryStore, Outcome

REPO = Path(__file__).resolve().parents[3]

# A stand-in for a running app: opens the history, says "ready", waits for "go", then either
# records `count` requests or leaves one pending and waits to be killed.
CHILD = """
import sys
from pathlib import Path
from desktop_app.core.history import HistoryStore
from tests.core.history.samples import SUCCESS, update_entry

store = HistoryStore.open(Path(sys.argv[1]))
mode, tag, count = sys.argv[2], sys.argv[3], int(sys.argv[4])
print("ready", flush=True)
sys.stdin.readline()
if mode == "write":
    for number in range(count):
        entry_id = store.add_pending(update_entry(f"{tag}{number:04d}"))
        store.complete(entry_id, SUCCESS)
    store.close()
    print("done", flush=True)
else:
    entry_id = store.add_pending(update_entry(tag))
    print(entry_id, flush=True)
    sys.stdin.readline()
"""


def start_child(path: Path, mode: str, tag: str, count: int = 0) -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), mode, tag, str(count)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "ready"
    return child


def go(child: subprocess.Popen) -> None:
    child.stdin.write("go\n")
    child.stdin.flush()


def test_two_processes_writing_at_the_same_time_lose_no_row(tmp_path):
    path = tmp_path / "history.sqlite3"
    HistoryStore.open(path).close()  # created once, as the first start of the app would
    children = [start_child(path, "write", tag, 1000) for tag in ("A", "B")]
    for child in children:  # both are open and waiting: release them together
        go(child)
    for child in children:
        assert child.stdout.readline().strip() == "done"
        assert child.wait(timeout=120) == 0

    store = HistoryStore.open(path)
    entries = list(store.iter_entries(HistoryQuery()))
    store.close()
    assert len(entries) == 2000
    assert {e.outcome for e in entries} == {Outcome.SUCCEEDED}
    assert len({e.key.value for e in entries}) == 2000
    writers = [e.writer_pid for e in sorted(entries, key=lambda e: e.id)]
    assert set(writers) == {child.pid for child in children}
    switches = sum(1 for a, b in pairwise(writers) if a != b)
    assert switches > 1  # the two really wrote at the same time, not one after the other


def test_a_process_killed_between_pending_and_completion_leaves_an_unknown_entry(tmp_path):
    path = tmp_path / "history.sqlite3"
    child = start_child(path, "pending", "KILLED")
    go(child)
    entry_id = int(child.stdout.readline())

    running = HistoryStore.open(path)  # the other copy is alive: its request may be in flight
    assert running.get(entry_id).outcome is Outcome.PENDING
    running.close()

    child.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no clean-up runs
    child.wait(timeout=30)

    after_crash = HistoryStore.open(path)
    entry = after_crash.get(entry_id)
    assert entry.outcome is Outcome.UNKNOWN
    assert entry.can_be_verified
    assert f"process {child.pid}" in entry.message
    assert "outcome unknown" in after_crash.notice
    after_crash.close()
