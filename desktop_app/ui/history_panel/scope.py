"""The History panel's scope: this desk's own history, or the team's (with an agent filter)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLineEdit, QRadioButton, QWidget

NO_TEAM_TIP = "This profile has no team database (set one in Profiles…)."


class ScopeSwitch(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("historyScope")
        self.desk = QRadioButton("My desk")
        self.desk.setObjectName("historyScopeDesk")
        self.desk.setChecked(True)
        self.team = QRadioButton("Team")
        self.team.setObjectName("historyScopeTeam")
        self.team.setToolTip(NO_TEAM_TIP)
        self.team.setEnabled(False)
        group = QButtonGroup(self)
        group.addButton(self.desk)
        group.addButton(self.team)
        self.agent_edit = QLineEdit()
        self.agent_edit.setObjectName("historyAgentFilter")
        self.agent_edit.setPlaceholderText("Agent (OS user name), Enter to apply")
        self.agent_edit.setAccessibleName("Show only this agent's entries")
        self.agent_edit.setClearButtonEnabled(True)
        self.agent_edit.setVisible(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.desk)
        layout.addWidget(self.team)
        layout.addWidget(self.agent_edit, 1)
        layout.addStretch(0)
        self.team.toggled.connect(self._toggled)
        self.agent_edit.editingFinished.connect(self._agent_finished)
        self._applied_agent = ""

    @property
    def is_team(self) -> bool:
        return self.team.isChecked()

    @property
    def agent(self) -> str:
        return self.agent_edit.text().strip()

    def set_team_available(self, available: bool) -> None:
        self.team.setEnabled(available)
        self.team.setToolTip(
            "The team's shared history, from the team database" if available else NO_TEAM_TIP
        )

    def show_desk(self) -> None:
        self.desk.setChecked(True)

    def _toggled(self, team: bool) -> None:
        self.agent_edit.setVisible(team)
        self._applied_agent = self.agent
        self.changed.emit()

    def _agent_finished(self) -> None:
        if self.is_team and self.agent != self._applied_agent:
            self._applied_agent = self.agent
            self.changed.emit()
