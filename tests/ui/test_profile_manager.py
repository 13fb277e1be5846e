"""The profile manager as an agent uses it: typing, clicking, and what ends up in the file."""

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop_app.core.credentials import SERVICE, SecretStore
from desktop_app.core.profiles import CLUSTER_PRESETS, Profile, ProfilesState, ProfileStore
from desktop_app.ui.profile_manager import ProfileManagerDialog, ProfileSwitcher

EUROPE = Profile("Europe till", "https://eu.api.capillarytech.com", "store.server")
LOCAL = Profile("Local", "http://127.0.0.1:8080", "store.local")
DIGEST = "8a16a6b70505eb1f1ff7cdc0cd5559a7"
TWO_PROFILES = ProfilesState((EUROPE, LOCAL), default_name="Local")


@pytest.fixture
def store(tmp_path):
    return ProfileStore(tmp_path / "profiles.json")


@pytest.fixture
def open_dialog(qtbot, store):
    def opener(state=TWO_PROFILES, **kwargs):
        dialog = ProfileManagerDialog(store, state, **kwargs)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    return opener


def list_texts(dialog):
    return [dialog.profile_list.item(i).text() for i in range(dialog.profile_list.count())]


def type_into(qtbot, edit, text):
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, text)


def save(qtbot, dialog):
    with qtbot.waitSignal(dialog.profilesSaved) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    return saved.args[0]


def saved_file(store):
    return json.loads(store.path.read_text(encoding="utf-8"))


def test_it_opens_on_the_default_profile_with_the_default_marked(open_dialog):
    dialog = open_dialog()

    assert list_texts(dialog) == ["Europe till", "Local  (default)"]
    assert dialog.name_edit.text() == "Local"
    assert dialog.cluster_combo.currentText() == "Custom URL"
    assert dialog.url_edit.text() == "http://127.0.0.1:8080"
    assert not dialog.default_button.isEnabled()  # it already is the default


def test_adding_a_profile_asks_for_the_till_user_before_it_can_be_saved(qtbot, open_dialog, store):
    dialog = open_dialog()

    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)

    assert dialog.name_edit.text() == "New profile"
    assert dialog.url_edit.text() == "https://eu.api.capillarytech.com"
    assert dialog.username_error.isVisible()
    assert "Enter the till user name" in dialog.username_error.text()
    assert not dialog.save_button.isEnabled()

    type_into(qtbot, dialog.name_edit, "US store 7")
    dialog.cluster_combo.setCurrentIndex(dialog.cluster_combo.findData(CLUSTER_PRESETS["US"]))
    qtbot.keyClicks(dialog.username_edit, "store.seven")

    assert not dialog.username_error.isVisible()
    assert dialog.save_button.isEnabled()
    state = save(qtbot, dialog)

    us = Profile("US store 7", "https://us.api.capillarytech.com", "store.seven")
    assert state.profiles == (EUROPE, LOCAL, us)
    assert saved_file(store)["profiles"][2] == us.to_json()
    assert ProfileStore(store.path).load().default == LOCAL
    assert not dialog.isVisible()


def test_a_preset_fills_the_address_and_a_custom_url_is_typed(qtbot, open_dialog):
    dialog = open_dialog()
    dialog.profile_list.setCurrentRow(0)
    assert dialog.cluster_combo.currentData() == "https://eu.api.capillarytech.com"
    assert dialog.url_edit.isReadOnly()

    dialog.cluster_combo.setCurrentIndex(dialog.cluster_combo.count() - 1)

    assert not dialog.url_edit.isReadOnly()
    assert dialog.url_edit.text() == ""
    assert "Choose a cluster" in dialog.url_error.text()
    qtbot.keyClicks(dialog.url_edit, "http://gateway.example.com")
    assert "Use https://" in dialog.url_error.text()
    assert not dialog.save_button.isEnabled()
    assert "Use https://" in dialog.profile_list.item(0).toolTip()  # the list flags it too

    type_into(qtbot, dialog.url_edit, "https://gateway.example.com/capillary/")

    assert not dialog.url_error.isVisible()
    assert save(qtbot, dialog).profiles[0].base_url == "https://gateway.example.com/capillary"


@pytest.mark.parametrize("url", ["http://127.0.0.1:5000", "http://localhost:5000", "http://[::1]"])
def test_plain_http_is_fine_to_this_computer(qtbot, open_dialog, url):
    dialog = open_dialog()
    dialog.profile_list.setCurrentRow(1)

    type_into(qtbot, dialog.url_edit, url)

    assert not dialog.url_error.isVisible()
    assert dialog.save_button.isEnabled()


def test_a_name_already_taken_is_flagged_as_you_type(qtbot, open_dialog):
    dialog = open_dialog()
    dialog.profile_list.setCurrentRow(1)

    type_into(qtbot, dialog.name_edit, "europe TILL")

    assert "already exists" in dialog.name_error.text()
    assert dialog.name_edit.property("invalid") is True
    assert not dialog.save_button.isEnabled()
    type_into(qtbot, dialog.name_edit, "")
    assert "Give the profile a name" in dialog.name_error.text()


def test_duplicate_copies_cluster_and_user_under_a_new_name(qtbot, open_dialog):
    dialog = open_dialog()
    dialog.profile_list.setCurrentRow(0)

    qtbot.mouseClick(dialog.duplicate_button, Qt.MouseButton.LeftButton)

    assert list_texts(dialog)[-1] == "Europe till (copy)"
    assert dialog.name_edit.text() == "Europe till (copy)"
    copy = save(qtbot, dialog).profiles[-1]
    assert (copy.base_url, copy.username) == (EUROPE.base_url, EUROPE.username)


def test_delete_asks_first_and_keep_keeps_it(qtbot, open_dialog):
    dialog = open_dialog()
    dialog.profile_list.setCurrentRow(0)

    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    box = dialog.confirm_box
    assert box.isVisible()
    assert "Delete the profile “Europe till”?" in box.text()
    box.button(QMessageBox.StandardButton.No).click()

    assert list_texts(dialog) == ["Europe till", "Local  (default)"]


def test_deleting_the_default_then_saving_makes_the_first_left_the_default(
    qtbot, open_dialog, store
):
    dialog = open_dialog()
    dialog.profile_list.setCurrentRow(1)

    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    dialog.confirm_box.button(QMessageBox.StandardButton.Yes).click()

    assert list_texts(dialog) == ["Europe till"]
    assert dialog.name_edit.text() == "Europe till"
    save(qtbot, dialog)
    assert ProfileStore(store.path).load() == ProfilesState((EUROPE,), "Europe till")


def test_make_default_survives_a_rename(qtbot, open_dialog, store):
    dialog = open_dialog()
    dialog.profile_list.setCurrentRow(0)

    qtbot.mouseClick(dialog.default_button, Qt.MouseButton.LeftButton)
    type_into(qtbot, dialog.name_edit, "Europe main")

    assert list_texts(dialog) == ["Europe main  (default)", "Local"]
    save(qtbot, dialog)
    assert saved_file(store)["default"] == "Europe main"


def test_cancel_writes_nothing(qtbot, open_dialog, store):
    dialog = open_dialog()
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)

    dialog.reject()

    assert not store.path.exists()


def test_a_save_that_fails_says_why_and_keeps_the_edits(qtbot, open_dialog, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    dialog = open_dialog()
    dialog._store = ProfileStore(blocker / "profiles.json")
    type_into(qtbot, dialog.name_edit, "Local 2")

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(dialog.save_error.isVisible)
    assert "could not be saved" in dialog.save_error.text()
    assert dialog.isVisible()
    assert dialog.save_button.isEnabled()  # the agent can fix the cause and try again


def test_the_first_start_opens_on_a_first_profile_ready_to_fill(qtbot, open_dialog, store):
    dialog = open_dialog(ProfilesState())

    assert dialog.empty_hint.isVisible()
    assert dialog.name_edit.isEnabled() and dialog.name_edit.text() == "New profile"
    assert list_texts(dialog) == ["New profile"]
    # Nothing typed yet: what is missing is said, not shouted, and nothing can be saved.
    assert dialog.username_error.isVisible()
    assert dialog.username_error.property("role") == "muted"
    assert not dialog.username_edit.property("invalid")
    assert not dialog.save_button.isEnabled() and not dialog.save_button.property("primary")
    assert not dialog.forget_button.isEnabled()  # no saved profile, so no saved password
    qtbot.keyClicks(dialog.username_edit, "store.server")
    assert dialog.save_button.isEnabled() and dialog.save_button.property("primary")
    state = save(qtbot, dialog)
    assert state.default == Profile("New profile", CLUSTER_PRESETS["Europe"], "store.server")


def test_a_typed_then_cleared_field_is_an_error(qtbot, open_dialog):
    dialog = open_dialog(ProfilesState())
    qtbot.keyClicks(dialog.username_edit, "x")
    qtbot.keyClick(dialog.username_edit, Qt.Key.Key_Backspace)
    assert dialog.username_error.property("role") == "fieldError"
    assert dialog.username_edit.property("invalid")


def test_nothing_changed_means_nothing_to_save(open_dialog):
    dialog = open_dialog()
    assert not dialog.save_button.isEnabled()
    assert dialog.save_button.toolTip() == "Nothing has changed yet."


def test_esc_with_unsaved_changes_asks_before_discarding(qtbot, open_dialog, store):
    dialog = open_dialog(ProfilesState())
    qtbot.keyClicks(dialog.username_edit, "store.server")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    box = dialog.discard_box
    assert box is not None and box.isVisible()
    box.button(QMessageBox.StandardButton.Cancel).click()  # keep editing
    assert dialog.isVisible() and dialog.username_edit.text() == "store.server"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    dialog.discard_box.button(QMessageBox.StandardButton.Discard).click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert not store.path.exists()


def test_a_notice_about_a_broken_file_is_shown(open_dialog):
    notice = "The profiles file is not valid JSON. It was moved to /x/profiles.json.broken-1."

    dialog = open_dialog(ProfilesState(notice=notice))

    assert dialog.notice.isVisible()
    assert dialog.notice.text() == notice


def test_forget_saved_password_removes_it_from_the_keyring(qtbot, open_dialog, memory_keyring):
    secrets = SecretStore()
    secrets.save("eu.api.capillarytech.com", "store.server", DIGEST)
    dialog = open_dialog(forget=secrets.forget)
    dialog.profile_list.setCurrentRow(0)

    qtbot.mouseClick(dialog.forget_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(dialog.forget_result.isVisible)
    assert "No password is saved any more for store.server" in dialog.forget_result.text()
    assert (SERVICE, "eu.api.capillarytech.com|store.server") not in memory_keyring.entries


def test_forget_with_a_locked_keyring_says_so(qtbot, open_dialog, memory_keyring):
    secrets = SecretStore()
    secrets.save("eu.api.capillarytech.com", "store.server", DIGEST)
    memory_keyring.locked = True
    dialog = open_dialog(forget=secrets.forget)
    dialog.profile_list.setCurrentRow(0)

    qtbot.mouseClick(dialog.forget_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(dialog.forget_result.isVisible)
    assert "keyring is locked" in dialog.forget_result.text()


def test_without_a_forget_action_the_button_is_hidden(open_dialog):
    assert not open_dialog().forget_button.isVisible()


def test_the_switcher_lists_profiles_and_reports_a_choice(qtbot):
    switcher = ProfileSwitcher()
    qtbot.addWidget(switcher)
    switcher.set_state(ProfilesState((EUROPE, LOCAL), default_name="Local"))

    assert switcher.currentText() == "Local"
    assert [switcher.itemText(i) for i in range(switcher.count())] == [
        "Europe till",
        "Local",
        "Manage profiles…",
    ]
    with qtbot.waitSignal(switcher.profileChosen) as chosen:
        switcher.activated.emit(0)
    assert chosen.args == [EUROPE]

    with qtbot.waitSignal(switcher.manageRequested):
        switcher.activated.emit(2)
    assert switcher.currentText() == "Europe till"  # still shows the profile in use


# --- wired into the real main window (what app.py is asked to do) ---------------------------


@pytest.fixture
def window_with_profiles(qtbot, tmp_path):
    """build_window without --base-url, plus the ProfilesController the lead wires in app.py."""
    from desktop_app.app import build_window
    from desktop_app.ui.profile_manager import ProfilesController

    built = []

    def opener(state=None):
        store = ProfileStore(tmp_path / "profiles.json")
        if state is not None:
            store.save(state)
        window = build_window(["--data-dir", str(tmp_path)])
        qtbot.addWidget(window)
        built.append(window)
        controller = ProfilesController(window, store)
        window.connection_bar.layout().insertWidget(3, controller.switcher)
        controller.start(open_when_empty=True)
        return window, controller

    yield opener
    for window in built:
        window.close()
        assert window.runner.wait_for_all(20000)


def test_the_first_start_without_profiles_opens_the_manager(qtbot, window_with_profiles):
    window, controller = window_with_profiles()

    qtbot.waitUntil(lambda: controller.dialog is not None and controller.dialog.isVisible())
    dialog = controller.dialog
    qtbot.keyClicks(dialog.username_edit, "store.server")  # the first profile is started
    with qtbot.waitSignal(controller.stateChanged):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert window.connection.profile_name == "New profile"
    assert window.connection.host == "eu.api.capillarytech.com"
    assert controller.switcher.currentText() == "New profile"
    # The header says where the password is kept, as the rest of the window does.
    qtbot.waitUntil(lambda: window.connection_bar.secret.text.text() != "Password: checking…")


def test_the_default_profile_is_used_and_the_switcher_changes_it(qtbot, window_with_profiles):
    window, controller = window_with_profiles(TWO_PROFILES)

    qtbot.waitUntil(lambda: controller.switcher.count() == 3)
    assert window.connection.profile_name == "Local"
    assert controller.switcher.currentText() == "Local"
    assert controller.dialog is None

    controller.switcher.activated.emit(0)
    assert window.connection.profile_name == "Europe till"
    assert window.connection.base_url == EUROPE.base_url


def test_file_profiles_opens_the_manager_and_an_edit_reconnects(qtbot, window_with_profiles):
    window, controller = window_with_profiles(TWO_PROFILES)

    window.profiles_action.trigger()  # possibly before the file was read: it waits for it
    qtbot.waitUntil(lambda: controller.dialog is not None and controller.dialog.isVisible())
    dialog = controller.dialog
    assert list_texts(dialog) == ["Europe till", "Local  (default)"]
    type_into(qtbot, dialog.username_edit, "store.other")
    with qtbot.waitSignal(controller.stateChanged):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert window.connection.username == "store.other"
    qtbot.waitUntil(lambda: controller.dialog is None)


def test_a_state_read_by_app_py_is_used_as_is_and_its_notice_shown(qtbot, tmp_path):
    from desktop_app.app import build_window
    from desktop_app.ui.profile_manager import ProfilesController

    window = build_window(["--data-dir", str(tmp_path)])
    qtbot.addWidget(window)
    notice = "The profiles file is not valid JSON. It was moved to x.broken-1 (nothing deleted)."
    controller = ProfilesController(window, ProfileStore(tmp_path / "profiles.json"))

    controller.start(open_when_empty=False, state=ProfilesState((EUROPE,), notice=notice))

    assert window.statusBar().currentMessage() == notice
    assert window.connection.profile_name == "Europe till"  # the first becomes the default
    window.close()
    assert window.runner.wait_for_all(20000)
