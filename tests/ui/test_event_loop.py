"""The UI thread never waits on the network: while the sandbox holds an update's answer back,
the window keeps taking the agent's typing. (How long the loop ever stalls is a figure of
benchmarks/ui_stall.py, not an assertion here.)"""

from __future__ import annotations

from tests.ui.driver import PASSWORD


def test_the_window_takes_typing_while_a_slow_answer_is_on_its_way(desk):
    desk.look_up("919800000001", "NZVAt9", password=PASSWORD)
    desk.type("billNumberEdit", "bill-slow")
    dialog = desk.open_confirm()
    desk.sandbox.set_fault("delay", seconds=3.0, endpoint="update")
    desk.confirm(dialog)
    desk.qtbot.waitUntil(lambda: desk.find("stopButton").isVisible())
    desk.qtbot.waitUntil(lambda: desk.sandbox.update_count == 1)  # held there for 3 s

    desk.type("identifierValueEdit", "919800000002")  # events handled while the answer waits
    assert desk.window.flows.is_busy(), "the answer came before the typing was handled"

    desk.wait_idle()
    assert desk.banner == "Update applied"
