"""The profile manager's team database: a postgresql:// address, its password to the keyring."""

from __future__ import annotations

from desktop_app.core.team.settings import TeamDatabase
from tests.ui.test_profile_manager import (  # noqa: F401 - fixtures
    open_dialog,
    save,
    saved_file,
    store,
    type_into,
)

TEAM_URI = "postgresql://priya.k@db.example.com:5432/redemption_team"


def test_a_team_database_is_saved_with_the_profile_and_its_password_in_the_keyring(
    qtbot,
    open_dialog,  # noqa: F811
    store,  # noqa: F811
    memory_keyring,
):
    dialog = open_dialog()
    type_into(qtbot, dialog.team_edit, TEAM_URI)
    type_into(qtbot, dialog.team_password_edit, "team-pass-9")
    state = save(qtbot, dialog)

    team = TeamDatabase("db.example.com", "redemption_team", "priya.k")
    assert state.find("Local").team == team
    assert saved_file(store)["profiles"][1]["team"]["host"] == "db.example.com"
    assert "team-pass-9" not in store.path.read_text()
    assert memory_keyring.entries[("redemption-desk", team.keyring_account)] == "team-pass-9"


def test_an_address_with_a_password_is_refused_and_cannot_be_saved(
    qtbot,
    open_dialog,  # noqa: F811
):
    dialog = open_dialog()
    type_into(qtbot, dialog.team_edit, "postgresql://priya.k:hunter2@db.example.com/team")
    assert dialog.team_error.isVisible()
    assert "Leave the password out" in dialog.team_error.text()
    assert not dialog.save_button.isEnabled()
    type_into(qtbot, dialog.team_edit, TEAM_URI)
    assert not dialog.team_error.isVisible() and dialog.save_button.isEnabled()
