"""The profile manager (add, edit, duplicate, delete, choose the default) and a profile switcher.

Edits are drafts until "Save": the file is written by a TaskRunner job (never on the UI thread),
and `profilesSaved` carries the new ProfilesState. Nothing secret is shown or kept here; "Forget
saved password" hands host and username to a callable the window provides (run off the UI thread).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.profiles import (
    CLUSTER_PRESETS,
    Profile,
    ProfilesState,
    ProfileStore,
    normalized_base_url,
    profile_problems,
    unique_copy_name,
)
from desktop_app.core.team.settings import TeamDatabase, parse_team_uri
from desktop_app.ui import icons, theme

# Re-exported: the switcher and the controller live apart so start-up does not load this module.
from desktop_app.ui.profile_switcher import (  # noqa: F401
    ProfilesController,
    ProfileSwitcher,
    connection_for,
)
from desktop_app.ui.startup_path import set_enum_property
from desktop_app.ui.tasks import TaskRunner
from desktop_app.ui.widgets import role_label

CUSTOM_URL = "Custom URL"
NEW_PROFILE_NAME = "New profile"
DEFAULT_PRESET = "Europe"

Forget = Callable[[str, str], "str | None"]  # (host, username) -> message; blocks


@dataclass
class _Draft:
    """A profile as being edited; identity (not name) tracks which one is the default."""

    name: str
    base_url: str
    username: str
    # The name it had when the dialog opened; None when added (or duplicated) in the dialog.
    original_name: str | None = dataclasses.field(default=None, compare=False)
    # Fields the agent has typed in: a new profile's empty fields are not errors before that.
    touched: set[str] = dataclasses.field(default_factory=set, compare=False)
    team_uri: str = ""  # postgresql://user@host:port/database, or "" for no team database
    team_password: str = dataclasses.field(default="", repr=False)  # to the keyring on Save

    @classmethod
    def of(cls, profile: Profile) -> _Draft:
        saved = {"name", "base_url", "username"}  # saved values: their problems show at once
        uri = profile.team.uri if profile.team else ""
        return cls(
            profile.name, profile.base_url, profile.username, profile.name, saved, team_uri=uri
        )

    def team_problem(self) -> str | None:
        return self._team()[1]

    def _team(self) -> tuple[TeamDatabase | None, str | None]:
        """The team database typed in (None when blank or not valid yet), and what is wrong."""
        if not self.team_uri.strip():
            return None, None
        try:
            return parse_team_uri(self.team_uri), None
        except ValueError as error:
            return None, str(error)

    def to_profile(self) -> Profile:
        team, _ = self._team()  # Save is refused while the address has a problem
        return Profile(
            self.name.strip(), normalized_base_url(self.base_url), self.username.strip(), team
        )


def _preset_label(label: str) -> str:
    return f"{label} — {CLUSTER_PRESETS[label].removeprefix('https://')}"


class ProfileManagerDialog(QDialog):
    profilesSaved = Signal(object)  # ProfilesState, after the file was written

    def __init__(
        self,
        store: ProfileStore,
        state: ProfilesState,
        *,
        forget: Forget | None = None,
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("profileManagerDialog")
        self.setWindowTitle("Connection profiles")
        self.setAccessibleName("Connection profiles")
        self.setMinimumSize(720, 420)
        self._store = store
        self._forget = forget
        self._runner = runner or TaskRunner(self)
        self._drafts = [_Draft.of(p) for p in state.profiles]
        self._default = next((d for d in self._drafts if d.name == state.default_name), None)
        self._loading = False
        self._attempted = False  # Save was pressed: every problem shows, typed in or not
        self.confirm_box: QMessageBox | None = None
        self.discard_box: QMessageBox | None = None

        self.notice = role_label(state.notice or "", "notice")
        self.notice.setObjectName("profilesNotice")
        self.notice.setVisible(bool(state.notice))

        self.profile_list = QListWidget()
        self.profile_list.setObjectName("profileList")
        self.profile_list.setAccessibleName("Profiles")
        self.profile_list.setMinimumWidth(220)
        self.profile_list.setIconSize(QSize(16, 16))
        self.profile_list.setSpacing(2)
        self.profile_list.currentRowChanged.connect(self._show_draft)

        self.add_button = self._button("Add", "profiles", "addProfileButton", self._add)
        self.duplicate_button = self._button(
            "Duplicate", "copy", "duplicateProfileButton", self._duplicate
        )
        self.delete_button = self._button(
            "Delete…", "stop", "deleteProfileButton", self._ask_delete
        )
        self.default_button = self._button(
            "Make default", "success", "defaultProfileButton", self._make_default
        )
        list_buttons = QHBoxLayout()
        for button in (self.add_button, self.duplicate_button, self.delete_button):
            list_buttons.addWidget(button)
        left = QVBoxLayout()
        left.addWidget(self.profile_list, 1)
        left.addLayout(list_buttons)
        left.addWidget(self.default_button)

        self.name_edit = self._line_edit("nameEdit", "Profile name", "e.g. Europe — store 12")
        self.cluster_combo = QComboBox()
        self.cluster_combo.setObjectName("clusterCombo")
        self.cluster_combo.setAccessibleName("Cluster")
        for label, url in CLUSTER_PRESETS.items():
            self.cluster_combo.addItem(_preset_label(label), url)
        self.cluster_combo.addItem(CUSTOM_URL, None)
        self.url_edit = self._line_edit("urlEdit", "Cluster address", "https://…")
        self.username_edit = self._line_edit("usernameEdit", "Till user name", "e.g. store.server")
        self.team_edit = self._line_edit(
            "teamDatabaseEdit",
            "Team database (optional)",
            "optional: postgresql://your.name@db.example.com:5432/redemption_team",
        )
        self.team_password_edit = self._line_edit(
            "teamPasswordEdit", "Team database password", "kept in the keyring, never in a file"
        )
        self.team_password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.team_error = self._error_label("teamDatabaseError")
        self.name_error = self._error_label("nameError")
        self.url_error = self._error_label("urlError")
        self.username_error = self._error_label("usernameError")

        form = QFormLayout()
        set_enum_property(form, "labelAlignment", "AlignRight")
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(4)
        form.addRow("Name", self.name_edit)
        form.addRow("", self.name_error)
        form.addRow("Cluster", self.cluster_combo)
        form.addRow("Address", self.url_edit)
        form.addRow("", self.url_error)
        form.addRow("Till user", self.username_edit)
        form.addRow("", self.username_error)
        form.addRow("Team DB", self.team_edit)
        form.addRow("", self.team_error)
        form.addRow("DB password", self.team_password_edit)
        hint = role_label(
            "The till password is never kept here: it is asked for on first use and, once the "
            "till accepts it, its digest goes to the operating system's keyring."
        )
        self.forget_button = self._button(
            "Forget saved password", "lock", "forgetPasswordButton", self._forget_password
        )
        self.forget_button.setVisible(forget is not None)
        self.forget_result = role_label("")
        self.forget_result.setObjectName("forgetResult")
        self.forget_result.hide()
        self.empty_hint = role_label(
            "No profiles yet: fill in this first one (the till user name is on the till's "
            "sign-in card) and choose Save."
        )
        self.empty_hint.setObjectName("emptyHint")

        right = QVBoxLayout()
        right.addWidget(self.empty_hint)
        right.addLayout(form)
        right.addWidget(hint)
        forget_row = QHBoxLayout()
        forget_row.addWidget(self.forget_button)
        forget_row.addStretch(1)
        right.addLayout(forget_row)
        right.addWidget(self.forget_result)
        right.addStretch(1)

        columns = QHBoxLayout()
        columns.setSpacing(18)
        columns.addLayout(left, 2)
        columns.addLayout(right, 3)

        self.save_error = role_label("", "fieldError")
        self.save_error.setObjectName("saveError")
        self.save_error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveProfilesButton")
        theme.set_state(self.save_button, "primary", True)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 16, 18, 14)
        outer.setSpacing(12)
        outer.addWidget(self.notice)
        outer.addLayout(columns, 1)
        outer.addWidget(self.save_error)
        outer.addWidget(self.buttons)

        self.name_edit.textEdited.connect(self._edited)
        self.url_edit.textEdited.connect(self._edited)
        self.username_edit.textEdited.connect(self._edited)
        self.team_edit.textEdited.connect(self._edited)
        self.team_password_edit.textEdited.connect(self._edited)
        self.cluster_combo.currentIndexChanged.connect(self._cluster_chosen)

        self._opened_as = self.current_state()  # Save and "discard?" compare with this
        self._first_start = not self._drafts
        self._refresh_list()
        self.profile_list.setCurrentRow(self._drafts.index(self._default) if self._default else 0)
        self._show_draft(self.profile_list.currentRow())
        if self._first_start:  # nothing to choose from: start the first profile right away
            self._add()

    # --- building blocks ---------------------------------------------------------------------
    def _button(self, text: str, icon: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(icons.icon(icon), text)
        button.setObjectName(name)
        button.setAccessibleName(text.rstrip("…"))
        button.setIconSize(QSize(16, 16))
        button.clicked.connect(slot)
        return button

    def _line_edit(self, name: str, accessible: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setPlaceholderText(placeholder)
        return edit

    def _error_label(self, name: str) -> QLabel:
        label = role_label("", "fieldError")
        label.setObjectName(name)
        label.hide()
        return label

    # --- state -------------------------------------------------------------------------------
    def current_state(self) -> ProfilesState:
        """What "Save" writes: the drafts as profiles; the first one is the default if none is."""
        profiles = tuple(d.to_profile() for d in self._drafts)
        default = self._default or (self._drafts[0] if self._drafts else None)
        return ProfilesState(profiles, default.to_profile().name if default else None)

    def name_now(self, original_name: str) -> str | None:
        """The name the profile called `original_name` when the dialog opened has now, or None
        when it was deleted: a rename of the profile in use is followed, not mistaken for it."""
        draft = next((d for d in self._drafts if d.original_name == original_name), None)
        return draft.to_profile().name if draft is not None else None

    def _current(self) -> _Draft | None:
        row = self.profile_list.currentRow()
        return self._drafts[row] if 0 <= row < len(self._drafts) else None

    def has_changes(self) -> bool:
        """A typed team database password is a change too (it goes to the keyring on Save)."""
        typed = any(d.team_password for d in self._drafts)
        return typed or self.current_state() != self._opened_as

    def _problems(self, draft: _Draft) -> dict[str, str]:
        others = tuple(d.name.strip() for d in self._drafts if d is not draft)
        found = profile_problems(draft.name, draft.base_url, draft.username, others)
        team = draft.team_problem()
        return {**found, "team_uri": team} if team else found

    # --- the list ----------------------------------------------------------------------------
    def _refresh_list(self) -> None:
        row = self.profile_list.currentRow()
        self.profile_list.blockSignals(True)
        self.profile_list.clear()
        for draft in self._drafts:
            item = QListWidgetItem(self._item_text(draft))
            problems = self._problems(draft)
            if problems:
                item.setIcon(icons.icon("warning"))
                item.setToolTip("\n".join(problems.values()))
            else:
                item.setToolTip(
                    f"{draft.username.strip()} on {normalized_base_url(draft.base_url)}"
                )
            if draft is self._default:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            self.profile_list.addItem(item)
        self.profile_list.setCurrentRow(min(row, len(self._drafts) - 1))
        self.profile_list.blockSignals(False)
        self._update_buttons()

    def _item_text(self, draft: _Draft) -> str:
        name = draft.name.strip() or "(no name)"
        return f"{name}  (default)" if draft is self._default else name

    def _update_buttons(self) -> None:
        current = self._current()
        has_current = current is not None
        for widget in (self.duplicate_button, self.delete_button):
            widget.setEnabled(has_current)
        # Only a saved profile can have a saved password.
        self.forget_button.setEnabled(current is not None and current.original_name is not None)
        self.forget_button.setToolTip(
            ""
            if self.forget_button.isEnabled()
            else "A profile that is not saved yet has no saved password."
        )
        self.default_button.setEnabled(has_current and current is not self._default)
        for widget in (
            self.name_edit,
            self.cluster_combo,
            self.url_edit,
            self.username_edit,
            self.team_edit,
            self.team_password_edit,
        ):
            widget.setEnabled(has_current)
        self.empty_hint.setVisible(self._first_start and len(self._drafts) <= 1)
        invalid = any(self._problems(d) for d in self._drafts)
        changed = self.has_changes()
        self.save_button.setEnabled(changed and not invalid)
        theme.set_state(self.save_button, "primary", changed and not invalid)
        self.save_button.setToolTip(
            "Fix the profiles marked with a warning first."
            if invalid
            else ("" if changed else "Nothing has changed yet.")
        )

    # --- the form ----------------------------------------------------------------------------
    def _show_draft(self, row: int) -> None:
        draft = self._drafts[row] if 0 <= row < len(self._drafts) else None
        self._loading = True
        self.name_edit.setText(draft.name if draft else "")
        self.username_edit.setText(draft.username if draft else "")
        self.url_edit.setText(draft.base_url if draft else "")
        self.team_edit.setText(draft.team_uri if draft else "")
        self.team_password_edit.setText(draft.team_password if draft else "")
        preset = self.cluster_combo.findData(normalized_base_url(draft.base_url)) if draft else 0
        self.cluster_combo.setCurrentIndex(preset if preset >= 0 else self._custom_index())
        self._loading = False
        self.url_edit.setReadOnly(self.cluster_combo.currentData() is not None)
        self.forget_result.hide()
        self._show_problems()
        self._update_buttons()

    def _custom_index(self) -> int:
        return self.cluster_combo.count() - 1

    def _cluster_chosen(self, index: int) -> None:
        url = self.cluster_combo.itemData(index)
        self.url_edit.setReadOnly(url is not None)
        if self._loading:
            return
        if url is not None:
            self.url_edit.setText(url)
        else:
            self.url_edit.clear()
            self.url_edit.setFocus()
        self._edited()

    def _edited(self) -> None:
        draft = self._current()
        if draft is None or self._loading:
            return
        for field, text in (
            ("name", self.name_edit.text()),
            ("base_url", self.url_edit.text()),
            ("username", self.username_edit.text()),
            ("team_uri", self.team_edit.text()),
            ("team_password", self.team_password_edit.text()),
        ):
            if getattr(draft, field) != text:
                draft.touched.add(field)
                setattr(draft, field, text)
        self.save_error.hide()
        self._show_problems()
        self._refresh_list()

    def _show_problems(self) -> None:
        draft = self._current()
        problems = self._problems(draft) if draft else {}
        for field, edit, label in (
            ("name", self.name_edit, self.name_error),
            ("base_url", self.url_edit, self.url_error),
            ("username", self.username_edit, self.username_error),
            ("team_uri", self.team_edit, self.team_error),
        ):
            message = problems.get(field, "")
            # Not red before the agent typed there: "Enter the till user name" is then a hint.
            blamed = bool(message) and (field in draft.touched or self._attempted)
            label.setText(message)
            label.setVisible(bool(message))
            theme.set_role(label, "fieldError" if blamed else "muted")
            theme.set_state(edit, "invalid", blamed)
            edit.setToolTip(message)

    # --- actions -----------------------------------------------------------------------------
    def _append(self, draft: _Draft) -> None:
        self._drafts.append(draft)
        self.profile_list.setCurrentRow(-1)
        self._refresh_list()
        self.profile_list.setCurrentRow(len(self._drafts) - 1)
        self.name_edit.setFocus()
        self.name_edit.selectAll()

    def _add(self) -> None:
        names = tuple(d.name for d in self._drafts)
        name = NEW_PROFILE_NAME
        if name.casefold() in {n.casefold() for n in names}:
            name = unique_copy_name(NEW_PROFILE_NAME, names)
        self._append(_Draft(name, CLUSTER_PRESETS[DEFAULT_PRESET], ""))

    def _duplicate(self) -> None:
        source = self._current()
        if source is None:
            return
        names = tuple(d.name.strip() for d in self._drafts)
        self._append(
            _Draft(unique_copy_name(source.name.strip(), names), source.base_url, source.username)
        )

    def _make_default(self) -> None:
        self._default = self._current()
        self._refresh_list()

    def _ask_delete(self) -> None:
        draft = self._current()
        if draft is None:
            return
        box = QMessageBox(self)
        box.setObjectName("confirmDeleteBox")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Delete profile")
        set_enum_property(box, "textFormat", "PlainText")  # the name is the agent's text
        box.setText(f"Delete the profile “{draft.name.strip() or '(no name)'}”?")
        box.setInformativeText(
            "Its saved password stays in the keyring until you use “Forget saved password”. "
            "Nothing is deleted until you choose Save."
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText("Delete")
        box.button(QMessageBox.StandardButton.No).setText("Keep")
        box.finished.connect(lambda _result: self._deletion_answered(box, draft))
        self.confirm_box = box
        box.open()

    def _deletion_answered(self, box: QMessageBox, draft: _Draft) -> None:
        self.confirm_box = None
        box.deleteLater()
        if box.clickedButton() is not box.button(QMessageBox.StandardButton.Yes):
            return
        if draft not in self._drafts:
            return
        row = self._drafts.index(draft)
        self._drafts.remove(draft)
        if self._default is draft:
            self._default = None
        self._refresh_list()
        self.profile_list.setCurrentRow(min(row, len(self._drafts) - 1))
        self._show_draft(self.profile_list.currentRow())

    def _forget_password(self) -> None:
        draft = self._current()
        if draft is None or self._forget is None:
            return
        profile = draft.to_profile()
        forget = self._forget
        self.forget_button.setEnabled(False)
        self._runner.run(
            lambda: forget(profile.host, profile.username),
            lambda message: self._forgotten(profile, message),
            lambda error: self._forgotten(profile, f"Could not forget the password: {error}"),
        )

    def _forgotten(self, profile: Profile, message: str | None) -> None:
        self.forget_button.setEnabled(self._current() is not None)
        self.forget_result.setText(
            message or f"No password is saved any more for {profile.username} on {profile.host}."
        )
        theme.set_role(self.forget_result, "fieldError" if message else "muted")
        self.forget_result.show()

    def reject(self) -> None:
        """Esc or Cancel: unsaved changes are discarded only after the agent says so."""
        if not self.has_changes() or self.discard_box is not None:
            super().reject()
            return
        box = QMessageBox(self)
        box.setObjectName("discardProfilesBox")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Discard changes?")
        box.setText("The profiles have changes that are not saved. Discard them?")
        box.setStandardButtons(
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
        )
        box.button(QMessageBox.StandardButton.Cancel).setText("Keep editing")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda _result: self._discard_answered(box))
        self.discard_box = box
        box.open()

    def _discard_answered(self, box: QMessageBox) -> None:
        discard = box.clickedButton() is box.button(QMessageBox.StandardButton.Discard)
        box.deleteLater()
        if discard:
            super().reject()
        self.discard_box = None

    def _save(self) -> None:
        if not self.save_button.isEnabled():
            self._attempted = True
            self._show_problems()
            return
        state = self.current_state()
        store = self._store
        passwords = [
            (d.to_profile().team, d.team_password)
            for d in self._drafts
            if d.team_password and d.team_uri.strip()
        ]
        self.save_button.setEnabled(False)
        self.save_error.hide()
        self._runner.run(
            lambda: store.save(state) or _save_team_passwords(passwords),
            lambda message: self._saved(state, message),
            lambda error: self._saved(state, f"The profiles could not be saved: {error}"),
        )

    def _saved(self, state: ProfilesState, message: str | None) -> None:
        if message:
            self.save_error.setText(message)
            self.save_error.show()
            self._update_buttons()
            return
        self.profilesSaved.emit(state)
        self.accept()


def _save_team_passwords(passwords: list[tuple[TeamDatabase | None, str]]) -> str | None:
    """Team database passwords typed in the dialog go to the keyring (blocks); None, or why not."""
    from desktop_app.core.team.passwords import TeamPasswords

    keeper = TeamPasswords()
    problems = [keeper.save(team, password) for team, password in passwords if team is not None]
    return next((problem for problem in problems if problem), None)
