"""What became of each row of a batch, and what a whole run adds up to."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class RowOutcome(StrEnum):
    APPLIED = "applied"
    UNCHANGED = "unchanged"  # the server already held the row's values: no PUT
    WOULD_APPLY = "would_apply"  # dry run: a PUT would have been sent
    REFUSED = "refused"  # invalid in the file: never sent
    NOT_FOUND = "not_found"
    FAILED = "failed"  # the API said no, or the lookup failed: nothing applied
    UNKNOWN = "unknown"  # may have applied: verify before doing it again
    NOT_RUN = "not_run"  # cancelled, excluded, or stopped by rejected credentials


# Exit codes of the command line (issue 14): 3 beats 1, 0 only when every row went well.
EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2
EXIT_SOME_UNKNOWN = 3

_FINE = frozenset({RowOutcome.APPLIED, RowOutcome.UNCHANGED, RowOutcome.WOULD_APPLY})


@dataclass(frozen=True)
class RowResult:
    """One row's end. `before` is what the lookup found, `after` what the server holds now (or
    would after a dry run); either is None when not known. `entry_ids` are its history entries."""

    row: int
    redemption: str
    outcome: RowOutcome
    message: str = ""
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    sent: dict[str, Any] | None = None  # the fields the PUT carried (or would carry)
    warnings: tuple[str, ...] = ()
    entry_ids: tuple[int, ...] = field(default=(), compare=False)
    attempts: int = 0


def counts(results: Iterable[RowResult]) -> Counter[RowOutcome]:
    return Counter(result.outcome for result in results)


def exit_code(results: Iterable[RowResult]) -> int:
    outcomes = {result.outcome for result in results}
    if RowOutcome.UNKNOWN in outcomes:
        return EXIT_SOME_UNKNOWN
    if outcomes - _FINE:
        return EXIT_SOME_FAILED
    return EXIT_OK


def summary_text(results: Iterable[RowResult]) -> str:
    tally = counts(results)
    return ", ".join(f"{tally[o]} {o.value}" for o in RowOutcome if tally[o]) or "no rows"
