"""What the history says about earlier runs of the same file (same SHA-256): for resuming.

Resuming needs nothing special from the run itself, since every row is looked up and compared
before anything is sent. The history adds two things: a row whose earlier update has an unknown
outcome is looked up as a "Verify by lookup" of that update (so the history can settle it), and
the agent is told what the earlier runs did before choosing to resume.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from desktop_app.core.history import HistoryEntry, Outcome
from desktop_app.desk.session import DeskServices


@dataclass(frozen=True)
class PreviousRun:
    """The latest update entry per row number, from earlier runs of the file."""

    updates: dict[int, HistoryEntry] = field(default_factory=dict)

    def latest_update(self, row: int) -> HistoryEntry | None:
        return self.updates.get(row)

    @property
    def exists(self) -> bool:
        return bool(self.updates)

    def describe(self) -> str:
        """E.g. "3 rows applied, 1 outcome unknown", for the resume offer."""
        tally = Counter(entry.outcome for entry in self.updates.values())
        words = {
            Outcome.SUCCEEDED: "applied",
            Outcome.FAILED: "failed",
            Outcome.UNKNOWN: "outcome unknown",
            Outcome.PENDING: "still pending",
        }
        return ", ".join(
            f"{tally[outcome]} {'row' if tally[outcome] == 1 else 'rows'} {word}"
            for outcome, word in words.items()
            if tally[outcome]
        )


def previous_run(services: DeskServices, sha256: str, host: str) -> PreviousRun:
    """Earlier runs of the file against `host` (a run on another cluster says nothing about
    this one). Reads the history: blocks, call off the UI thread. Empty without a history."""
    history: Any = services.history()
    finder = getattr(history, "batch_updates", None)
    if finder is None:
        return PreviousRun()
    updates: dict[int, HistoryEntry] = {}
    for entry in finder(sha256):
        if entry.batch is not None and entry.host == host:
            updates[entry.batch.row] = entry  # oldest first: the last one wins
    return PreviousRun(updates)
