"""The window's share of the team database: the delivery status in the status bar, the History
panel's Team scope, and the "changed by another agent" notice above the correction form.

The desk layer does the work (desk/team_link.py); this only starts it off the UI thread and
shows what it reports. The worker thread's status arrives through a queued signal.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStatusBar, QWidget

from desktop_app.desk.session import Connection, DeskServices
from desktop_app.ui.tasks import TaskRunner
from desktop_app.ui.widgets import ElidedLabel, role_label

log = logging.getLogger(__name__)


class TeamView(QObject):
    status_arrived = Signal(str)  # emitted on the delivery thread, shown on the UI thread

    def __init__(self, services: DeskServices, runner: TaskRunner, status_bar: QStatusBar):
        super().__init__(status_bar)
        self._services = services
        self._runner = runner
        self._panel: Any = None
        self._team: Any = None
        self.status = ElidedLabel(min_chars=30)  # never crowds out the status bar's notices
        self.status.setObjectName("teamDeliveryStatus")
        self.status.setAccessibleName("Team database deliveries")
        self.status.setWordWrap(False)
        self.status.hide()
        status_bar.addPermanentWidget(self.status)
        self.changes = role_label("", "notice", selectable=True)
        self.changes.setObjectName("teamChangeNotice")
        self.changes.setAccessibleName("Recent changes by other agents")
        self.changes.hide()
        self.status_arrived.connect(self._show_status)

    def connection_changed(self, connection: Connection | None) -> None:
        """Starts (or stops) delivering to the connection's team database, off the UI thread."""
        team = connection.team if connection is not None else None
        if team == self._team:
            return
        self._team = team
        self.show_changes(())
        self._runner.run(
            partial(self._services.use_team, team, self._status_from_worker),
            lambda _done: self._linked(team),
            lambda error: self._show_status(f"The team database could not be set up: {error}"),
        )

    def panel_installed(self, panel: QWidget) -> None:
        self._panel = panel
        self._give_panel_its_source()

    def show_changes(self, changes: tuple[str, ...]) -> None:
        """After a lookup: what other agents changed on this redemption lately (or nothing)."""
        self.changes.setText("\n".join(changes))
        self.changes.setVisible(bool(changes))

    def _status_from_worker(self, status: Any) -> None:
        try:
            self.status_arrived.emit(status.text)
        except RuntimeError:  # the window is gone; deliveries carry on until the desk closes
            log.debug("team status after the window closed")

    def _show_status(self, text: str) -> None:
        self.status.setText(text)  # the tooltip holds all of it
        self.status.setVisible(bool(text))

    def _linked(self, team: Any) -> None:
        if team == self._team:
            self._give_panel_its_source()

    def _give_panel_its_source(self) -> None:
        setter = getattr(self._panel, "set_team_source", None)
        if setter is None:
            return
        link = self._services.team()
        if link is None:
            setter(None)
            return
        from desktop_app.desk.team_link import TeamHistory

        setter(TeamHistory(link))
