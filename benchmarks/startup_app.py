"""Start-up of the desk: `build_window(argv)` as `main()` does, until the event loop is idle.

    python benchmarks/startup_app.py --base-url http://127.0.0.1:9 --username x --data-dir DIR
"""

import sys

from PySide6.QtWidgets import QApplication
from startup_probe import IdleProbe

from desktop_app.app import build_window

window = build_window(sys.argv[1:])
app = QApplication.instance()


def settle() -> None:
    # The window's background warm-up (httpx, keyring, history) starts a moment after the first
    # paint; start it now and wait for it, so the settled figures include everything it loads.
    window.start_warm_up()
    window.runner.wait_for_all(30000)


probe = IdleProbe(window, settle=settle, quit=app.quit)
app.exec()
window.shutdown()
