"""Start-up of the desk: `build_window(argv)` as `main()` does, until the event loop is idle.

    python benchmarks/startup_app.py --base-url http://127.0.0.1:9 --username x --data-dir DIR

Imports in the order `python -m desktop_app` does: the app module first, Qt inside build_window.
"""

import sys
import time

from desktop_app.app import build_window

window = build_window(sys.argv[1:])

from PySide6.QtWidgets import QApplication  # noqa: E402 - after build_window, as in the app
from startup_probe import IdleProbe  # noqa: E402

app = QApplication.instance()


def settle() -> None:
    # Work queued for after the first paint (--demo's sandbox start) and the background warm-up
    # (httpx, keyring, history; it starts a moment after the first paint) are started now and
    # waited for, so the settled figures include everything they load.
    from PySide6.QtCore import QEventLoop

    waited = time.monotonic()
    while window.connection is not None and window.connection.starting:
        if time.monotonic() - waited > 30:
            raise RuntimeError("the demo sandbox did not start")
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    window.start_warm_up()
    window.runner.wait_for_all(30000)
    app.processEvents()  # their results (e.g. the History tab) are applied on this thread


probe = IdleProbe(window, settle=settle, quit=app.quit)
app.exec()
window.shutdown()
