"""The one way the UI runs blocking work (network, keyring, disk) off the UI thread.

A callable runs on a QThreadPool thread; its result or exception comes back on the UI thread
through queued signals. Every task has an id, so a caller that has moved on ("Stop waiting", a
new lookup) can `forget` it and its late result is dropped instead of applied.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

OnSuccess = Callable[[Any], None]
OnFailure = Callable[[BaseException], None]


class _Relay(QObject):
    """Lives on the UI thread; the worker emits, Qt queues the call back to the UI thread."""

    finished = Signal(int, bool, object)


class _Job(QRunnable):
    def __init__(self, task_id: int, work: Callable[[], Any], relay: _Relay):
        super().__init__()
        self._task_id = task_id
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except BaseException as error:  # every failure must reach the UI, never vanish
            self._relay.finished.emit(self._task_id, False, error)
        else:
            self._relay.finished.emit(self._task_id, True, result)


class TaskRunner(QObject):
    """Runs callables in a thread pool and delivers outcomes on the UI thread."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 4):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple[OnSuccess, OnFailure]] = {}
        self._relay = _Relay(self)
        self._relay.finished.connect(self._deliver)

    def run(
        self,
        work: Callable[[], Any],
        on_success: OnSuccess,
        on_failure: OnFailure,
    ) -> int:
        task_id = next(self._ids)
        self._callbacks[task_id] = (on_success, on_failure)
        self._pool.start(_Job(task_id, work, self._relay))
        return task_id

    def forget(self, task_id: int) -> None:
        """The caller no longer wants this result; it will be dropped when it arrives."""
        self._callbacks.pop(task_id, None)

    def wait_for_all(self, timeout_ms: int = 5000) -> bool:
        """For shutdown and tests only: never call this while the user is waiting."""
        return self._pool.waitForDone(timeout_ms)

    @Slot(int, bool, object)
    def _deliver(self, task_id: int, ok: bool, payload: object) -> None:
        callbacks = self._callbacks.pop(task_id, None)
        if callbacks is None:
            log.info("dropped the late result of task %s", task_id)
            return
        on_success, on_failure = callbacks
        if ok:
            on_success(payload)
        else:
            on_failure(payload)  # type: ignore[arg-type]
