"""The desk's log file, opened off the UI thread a moment after the window first shows.

Importing logging.handlers (socket, pickle) and opening the file costs ~10 ms that the first
paint should not wait for. The handler is removed again when the window shuts down, so a second
window (or the next test) starts from a clean root logger.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer

from desktop_app import __version__

log = logging.getLogger(__name__)

# Later than the window's own warm-up starts, so the two imports do not compete with painting.
OPEN_DELAY_MS = 500


class LogFile:
    def __init__(self, log_dir: Path):
        self._log_dir = Path(log_dir)
        self._lock = threading.Lock()
        self._handler: logging.Handler | None = None
        self._closed = False

    def open_later(self, window: Any) -> None:
        """Opens the log in a job of `window.runner` after OPEN_DELAY_MS; says on the status bar
        when there can be no log file. Closed by the window's shutdown."""
        window.add_cleanup(self.close)
        QTimer.singleShot(
            OPEN_DELAY_MS,
            window,
            lambda: window.runner.run(
                self.open,
                lambda notice: notice and window.notify(notice, 0),
                lambda error: window.notify(f"No log file: {error}", 0),
            ),
        )

    def open(self) -> str | None:
        """Blocks (imports, disk): call it from a worker. Returns a notice for the agent, if any."""
        from desktop_app.core.logging_setup import configure_logging

        with self._lock:
            if self._closed:  # the window shut down before the job ran
                return None
            setup = configure_logging(self._log_dir)
            self._handler = setup.handler
        if setup.handler is not None:
            log.info("Redemption Desk %s: logging to %s", __version__, setup.path)
        return setup.notice

    def close(self) -> None:
        with self._lock:
            self._closed = True
            handler, self._handler = self._handler, None
        if handler is not None:
            logging.getLogger().removeHandler(handler)
            handler.close()
