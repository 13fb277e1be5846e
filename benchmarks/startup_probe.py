"""Imported by both start-up children: reports when a window has painted and the event loop is
idle again, how long that took since the parent started the process, and the peak RSS.

Only the standard library and PySide6.QtCore, so both children pay the same for it. The parent
puts its CLOCK_MONOTONIC reading (ns) in BENCH_STARTED_NS just before starting the process;
that clock is system-wide on Linux, so the difference is the real start-up time.
"""

from __future__ import annotations

import json
import os
import resource
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer


def _since_start_ms() -> float:
    return (time.monotonic_ns() - int(os.environ["BENCH_STARTED_NS"])) / 1e6


def _peak_rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


class IdleProbe(QObject):
    """On the window's first paint, queues a call behind everything already pending: when it
    runs, the window is shown and the event loop idle. Prints one JSON line, then quits."""

    def __init__(self, window, settle: Callable[[], None], quit: Callable[[], None]):
        super().__init__()
        self._painted_ms: float | None = None
        self._settle = settle
        self._quit = quit
        window.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint and self._painted_ms is None:
            self._painted_ms = _since_start_ms()
            QTimer.singleShot(0, self._idle)
        return False

    def _idle(self) -> None:
        figures = {"painted_ms": self._painted_ms, "idle_ms": _since_start_ms()}
        figures["rss_idle_kb"] = _peak_rss_kb()
        self._settle()  # background start-up work, if any, finishes
        figures["rss_settled_kb"] = _peak_rss_kb()
        print(json.dumps(figures), flush=True)
        self._quit()
