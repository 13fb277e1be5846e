"""Delivers finished history entries to the team database from a background thread.

The history's outbox (filled by triggers as entries finish) is read oldest first, a batch at a
time; a batch is inserted in one transaction, then removed from the outbox. A crash between the
two sends the batch again at the next start, and the team store ignores rows it already has (the
entry UUID is unique), so nothing is lost or doubled. While the database cannot be reached the
worker waits, doubling the wait up to a minute, and reports how many entries are queued and why.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from desktop_app.core.history import HistoryEntry
from desktop_app.core.team.schema import UnknownTeamSchema
from desktop_app.core.team.store import Delivery, failure_reason

log = logging.getLogger(__name__)

BATCH_SIZE = 200
IDLE_CHECK_SECONDS = 30.0  # another copy of the app may have queued entries in the same file


class Outbox(Protocol):
    def undelivered(self, limit: int) -> list[tuple[HistoryEntry, str | None]]: ...
    def mark_delivered(self, uuids: list[str]) -> None: ...
    def note_delivery_failure(self, uuids: list[str], reason: str) -> None: ...
    def undelivered_count(self) -> int: ...


class TeamSink(Protocol):
    def deliver(self, deliveries: list[Delivery]) -> int: ...


@dataclass(frozen=True)
class DeliveryStatus:
    queued: int
    reason: str = ""  # why entries are waiting; "" while deliveries go through
    retry_in: float = 0.0

    @property
    def text(self) -> str:
        """The status bar's words; "" when there is nothing to say."""
        if not self.queued or not self.reason:
            return ""
        plural = "entry" if self.queued == 1 else "entries"
        return (
            f"{self.queued} history {plural} queued for the team database: {self.reason}. "
            f"Next try in {self.retry_in:.0f} s."
        )


class DeliveryWorker:
    """`start()` once; `nudge()` after an entry finishes; `stop()` when the desk closes."""

    def __init__(
        self,
        outbox: Outbox,
        connect: Callable[[], TeamSink],
        *,
        on_status: Callable[[DeliveryStatus], None] | None = None,
        first_retry: float = 1.0,
        max_retry: float = 60.0,
        batch_size: int = BATCH_SIZE,
        after_commit: Callable[[list[str]], None] | None = None,
    ):
        self._outbox = outbox
        self._connect = connect
        self._on_status = on_status
        self._first_retry = first_retry
        self._max_retry = max_retry
        self._batch_size = batch_size
        self._after_commit = after_commit  # tests: the moment between the two commits
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._changed = threading.Condition()
        self._status: DeliveryStatus | None = None  # nothing reported yet
        self._thread = threading.Thread(target=self._run, name="team-delivery", daemon=True)

    @property
    def status(self) -> DeliveryStatus:
        with self._changed:
            return self._status or DeliveryStatus(queued=0)

    def start(self) -> None:
        self._thread.start()

    def nudge(self) -> None:
        """An entry finished: deliver it now rather than at the next idle check."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def wait_for(self, condition: Callable[[DeliveryStatus], bool], timeout: float) -> bool:
        """Blocks until a reported status satisfies `condition` (or the timeout passes)."""
        with self._changed:
            return self._changed.wait_for(
                lambda: self._status is not None and condition(self._status), timeout
            )

    def wait_until_delivered(self, timeout: float) -> bool:
        """Blocks until the outbox is empty (or the timeout passes). The count is read under the
        lock the worker reports under, after it empties the outbox, so no report is missed."""
        self.nudge()
        with self._changed:
            return self._changed.wait_for(lambda: self._outbox.undelivered_count() == 0, timeout)

    def _report(self, status: DeliveryStatus) -> None:
        with self._changed:
            self._status = status
            self._changed.notify_all()
        if self._on_status is not None:
            try:
                self._on_status(status)
            except Exception:  # a closed window must not stop the deliveries
                log.warning("the delivery status could not be shown", exc_info=True)

    def _pause(self, seconds: float) -> None:
        self._wake.wait(seconds)
        self._wake.clear()

    def _run(self) -> None:
        """The sink from `connect` belongs to the caller, who closes it after `stop()`."""
        sink: TeamSink | None = None
        retry = self._first_retry
        while not self._stopping.is_set():
            try:
                if sink is None:
                    sink = self._connect()
                delivered = self._deliver_batch(sink)
            except Exception as error:  # every failure is reported and retried
                reason = failure_reason(error)
                log.info("team delivery failed: %s", reason)
                wait = self._max_retry if isinstance(error, UnknownTeamSchema) else retry
                self._report(self._failed(reason, wait))
                self._pause(wait)
                retry = min(retry * 2, self._max_retry)
                continue
            retry = self._first_retry
            if not delivered:
                self._pause(IDLE_CHECK_SECONDS)

    def _deliver_batch(self, sink: TeamSink) -> int:
        batch = self._outbox.undelivered(self._batch_size)
        if not batch:
            self._report(DeliveryStatus(queued=0))
            return 0
        uuids = [entry.uuid for entry, _ in batch]
        sink.deliver([Delivery(entry, verifies) for entry, verifies in batch])
        if self._after_commit is not None:
            self._after_commit(uuids)
        self._outbox.mark_delivered(uuids)
        self._report(DeliveryStatus(queued=self._outbox.undelivered_count()))
        return len(batch)

    def _failed(self, reason: str, wait: float) -> DeliveryStatus:
        try:
            queued = self._outbox.undelivered_count()
            batch = [entry.uuid for entry, _ in self._outbox.undelivered(self._batch_size)]
            self._outbox.note_delivery_failure(batch, reason)
        except Exception:  # the local file itself failed: say so rather than loop silently
            log.exception("the outbox could not be read")
            reason = "the local history cannot be read"
            return DeliveryStatus(queued=1, reason=reason, retry_in=wait)
        return DeliveryStatus(queued=queued, reason=reason, retry_in=wait)
