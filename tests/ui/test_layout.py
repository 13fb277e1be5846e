"""The window on the screens agents have: at 1024×600 and 1366×768, fresh, after a lookup, after
an update (with and without warnings), after an error and with the History tab open, and with
large fonts, every widget of the automation contract that is shown is inside the window, not
covered by another widget, reachable by Tab in the documented order, and nothing has made the
window (or its minimum size) larger than the screen it was sized for."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QScrollArea, QTabWidget, QWidget

from tests.ui.driver import PASSWORD
from tests.ui.test_startup_contract import CONTRACT_NAMES

SCREENS = ((1024, 600), (1366, 768))
LAYOUT_DEPTH = 30  # more than the window's widgets are nested
# The README's order: the three kinds, customer, redemption, Look up, the correction, Send.
TAB_ORDER = (
    "entityTypeCombo",
    "identifierTypeCombo",
    "redemptionKeyCombo",
    "identifierValueEdit",
    "redemptionKeyEdit",
    "lookupButton",
    "billIdEdit",
    "billNumberEdit",
    "purposeEdit",
    "sendButton",
)
RESPONSE_NAMES = ("statusBanner", "responseView", "warningsView")
HISTORY_NAMES = (
    "historySearch",
    "historyKindFilter",
    "historyOutcomeFilter",
    "historyPeriodFilter",
    "historyTable",
    "historyReopen",
    "historyVerify",
    "historyExportCsv",
    "historyExportJson",
    "historyDeleteOld",
)


def window_rect_of(widget: QWidget) -> QRect:
    window = widget.window()
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def problems_of(widget: QWidget) -> list[str]:
    """Why an agent could not see or click all of `widget`, or [] when they can."""
    name = widget.objectName()
    window = widget.window()
    if not widget.isVisible():
        return [f"{name} is hidden"]
    rect = window_rect_of(widget)
    if not window.rect().contains(rect):
        return [f"{name} at {rect} is outside the window {window.rect()}"]
    if widget.visibleRegion().boundingRect() != widget.rect():
        return [f"{name} is cut: only {widget.visibleRegion().boundingRect()} of it shows"]
    inset = rect.adjusted(2, 2, -3, -3)
    problems = []
    for point in (inset.center(), inset.topLeft(), inset.topRight(), inset.bottomLeft()):
        on_top = window.childAt(point)
        if on_top is not widget and not widget.isAncestorOf(on_top):
            covering = on_top.objectName() or type(on_top).__name__
            problems.append(f"{name} is covered at {point.toTuple()} by {covering}")
    return problems


def shown_contract_widgets(window) -> list[QWidget]:
    """The contract widgets the window means to show now (an error label only with an error,
    the Response tab's widgets while that tab is open, the History tab's while it is)."""
    response_open = window.side_tabs.currentIndex() == 0
    names = [n for n in CONTRACT_NAMES if n not in RESPONSE_NAMES or response_open]
    if not response_open:
        names += HISTORY_NAMES
    widgets = [window.findChild(QWidget, name) for name in names]
    always = (*TAB_ORDER, *HISTORY_NAMES)
    return [w for w in widgets if w.objectName() in always or w.isVisibleTo(window)]


def tab_through(desk) -> list[str]:
    """Presses Tab from the first field on, and returns the contract names focused in turn,
    checking each one is fully shown (scrolled into view) when it has the focus."""
    window = desk.window
    window.activateWindow()
    desk.qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    first = desk.find(TAB_ORDER[0])
    first.setFocus()
    desk.qtbot.waitUntil(first.hasFocus)
    reached, problems = [], []
    for _ in range(40):
        focused = QApplication.focusWidget()
        owner = next(
            (w for w in map(desk.find, TAB_ORDER) if w is focused or w.isAncestorOf(focused)),
            None,
        )
        if owner is not None and owner.objectName() not in reached:
            reached.append(owner.objectName())
            problems += [f"on Tab: {p}" for p in problems_of(owner)]
        desk.qtbot.keyClick(focused, Qt.Key.Key_Tab)
        QApplication.processEvents()  # what the event loop does between two key presses
    assert problems == []
    return reached


def expected_order(window) -> list[str]:
    return [name for name in TAB_ORDER if window.findChild(QWidget, name).isEnabled()]


def settle_layouts() -> None:
    """Delivers the layout requests a change posted, level by level up to the window (which
    then takes its new minimum size), as the event loop does before the next paint."""
    for _ in range(LAYOUT_DEPTH):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QApplication.processEvents()


def scroll_into_view(widget: QWidget) -> None:
    """Below the fold of the form or the answer: the agent scrolls it to the top."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea) and parent.widget().isAncestorOf(widget):
            top = widget.mapTo(parent.widget(), QPoint(0, 0)).y()
            parent.verticalScrollBar().setValue(top - 8)
        parent = parent.parentWidget()


def check(desk, size: tuple[int, int]) -> None:
    window = desk.window
    settle_layouts()
    smallest = window.minimumSizeHint()
    assert smallest.width() <= size[0] and smallest.height() <= size[1], smallest
    assert (window.width(), window.height()) == size, "something made the window larger"
    problems = []
    for widget in shown_contract_widgets(window):
        scroll_into_view(widget)
        problems += problems_of(widget)
    assert problems == []
    assert tab_through(desk) == expected_order(window)


def open_at(open_desk, qtbot, size):
    """The window at `size`, once its start-up work has installed the History tab (whose
    page also counts in the answer pane's minimum size)."""
    desk = open_desk()
    desk.window.resize(*size)
    qtbot.waitUntil(lambda: (desk.window.width(), desk.window.height()) == size)
    qtbot.waitUntil(lambda: desk.window.history_panel is not None)
    return desk


def updated(desk, redemption_id: str, bill_number: str):
    """`desk` after looking the redemption up and sending a new bill number for it."""
    desk.look_up("919800000001", redemption_id, password=PASSWORD)
    desk.type("billNumberEdit", bill_number)
    desk.send()
    return desk


@pytest.mark.parametrize("size", SCREENS)
def test_a_fresh_window_shows_the_whole_form(open_desk, qtbot, size):
    check(open_at(open_desk, qtbot, size), size)


@pytest.mark.parametrize("size", SCREENS)
def test_after_a_lookup_every_field_is_reachable(open_desk, qtbot, size):
    desk = open_at(open_desk, qtbot, size)
    desk.look_up("919800000001", "WaRn01", password=PASSWORD)
    check(desk, size)


@pytest.mark.parametrize("size", SCREENS)
def test_after_an_update_the_answer_fits_without_growing_the_window(open_desk, qtbot, size):
    desk = updated(open_at(open_desk, qtbot, size), "NZVAt9", "bill-new-77")
    assert desk.banner == "Update applied"
    assert desk.find("answerTitle").isVisibleTo(desk.window)
    check(desk, size)


@pytest.mark.parametrize("size", SCREENS)
def test_after_an_update_with_warnings_the_answer_fits_too(open_desk, qtbot, size):
    desk = updated(open_at(open_desk, qtbot, size), "WaRn01", "POS-7781-0424")
    assert desk.banner.startswith("Update applied, with 1 warning")
    assert desk.find("warningsView").isVisibleTo(desk.window)
    desk.find("responseTabs", QTabWidget).setCurrentIndex(1)  # the Raw tab's two views, too
    check(desk, size)


@pytest.mark.parametrize("size", SCREENS)
def test_after_an_error_the_explanation_and_the_form_both_show(open_desk, qtbot, size):
    desk = open_at(open_desk, qtbot, size)
    desk.look_up("919800000001", "FaiL50", password=PASSWORD)
    desk.type("purposeEdit", "pos outage refund")
    desk.send()
    assert desk.banner.startswith("Update failed")
    desk.type("billIdEdit", "12a")
    assert desk.find("billIdError").isVisibleTo(desk.window)
    check(desk, size)


def with_history_open(desk):
    """`desk` after a lookup, with the History tab open and showing that lookup."""
    desk.look_up("919800000001", "NZVAt9", password=PASSWORD)
    desk.window.history_action.trigger()
    desk.qtbot.waitUntil(lambda: desk.window.history_panel is not None)
    desk.qtbot.waitUntil(lambda: desk.window.history_panel.model.rowCount() == 1)
    assert desk.find("sideTabs", QTabWidget).currentWidget() is desk.window.history_panel
    return desk


@pytest.mark.parametrize("size", SCREENS)
def test_with_the_history_tab_open_the_form_still_shows(open_desk, qtbot, size):
    check(with_history_open(open_at(open_desk, qtbot, size)), size)


def test_the_history_tab_keeps_the_panes_side_by_side_at_1024_pixels(open_desk, qtbot):
    size = SCREENS[0]
    desk = with_history_open(open_at(open_desk, qtbot, size))
    # The agent drags the window's edge: the panes are arranged again for the new width.
    for width in (size[0] - 1, size[0]):
        desk.window.resize(width, size[1])
        settle_layouts()
    assert not desk.window.splitter.is_stacked(), "the History page pushed the answer under"
    check(desk, size)


@pytest.fixture(params=(1.25, 1.5))
def large_font_right_to_left(qapp, request):
    """The accessibility settings agents use: a font 1.25 or 1.5 times larger, right-to-left."""
    font, direction = qapp.font(), qapp.layoutDirection()
    larger = qapp.font()
    larger.setPointSizeF(font.pointSizeF() * request.param)
    qapp.setFont(larger)
    qapp.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    yield
    qapp.setFont(font)
    qapp.setLayoutDirection(direction)


def test_large_fonts_and_right_to_left_stack_the_answer_under_the_form(
    large_font_right_to_left, open_desk, qtbot
):
    size = SCREENS[0]
    desk = open_at(open_desk, qtbot, size)
    assert desk.window.splitter.is_stacked()  # the form and the answer no longer fit side by side
    desk.look_up("919800000001", "NZVAt9", password=PASSWORD)
    check(desk, size)


def test_with_large_fonts_an_answer_with_warnings_leaves_the_form_most_of_the_height(
    large_font_right_to_left, open_desk, qtbot
):
    size = SCREENS[0]
    desk = updated(open_at(open_desk, qtbot, size), "WaRn01", "POS-7781-0424")
    assert desk.find("warningsView").isVisibleTo(desk.window)
    desk.find("responseTabs", QTabWidget).setCurrentIndex(1)  # the Raw tab's two views, too
    check(desk, size)
    form, answer = desk.window.splitter.sizes()
    assert form > answer, "the answer under the form took most of the height"


def test_the_first_window_fits_the_screen_it_opens_on(open_desk):
    desk = open_desk()
    free = desk.window.screen().availableGeometry()
    frame = desk.window.frameGeometry()
    assert desk.window.width() <= free.width() and desk.window.height() <= free.height()
    assert free.contains(QRect(desk.window.pos(), desk.window.size())), (free, frame)


def test_with_large_fonts_the_history_tab_keeps_the_window_600_pixels_tall(
    large_font_right_to_left, open_desk, qtbot
):
    size = SCREENS[0]
    desk = with_history_open(open_at(open_desk, qtbot, size))
    desk.window.history_panel.table.selectRow(0)  # its details shown too
    check(desk, size)  # the History page scrolls instead of growing the window
