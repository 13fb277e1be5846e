"""The History panel (`historyView`): `HistoryPanel(store, runner, parent=None)`."""

from desktop_app.ui.history_panel.panel import HistoryPanel

__all__ = ["HistoryPanel"]
