"""Start-up anchor: the desk's first screen written the obvious way — the same widgets (menus,
connection bar, lookup, current values, correction, response tabs, status bar) built eagerly
with plain Qt calls, SVG icons through QIcon, every module imported at the top — shown at the
desk's size until the event loop is idle."""

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from startup_probe import IdleProbe

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"


def icon(name: str) -> QIcon:
    return QIcon(str(ICONS / f"{name}.svg"))


def connection_bar() -> QWidget:
    bar = QFrame()
    row = QHBoxLayout(bar)
    row.addWidget(QLabel("Redemption Desk"))
    switcher = QComboBox()
    switcher.addItems(["EU production", "Manage profiles…"])
    row.addWidget(switcher)
    for text in ("eu.api.capillarytech.com", "store.server", "Password: keyring"):
        row.addWidget(QLabel(text))
    row.addStretch(1)
    row.addWidget(QLabel("Ready"))
    stop = QPushButton(icon("stop"), "Stop waiting")
    stop.hide()
    row.addWidget(stop)
    return bar


def lookup_form() -> QGroupBox:
    box = QGroupBox("Find the redemption")
    grid = QGridLayout(box)
    entity, identifier, key_kind = QComboBox(), QComboBox(), QComboBox()
    entity.addItems(["Customer", "User group", "Fleet"])
    identifier.addItems(["Mobile", "Email", "External ID", "Customer ID", "Card number"])
    key_kind.addItems(["Redemption ID", "External reference"])
    value, key = QLineEdit(), QLineEdit()
    value.setPlaceholderText("e.g. 919800000001")
    key.setPlaceholderText("e.g. NZVAt9 (case-sensitive)")
    grid.addWidget(QLabel("Customer"), 0, 0)
    grid.addWidget(entity, 0, 1)
    grid.addWidget(identifier, 0, 2)
    grid.addWidget(value, 0, 3, 1, 2)
    grid.addWidget(QLabel("Redemption"), 2, 0)
    grid.addWidget(key_kind, 2, 1, 1, 2)
    grid.addWidget(key, 2, 3)
    grid.addWidget(QPushButton(icon("search"), "Look up"), 2, 4)
    return box


def summary() -> QGroupBox:
    box = QGroupBox("Current values")
    QVBoxLayout(box).addWidget(QLabel("Look a redemption up to see its current values."))
    return box


def correction() -> QGroupBox:
    box = QGroupBox("Correction")
    form = QFormLayout(box)
    for label in ("Bill ID", "Bill number", "Purpose"):
        row = QHBoxLayout()
        row.addWidget(QLineEdit())
        revert = QToolButton()
        revert.setIcon(icon("revert"))
        row.addWidget(revert)
        form.addRow(label, row)
    send = QHBoxLayout()
    send.addWidget(QLabel("Look the redemption up first."), 1)
    send.addWidget(QPushButton(icon("send"), "Review and send…"))
    form.addRow(send)
    return box


def response() -> QTabWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    banner = QFrame()
    texts = QVBoxLayout(banner)
    texts.addWidget(QLabel("No update sent yet"))
    texts.addWidget(QLabel("Capillary's answer appears here."))
    layout.addWidget(banner)
    details = QTabWidget()
    table = QTableWidget(0, 3)
    table.setHorizontalHeaderLabels(["Field", "Value", "Meaning"])
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    details.addTab(table, icon("receipt"), "Fields")
    details.addTab(QPlainTextEdit(readOnly=True), icon("terminal"), "Raw")
    layout.addWidget(details, 1)
    buttons = QHBoxLayout()
    buttons.addStretch(1)
    buttons.addWidget(QPushButton(icon("copy"), "Copy response"))
    buttons.addWidget(QPushButton(icon("terminal"), "Copy as curl"))
    layout.addLayout(buttons)
    tabs = QTabWidget()
    tabs.addTab(page, icon("receipt"), "Response")
    tabs.addTab(
        QLabel("The history appears here.", alignment=Qt.AlignmentFlag.AlignCenter),
        icon("history"),
        "History",
    )
    return tabs


app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("Redemption Desk")
for title, actions in (
    ("&File", ("&Profiles…", "&Forget saved password", "&Quit")),
    ("&Desk", ("Go to &lookup", "Review and &send…", "Stop &waiting", "Show &history")),
    ("&Help", ("&Keyboard shortcuts", "&About")),
):
    menu = window.menuBar().addMenu(title)
    for text in actions:
        menu.addAction(QAction(text, window))
left = QWidget()
column = QVBoxLayout(left)
for part in (lookup_form(), summary(), correction()):
    column.addWidget(part)
column.addStretch(1)
scroll = QScrollArea()
scroll.setWidget(left)
scroll.setWidgetResizable(True)
splitter = QSplitter()
splitter.addWidget(scroll)
splitter.addWidget(response())
central = QWidget()
body = QVBoxLayout(central)
body.addWidget(connection_bar())
body.addWidget(splitter, 1)
window.setCentralWidget(central)
window.statusBar().addPermanentWidget(QLabel("Password digest kept in: keyring"))
window.resize(1320, 860)
window.show()
probe = IdleProbe(window, settle=lambda: None, quit=app.quit)
app.exec()
