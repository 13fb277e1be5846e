"""The administrator's command for the team database: `python -m desktop_app.team migrate URI`."""
