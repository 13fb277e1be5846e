"""Start-up baseline: a bare PySide6 QMainWindow with a label, at the desk's size, shown, until
the event loop is idle."""

import sys

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
from startup_probe import IdleProbe

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("Redemption Desk"))
window.resize(1320, 860)
window.show()
probe = IdleProbe(window, settle=lambda: None, quit=app.quit)
app.exec()
