"""Running a batch: every row through the desk's own jobs (record → call → settle), a few at once.

Per row: look the redemption up, compare with the row's values, and send only the fields that
differ (none: `unchanged`, no PUT). A PUT is sent again only after 429 or 521 (nothing was
applied), after the wait, at most MAX_RETRIES times; any other failure is final for this run.

The first row to reach the server runs alone: a rejected password then stops the run before any
update is sent. `cancel` stops starting rows (rows in flight finish and are recorded), `pause`
holds them. Results are delivered through `on_row` on the worker thread that finished the row.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from desktop_app.core.history import BatchTag, Outcome, redemption_values
from desktop_app.core.model import (
    ApiMessage,
    ApiProblem,
    Credentials,
    MetadataChange,
    ProblemKind,
    Redemption,
    UpdateResult,
)
from desktop_app.core.update_request import build_update_body, dumps_body
from desktop_app.desk import jobs
from desktop_app.desk.batch.outcomes import RowOutcome, RowResult
from desktop_app.desk.batch.previous import PreviousRun, previous_run
from desktop_app.desk.batch.reading import BatchFile
from desktop_app.desk.batch.rows import BatchRow, duplicate_problem
from desktop_app.desk.session import Connection, DeskServices

log = logging.getLogger(__name__)

MAX_CONCURRENCY = 8
DEFAULT_CONCURRENCY = 2
MAX_RETRIES = 3
CANCELLED = "Not run: the batch was cancelled before this row started."


@dataclass(frozen=True)
class BatchSettings:
    concurrency: int = DEFAULT_CONCURRENCY
    dry_run: bool = False
    retry_wait_seconds: float = 2.0  # after a 521, or a 429 without Retry-After
    max_wait_seconds: float = 30.0  # a longer Retry-After is cut to this
    # An update left with an unknown outcome (its copy of the desk died with the PUT in flight)
    # may still be landing on the server: it is verified once it is this old, not sooner, so
    # the verifying lookup cannot miss it and send the row a second time.
    unknown_settle_seconds: float = 10.0


@dataclass(frozen=True)
class BatchRunResult:
    results: tuple[RowResult, ...]
    cancelled: bool = False
    rejection: Any = None  # core.credentials.Rejection when the till refused the password


def change_needed(target: MetadataChange, found: Redemption) -> MetadataChange:
    """The fields of `target` the server does not hold yet: only these are sent."""
    return MetadataChange(
        bill_id=target.bill_id if target.bill_id not in (None, found.bill_id) else None,
        bill_number=target.bill_number
        if target.bill_number not in (None, found.bill_number)
        else None,
        purpose=target.purpose if target.purpose not in (None, found.purpose) else None,
    )


class BatchRun:
    """One run of a batch file; `run()` blocks (call it off the UI thread), the rest does not."""

    def __init__(
        self,
        services: DeskServices,
        connection: Connection,
        credentials: Credentials,
        fresh: jobs.FreshSecret | None,
        batch: BatchFile,
        settings: BatchSettings | None = None,
        *,
        excluded: Iterable[int] = (),
        previous: PreviousRun | None = None,
        on_row: Callable[[RowResult], None] | None = None,
        recorded: Callable[[], None] | None = None,
    ):
        settings = settings or BatchSettings()
        if not 1 <= settings.concurrency <= MAX_CONCURRENCY:
            raise ValueError(f"concurrency must be 1 to {MAX_CONCURRENCY}")
        self._services = services
        self._connection = connection
        self._credentials = credentials
        self._fresh = fresh
        self._batch = batch
        self._settings = settings
        self._excluded = frozenset(excluded)
        self._previous = previous  # None: read from the history when the run starts
        self._on_row = on_row
        self._recorded = recorded
        self._state = threading.Condition()
        self._paused = False
        self._cancelled = False
        self._rejection: Any = None
        self._queue: list[BatchRow] = []
        self._results: dict[int, RowResult] = {}
        self._claimed: dict[str, int] = {}  # redemption ID -> the row that corrects it

    # -- control, from any thread ---------------------------------------------------------------
    def pause(self) -> None:
        with self._state:
            self._paused = True

    def resume(self) -> None:
        with self._state:
            self._paused = False
            self._state.notify_all()

    def cancel(self) -> None:
        with self._state:
            self._cancelled = True
            self._state.notify_all()

    @property
    def paused(self) -> bool:
        return self._paused

    # -- the run ------------------------------------------------------------------------------
    def run(self) -> BatchRunResult:
        if self._previous is None:
            self._previous = previous_run(self._services, self._batch.sha256, self._connection.host)
        for row in self._batch.rows:
            if not row.is_valid:
                self._finish(
                    RowResult(row.number, row.redemption, RowOutcome.REFUSED, row.problem_text())
                )
            elif row.number in self._excluded:
                self._finish(_not_run(row, "Excluded from this run."))
            else:
                self._queue.append(row)
        self._queue.reverse()  # popped from the end: file order
        first = self._take()
        if first is not None:
            self._process(first)
            self._fresh = None  # the policy holds it now, until the till accepts it
            workers = max(1, min(self._settings.concurrency, len(self._queue)))
            with ThreadPoolExecutor(workers, thread_name_prefix="batch") as pool:
                for future in [pool.submit(self._work) for _ in range(workers)]:
                    future.result()
        reason = (
            "Not run: the till rejected the credentials."
            if self._rejection is not None
            else CANCELLED
        )
        for row in self._drain():
            self._finish(_not_run(row, reason))
        ordered = tuple(self._results[number] for number in sorted(self._results))
        return BatchRunResult(ordered, self._cancelled, self._rejection)

    def _work(self) -> None:
        while (row := self._take()) is not None:
            self._process(row)

    def _take(self) -> BatchRow | None:
        with self._state:
            while self._paused and not self._stopping():
                self._state.wait()
            if self._stopping() or not self._queue:
                return None
            return self._queue.pop()

    def _drain(self) -> list[BatchRow]:
        with self._state:
            rows, self._queue = list(reversed(self._queue)), []
        return rows

    def _stopping(self) -> bool:
        return self._cancelled or self._rejection is not None

    def _finish(self, result: RowResult) -> None:
        with self._state:
            self._results[result.row] = result
        if self._on_row is None:
            return
        try:
            self._on_row(result)
        except RuntimeError:  # the window that listened went away; the row is recorded anyway
            log.warning("could not announce batch row %s", result.row, exc_info=True)

    def _process(self, row: BatchRow) -> None:
        try:
            result = self._row_result(row)
        except Exception as error:  # a bug must end this row visibly, never the run silently
            result = RowResult(
                row.number,
                row.redemption,
                RowOutcome.UNKNOWN,  # it may have come after the PUT: assume the worst
                f"Internal error ({error!r}): whether an update was applied is not known; "
                "run the file again to verify it by lookup.",
            )
        self._finish(result)

    # -- one row ------------------------------------------------------------------------------
    def _plan(self, row: BatchRow, **fields: Any) -> jobs.CallPlan:
        assert row.entity is not None and row.key is not None
        return jobs.CallPlan(
            self._connection,
            self._credentials,
            self._fresh,
            row.entity,
            row.key,
            recorded=self._recorded,
            batch=BatchTag(self._batch.name, self._batch.sha256, row.number),
            **fields,
        )

    def _row_result(self, row: BatchRow) -> RowResult:
        assert row.entity is not None and row.key is not None
        assert self._previous is not None
        earlier = self._previous.latest_update(row.number)
        if earlier is not None and earlier.host != self._connection.host:
            earlier = None  # from a run against another cluster
        if earlier is not None and earlier.outcome is Outcome.PENDING:
            return _not_run(
                row,
                "An update of this row from an earlier run is still pending in a copy of the desk "
                "that is running: wait for it, then run the file again.",
            )
        plan = self._plan(row, request_json=jobs.lookup_request_json(row.entity, row.key))
        if earlier is not None and earlier.can_be_verified:
            age = (datetime.now(UTC) - earlier.created_utc).total_seconds()
            if not self._wait_seconds(self._settings.unknown_settle_seconds - age):
                return _not_run(row, CANCELLED)
            lookup = jobs.run_verification(self._services, plan, earlier.id)
        else:
            lookup = jobs.run_lookup(self._services, plan)
        entries = _ids(lookup)
        if lookup.rejection is not None:
            with self._state:
                self._rejection = lookup.rejection
                self._state.notify_all()
            return _not_run(row, lookup.rejection.message, entries)
        if lookup.problem is not None:
            outcome = (
                RowOutcome.NOT_FOUND
                if lookup.problem.kind is ProblemKind.NOT_FOUND
                else RowOutcome.FAILED
            )
            return RowResult(
                row.number,
                row.redemption,
                outcome,
                _lookup_failure(lookup.problem),
                warnings=lookup.notices,
                entry_ids=entries,
            )
        found = lookup.value
        assert isinstance(found, Redemption)
        with self._state:  # one row per redemption, even when two rows name it differently
            owner = self._claimed.setdefault(found.redemption_id, row.number)
        if owner != row.number:
            return RowResult(
                row.number,
                row.redemption,
                RowOutcome.REFUSED,
                duplicate_problem(owner) + " (It names the redemption by its other identifier.)",
                warnings=lookup.notices,
                entry_ids=entries,
            )
        before = redemption_values(found)
        change = change_needed(row.target, found)
        base = RowResult(
            row.number,
            row.redemption,
            RowOutcome.UNCHANGED,
            before=before,
            after=before,
            warnings=lookup.notices,
            entry_ids=entries,
        )
        if change.is_empty:
            said = _earlier_words(earlier) + "The server already holds these values: nothing sent."
            return replace(base, message=lookup.verdict + said if lookup.verdict else said)
        after = {**before, **change.to_json()}
        if self._settings.dry_run:
            return replace(
                base,
                outcome=RowOutcome.WOULD_APPLY,
                after=after,
                sent=change.to_json(),
                message="Dry run: this update would be sent.",
            )
        return self._update(row, change, replace(base, after=None, sent=change.to_json()), after)

    def _update(
        self, row: BatchRow, change: MetadataChange, base: RowResult, after: dict[str, Any]
    ) -> RowResult:
        assert row.entity is not None and row.key is not None
        try:
            body = build_update_body(row.entity, row.key, change)
        except ValueError as refused:
            return replace(base, outcome=RowOutcome.REFUSED, message=str(refused))
        plan = self._plan(row, before=base.before, change=change, request_json=dumps_body(body))
        entries, warnings = list(base.entry_ids), list(base.warnings)
        attempts = 0
        while True:
            attempts += 1
            sent = jobs.run_update(self._services, plan)
            entries += _ids(sent)
            warnings += sent.notices
            problem = sent.problem
            if problem is None:
                update = sent.value
                assert isinstance(update, UpdateResult)
                warnings += [_message_text(w) for w in update.warnings]
                return replace(
                    base,
                    outcome=RowOutcome.APPLIED,
                    message="Applied." + (" With warnings." if update.warnings else ""),
                    after=after,
                    warnings=tuple(warnings),
                    entry_ids=tuple(entries),
                    attempts=attempts,
                )
            warnings += [_message_text(w) for w in problem.warnings]
            done = replace(
                base, warnings=tuple(warnings), entry_ids=tuple(entries), attempts=attempts
            )
            if _may_retry(problem) and attempts <= MAX_RETRIES:
                if self._wait(problem):
                    continue
                return replace(
                    done,
                    outcome=RowOutcome.FAILED,
                    after=base.before,
                    message=f"{problem.message} Not retried: the batch was cancelled.",
                )
            if problem.may_have_applied:
                return replace(
                    done,
                    outcome=RowOutcome.UNKNOWN,
                    message=problem.message
                    + " It was not sent again: run the file again to verify it by lookup.",
                )
            tries = f" (after {attempts} attempts)" if attempts > 1 else ""
            return replace(
                done, outcome=RowOutcome.FAILED, after=base.before, message=problem.message + tries
            )

    def _wait(self, problem: ApiProblem) -> bool:
        """Waits as the server asked (capped); False when the run was cancelled meanwhile."""
        seconds = problem.retry_after_seconds
        if seconds is None:
            seconds = self._settings.retry_wait_seconds
        return self._wait_seconds(min(seconds, self._settings.max_wait_seconds))

    def _wait_seconds(self, seconds: float) -> bool:
        with self._state:
            if seconds > 0:
                self._state.wait_for(lambda: self._cancelled, timeout=seconds)
            return not self._cancelled


def _may_retry(problem: ApiProblem) -> bool:
    """429, or code 521 (another action running for the customer): nothing was applied."""
    return not problem.may_have_applied and (problem.http_status == 429 or 521 in problem.codes)


def _not_run(row: BatchRow, message: str, entries: tuple[int, ...] = ()) -> RowResult:
    return RowResult(row.number, row.redemption, RowOutcome.NOT_RUN, message, entry_ids=entries)


def _ids(result: jobs.CallResult) -> tuple[int, ...]:
    return (result.entry_id,) if result.entry_id else ()


def _lookup_failure(problem: ApiProblem) -> str:
    if problem.kind is ProblemKind.NOT_FOUND:
        return problem.message
    return f"The lookup failed, so nothing was sent: {problem.message}"


def _earlier_words(earlier: Any) -> str:
    if earlier is None:
        return ""
    if earlier.outcome is Outcome.SUCCEEDED:
        return "Applied in an earlier run of this file. "
    return ""


def _message_text(message: ApiMessage) -> str:
    return f"{message.code}: {message.message}" if message.code is not None else message.message
