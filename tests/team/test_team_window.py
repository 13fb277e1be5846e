"""The window with a team database: the notice before editing, the History tab's Team scope,
and the status bar while deliveries wait."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QRadioButton, QTableView

from desktop_app.core.history import redemption_values
from desktop_app.core.model import MetadataChange
from desktop_app.core.profiles import Profile
from desktop_app.core.team.settings import TeamDatabase
from desktop_app.sandbox import DEMO_USERNAME
from desktop_app.ui.history_panel.model import AGENT, TIME
from tests.team.cluster import free_port
from tests.team.desk_calls import Desk as AgentDesk
from tests.ui.conftest import open_desk  # noqa: F401 - the window fixture
from tests.ui.driver import PASSWORD


def write_profile(folder, base_url: str, team) -> None:
    profile = Profile("Team sandbox", base_url, DEMO_USERNAME, team)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "profiles.json").write_text(
        json.dumps({"version": 1, "default": profile.name, "profiles": [profile.to_json()]})
    )


def test_another_agents_change_shows_before_editing_and_team_rows_in_history(
    open_desk,  # noqa: F811
    team_database,
    sandbox,
    tmp_path,
    qtbot,
):
    priya = AgentDesk(tmp_path / "priya", "priya.k", sandbox.base_url, team_database)
    try:
        found = priya.look_up("NZVAt9")
        priya.update(
            "NZVAt9", redemption_values(found.value), MetadataChange(bill_number="bill-new-78")
        )
        assert priya.wait_until_delivered()
    finally:
        priya.close()

    write_profile(tmp_path / "me", sandbox.base_url, team_database)
    desk = open_desk(data_dir=tmp_path / "me", connect=False)
    notice = desk.find("teamChangeNotice", QLabel)
    assert not notice.isVisible()
    desk.look_up("919800000001", "NZVAt9")  # the till digest is in the keyring already
    qtbot.waitUntil(notice.isVisible, timeout=20000)
    assert notice.text().startswith("Changed by priya.k at ")
    assert notice.text().endswith("— bill number: bill-old-77 → bill-new-78")
    assert desk.edit("billNumberEdit").text() == "bill-new-78"  # the form shows the server's

    qtbot.waitUntil(lambda: desk.window.history_panel is not None, timeout=20000)
    team_scope = desk.find("historyScopeTeam", QRadioButton)
    qtbot.waitUntil(team_scope.isEnabled, timeout=20000)
    assert desk.window.services.team().worker.wait_until_delivered(60)  # my lookup, too
    table = desk.find("historyTable", QTableView)
    assert table.isColumnHidden(AGENT)  # my desk: every row is mine
    team_scope.setChecked(True)
    qtbot.waitUntil(lambda: table.model().rowCount() == 3, timeout=20000)  # 2 of priya's, 1 mine
    assert not table.isColumnHidden(AGENT) and table.columnWidth(AGENT) > 0
    header = table.horizontalHeader()
    assert header.visualIndex(AGENT) == header.visualIndex(TIME) + 1  # right after the time
    assert table.model().headerData(AGENT, Qt.Orientation.Horizontal) == "Agent"
    me = desk.window.services.history().os_user
    shown = sorted(table.model().index(row, AGENT).data() for row in range(3))
    mine, priyas = f"{me} ({DEMO_USERNAME})", f"priya.k ({DEMO_USERNAME})"
    assert shown == sorted([priyas, priyas, mine])
    assert not desk.find("historyDeleteOld", QPushButton).isVisible()
    agent = desk.edit("historyAgentFilter")
    agent.setText("priya.k")
    agent.editingFinished.emit()
    qtbot.waitUntil(lambda: table.model().rowCount() == 2, timeout=20000)
    desk.find("historyScopeDesk", QRadioButton).setChecked(True)
    qtbot.waitUntil(lambda: table.model().rowCount() == 1, timeout=20000)  # my own lookup
    assert table.isColumnHidden(AGENT)


def test_the_status_bar_says_when_deliveries_wait_and_why(
    open_desk,  # noqa: F811
    sandbox,
    tmp_path,
    qtbot,
):
    nowhere = TeamDatabase("127.0.0.1", "team", "priya.k", port=free_port())  # nothing listens
    write_profile(tmp_path, sandbox.base_url, nowhere)
    desk = open_desk(data_dir=tmp_path, connect=False)
    status = desk.find("teamDeliveryStatus", QLabel)
    desk.look_up("919800000001", "NZVAt9", password=PASSWORD)
    assert desk.find("billNumberEdit").text() == "bill-old-77"  # the lookup did not wait for it
    qtbot.waitUntil(status.isVisible, timeout=40000)
    assert status.text().startswith(
        "1 history entry queued for the team database: the team database cannot be reached"
    )
