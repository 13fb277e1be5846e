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
    window.runner.wait_for_all(30000)  # the window's own background warm-up


probe = IdleProbe(window, settle=settle, quit=app.quit)
app.exec()
window.shutdown()
