"""Start-up of the desk: `build_window(argv)` as `main()` does, until the event loop is idle.

    python benchmarks/startup_app.py --base-url http://127.0.0.1:9 --username x --data-dir DIR

Imports in the order `python -m desktop_app` does: the app module first, Qt inside build_window.
"""

import sys

from desktop_app.app import build_window

window = build_window(sys.argv[1:])

from PySide6.QtWidgets import QApplication  # noqa: E402 - after build_window, as in the app
from startup_probe import IdleProbe  # noqa: E402

app = QApplication.instance()


def settle() -> None:
    # The window's background warm-up (httpx, keyring, history) starts a moment after the first
    # paint; start it now and wait for it, so the settled figures include everything it loads.
    window.start_warm_up()
    window.runner.wait_for_all(30000)
    app.processEvents()  # its results (e.g. the History tab) are applied on this thread


probe = IdleProbe(window, settle=settle, quit=app.quit)
app.exec()
window.shutdown()
