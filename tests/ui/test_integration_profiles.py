"""Profiles and the log as app.py wires them: the real start-up (`build_window`), the switcher in
the connection bar, File → Profiles…, and lookups that go where the chosen profile points."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QLineEdit, QPushButton

from desktop_app.core.credentials import SERVICE
from desktop_app.core.logging_setup import LOG_FILE_NAME
from desktop_app.core.profiles import Profile, ProfilesState, ProfileStore
from desktop_app.sandbox import DEMO_USERNAME, NO_ACCESS_USERNAME, Sandbox
from tests.ui.driver import PASSWORD, Desk

ASHA_MOBILE = "919800000001"
CUT_OFF_PROFILES = b'{"profiles": [{"name": "EU production", "base_url": "https://eu.api'


@pytest.fixture
def start(open_desk):
    """The desk as an agent starts it: no --base-url, so the saved profiles decide."""
    return lambda *argv: open_desk(*argv, connect=False)


@pytest.fixture
def second_sandbox():
    with Sandbox() as server:
        yield server


def save_profiles(tmp_path, *profiles: Profile, default: str | None = None) -> None:
    assert ProfileStore(tmp_path / "profiles.json").save(ProfilesState(profiles, default)) is None


def bar(desk: Desk) -> tuple[str, str]:
    return desk.label("hostLabel"), desk.label("tillLabel")


def switch_with_keyboard(desk: Desk, down: int) -> None:
    switcher = desk.find("profileSwitcher", QComboBox)
    switcher.setFocus()
    for _ in range(down):
        desk.qtbot.keyClick(switcher, Qt.Key.Key_Down)


def type_into(desk: Desk, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    desk.qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    desk.qtbot.keyClicks(edit, text)


def save_in_manager(desk: Desk, dialog: QDialog) -> None:
    desk.click(dialog.findChild(QPushButton, "saveProfilesButton"))
    desk.qtbot.waitUntil(lambda: desk.visible_dialog("profileManagerDialog") is None)


def host_of(sandbox) -> str:
    return sandbox.base_url.removeprefix("http://")


# --- the first start ------------------------------------------------------------------------


def test_the_first_start_opens_the_manager_and_its_profile_is_used(start, sandbox, tmp_path):
    desk = start()
    dialog = desk.visible_dialog("profileManagerDialog")
    assert dialog is not None, "the first start without profiles must open the profile manager"
    assert desk.send_button.toolTip().startswith("Choose a connection profile")

    cluster = dialog.findChild(QComboBox, "clusterCombo")  # its first profile is started
    cluster.setCurrentIndex(cluster.findText("Custom URL"))
    type_into(desk, dialog.findChild(QLineEdit, "urlEdit"), sandbox.base_url)
    type_into(desk, dialog.findChild(QLineEdit, "usernameEdit"), DEMO_USERNAME)
    type_into(desk, dialog.findChild(QLineEdit, "nameEdit"), "Sandbox till")
    save_in_manager(desk, dialog)

    assert desk.find("profileSwitcher", QComboBox).currentText() == "Sandbox till"
    assert bar(desk) == (host_of(sandbox), DEMO_USERNAME)
    saved = ProfileStore(tmp_path / "profiles.json").load()
    assert saved.names == ("Sandbox till",) and saved.notice is None
    desk.look_up(ASHA_MOBILE, "NZVAt9", password=PASSWORD)
    assert desk.label("summaryRedemptionId") == "NZVAt9"


@pytest.mark.parametrize("how", ["--demo", "--base-url"])
def test_demo_and_base_url_never_open_the_manager(start, sandbox, how):
    argv = ["--demo"] if how == "--demo" else ["--base-url", sandbox.base_url, "--username"]
    desk = start(*argv) if how == "--demo" else start(*argv, DEMO_USERNAME)

    assert desk.visible_dialog("profileManagerDialog") is None
    switcher = desk.find("profileSwitcher", QComboBox)
    assert switcher.isVisible() is (how == "--base-url")  # the demo has its badge instead
    profile_label = desk.find("profileLabel", QLabel)
    assert profile_label.isVisible() is (how == "--demo")  # else the switcher names it
    if how == "--base-url":
        assert switcher.currentIndex() == -1
        assert switcher.placeholderText() == "command line"
        assert bar(desk) == (host_of(sandbox), DEMO_USERNAME)


def test_a_broken_profiles_file_is_reported_kept_aside_and_the_manager_opens(start, tmp_path):
    (tmp_path / "profiles.json").write_bytes(CUT_OFF_PROFILES)
    desk = start()

    message = desk.window.statusBar().currentMessage()
    assert "profiles.json.broken-" in message, message
    kept = list(tmp_path.glob("profiles.json.broken-*"))
    assert [path.read_bytes() for path in kept] == [CUT_OFF_PROFILES]
    dialog = desk.visible_dialog("profileManagerDialog")
    assert dialog is not None  # nothing usable is left: the agent sets a profile up again
    assert "profiles.json.broken-" in dialog.findChild(QLabel, "profilesNotice").text()


# --- choosing, renaming and forgetting ------------------------------------------------------


def test_choosing_a_profile_changes_the_bar_and_the_next_lookup_goes_there(
    start, sandbox, second_sandbox, tmp_path
):
    first = Profile("First", sandbox.base_url, NO_ACCESS_USERNAME)
    second = Profile("Second", second_sandbox.base_url, DEMO_USERNAME)
    save_profiles(tmp_path, first, second, default="First")
    desk = start()
    assert desk.visible_dialog("profileManagerDialog") is None
    assert bar(desk) == (host_of(sandbox), NO_ACCESS_USERNAME)

    switch_with_keyboard(desk, 1)

    assert desk.find("profileSwitcher", QComboBox).currentText() == "Second"
    assert bar(desk) == (host_of(second_sandbox), DEMO_USERNAME)
    assert "Second" in desk.window.windowTitle()
    desk.look_up(ASHA_MOBILE, "NZVAt9", password=PASSWORD)
    assert desk.label("summaryRedemptionId") == "NZVAt9"
    assert [r.method for r in second_sandbox.received] == ["GET"]
    assert sandbox.received == []


def test_renaming_the_profile_in_use_keeps_using_it(start, sandbox, second_sandbox, tmp_path):
    first = Profile("First", sandbox.base_url, DEMO_USERNAME)
    second = Profile("Second", second_sandbox.base_url, DEMO_USERNAME)
    save_profiles(tmp_path, first, second, default="First")
    desk = start()
    switch_with_keyboard(desk, 1)
    assert desk.window.connection.profile_name == "Second"

    desk.window.profiles_action.trigger()
    dialog = desk.wait_dialog("profileManagerDialog")
    dialog.profile_list.setCurrentRow(1)  # it opens on the default, First
    type_into(desk, dialog.findChild(QLineEdit, "nameEdit"), "Second, renamed")
    save_in_manager(desk, dialog)

    assert desk.window.connection.profile_name == "Second, renamed"
    assert bar(desk) == (host_of(second_sandbox), DEMO_USERNAME)
    assert desk.find("profileSwitcher", QComboBox).currentText() == "Second, renamed"


def test_forget_saved_password_in_the_menu_makes_the_next_lookup_ask(open_desk, memory_keyring):
    desk = open_desk()
    desk.look_up(ASHA_MOBILE, "NZVAt9", password=PASSWORD)
    account = (SERVICE, f"{desk.window.connection.host}|{DEMO_USERNAME}")
    assert account in memory_keyring.entries
    desk.look_up(ASHA_MOBILE, "sTDVyi")  # saved: no prompt
    assert desk.label("summaryRedemptionId") == "sTDVyi"

    desk.window.forget_action.trigger()
    desk.qtbot.waitUntil(
        lambda: "Forgot the saved password" in desk.window.statusBar().currentMessage()
    )
    assert account not in memory_keyring.entries

    desk.fill_lookup(ASHA_MOBILE, "NZVAt9")
    desk.click(desk.find("lookupButton"))
    desk.answer_credentials(PASSWORD)
    desk.wait_idle()
    assert desk.label("summaryRedemptionId") == "NZVAt9"


def test_forget_saved_password_in_the_manager_makes_the_next_lookup_ask(
    start, sandbox, tmp_path, memory_keyring
):
    save_profiles(tmp_path, Profile("Sandbox till", sandbox.base_url, DEMO_USERNAME))
    desk = start()
    desk.look_up(ASHA_MOBILE, "NZVAt9", password=PASSWORD)
    assert len(memory_keyring.entries) == 1

    desk.window.profiles_action.trigger()
    dialog = desk.wait_dialog("profileManagerDialog")
    desk.click(dialog.findChild(QPushButton, "forgetPasswordButton"))
    result = dialog.findChild(QLabel, "forgetResult")
    desk.qtbot.waitUntil(result.isVisible)
    assert result.text().startswith("No password is saved any more")
    assert memory_keyring.entries == {}
    dialog.reject()

    desk.fill_lookup(ASHA_MOBILE, "sTDVyi")
    desk.click(desk.find("lookupButton"))
    desk.answer_credentials(PASSWORD)
    desk.wait_idle()
    assert desk.label("summaryRedemptionId") == "sTDVyi"


# --- the log ------------------------------------------------------------------------------


def test_the_desk_writes_its_log_and_lets_go_of_it_when_closed(start, tmp_path):
    def ours():
        return [h for h in logging.getLogger().handlers if getattr(h, "_redemption_desk", False)]

    desk = start("--demo")
    log_file = tmp_path / "logs" / LOG_FILE_NAME
    desk.qtbot.waitUntil(lambda: log_file.exists() and "logging to" in log_file.read_text())
    assert len(ours()) == 1

    desk.window.close()
    assert ours() == []


def test_a_profile_saved_in_the_demo_says_how_to_use_it(start):
    desk = start("--demo")
    desk.window.profiles_action.trigger()
    dialog = desk.wait_dialog("profileManagerDialog")
    type_into(desk, dialog.findChild(QLineEdit, "usernameEdit"), DEMO_USERNAME)
    save_in_manager(desk, dialog)
    message = desk.window.statusBar().currentMessage()
    assert "without --demo" in message and "“New profile”" in message
    assert desk.window.connection.is_demo  # the demo window stays the demo
