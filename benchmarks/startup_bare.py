"""Start-up baseline: a bare PySide6 QMainWindow, shown, until the event loop is idle."""

import sys

from PySide6.QtWidgets import QApplication, QMainWindow
from startup_probe import IdleProbe

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.show()
probe = IdleProbe(window, settle=lambda: None, quit=app.quit)
app.exec()
