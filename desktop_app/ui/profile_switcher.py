"""The profile switcher in the connection bar and the controller that wires profiles into the
main window (File → Profiles…, the first start).

Apart from the profile manager dialog (profile_manager.py) so that start-up, which shows the
switcher, does not load the dialog's widgets and their enums: the dialog's module is imported
when the manager first opens. profile_manager still exports these names.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from desktop_app import APP_NAME
from desktop_app.core.profiles import Profile, ProfilesState, ProfileStore
from desktop_app.desk.session import Connection
from desktop_app.ui import icons
from desktop_app.ui.startup_path import TOOLTIP_ROLE

if TYPE_CHECKING:
    from desktop_app.ui.profile_manager import ProfileManagerDialog


class ProfileSwitcher(QComboBox):
    """Picks the profile in use; the last entry opens the profile manager."""

    profileChosen = Signal(object)  # Profile
    manageRequested = Signal()

    MANAGE = "Manage profiles…"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("profileSwitcher")
        self.setAccessibleName("Connection profile")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setPlaceholderText("Choose a profile")
        self._profiles: tuple[Profile, ...] = ()
        self._shown = -1
        self.activated.connect(self._activated)

    def set_state(self, state: ProfilesState, current: str | None = None) -> None:
        """Lists the profiles and shows `current` as chosen (None: the default profile; a name
        that is not a profile, e.g. "": none, with a placeholder)."""
        self._profiles = state.profiles
        self.blockSignals(True)
        self.clear()
        for profile in state.profiles:
            self.addItem(icons.icon("profiles"), profile.name, profile)
            self.setItemData(
                self.count() - 1,
                f"{profile.username} on {profile.host}",
                TOOLTIP_ROLE,
            )
        self.addItem(icons.icon("edit"), self.MANAGE, None)
        wanted = state.default_name if current is None else current
        names = [p.name for p in state.profiles]
        self._shown = names.index(wanted) if wanted in names else -1
        self.setCurrentIndex(self._shown)  # -1 shows the placeholder
        self.blockSignals(False)

    def _activated(self, index: int) -> None:
        profile = self.itemData(index)
        if profile is None:
            # Keep showing the profile in use while the manager is open.
            self.setCurrentIndex(self._shown)
            self.manageRequested.emit()
            return
        if index != self._shown:
            self._shown = index
            self.profileChosen.emit(profile)


class ProfilesController(QObject):
    """Wires profiles into the main window: File → Profiles…, the switcher, the first start.

    `window` is the MainWindow; it uses its `profilesRequested` signal, `set_connection`,
    `connection`, `notify`, `runner` and `services`. Disk and keyring work runs on its runner.
    """

    stateChanged = Signal(object)  # ProfilesState, after loading and after every save

    def __init__(self, window: Any, store: ProfileStore):
        super().__init__(window)
        self._window = window
        self._store = store
        self.state = ProfilesState()
        self.dialog: ProfileManagerDialog | None = None
        self._ready = False
        self._open_when_ready = False
        self.switcher = ProfileSwitcher()
        self.switcher.set_state(self.state)
        self.switcher.profileChosen.connect(self.use_profile)
        self.switcher.manageRequested.connect(self.open_manager)
        window.profilesRequested.connect(self.open_manager)

    def start(self, *, open_when_empty: bool, state: ProfilesState | None = None) -> None:
        """Reads the profiles off the UI thread (or takes `state`, when app.py already read the
        file: reading it twice would lose the notice of a file moved aside); then connects to
        the default profile if the window has no connection yet, and opens the manager when
        there is no profile at all and `open_when_empty` (False with --demo or --base-url)."""
        if state is not None:
            self._loaded(open_when_empty, state)
            return
        self._window.runner.run(
            self._store.load,
            partial(self._loaded, open_when_empty),
            self._load_failed,
        )

    def _loaded(self, open_when_empty: bool, state: ProfilesState) -> None:
        self._set_state(state)
        self._ready = True
        if state.notice:
            self._window.notify(state.notice, 0)
        if self._window.connection is None and state.default is not None:
            self.use_profile(state.default)
        if self._open_when_ready or (open_when_empty and not state.profiles):
            self._open_when_ready = False
            self.open_manager()

    def _load_failed(self, error: BaseException) -> None:
        # Not "ready": saving from an empty manager would replace a file that was never read.
        self._window.notify(f"The profiles could not be read: {error}", 0)

    def use_profile(self, profile: Profile) -> None:
        self._window.set_connection(connection_for(profile))
        self.switcher.set_state(self.state, profile.name)

    def open_manager(self) -> None:
        if not self._ready:  # File → Profiles… before the file was read: open once it is
            self._open_when_ready = True
            return
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        from desktop_app.ui.profile_manager import ProfileManagerDialog

        self.dialog = ProfileManagerDialog(
            self._store,
            self.state,
            forget=self._forget,
            runner=self._window.runner,
            parent=self._window,
        )
        self.dialog.profilesSaved.connect(self._saved)
        self.dialog.finished.connect(self._closed)
        self.dialog.open()

    def _closed(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None

    def _forget(self, host: str, username: str) -> str | None:
        """Runs on a worker thread."""
        return self._window.services.credentials().store.forget(host, username)

    def _saved(self, state: ProfilesState) -> None:
        previous = self.state
        self._set_state(state)
        current = self._window.connection
        if current is None:
            if state.default is not None:
                self.use_profile(state.default)
            return
        if current.is_demo:
            if state.default is not None:
                self._window.notify(
                    f"Profiles saved. This window is the demo: start {APP_NAME} without --demo "
                    f"to use “{state.default.name}”.",
                    0,
                )
            return
        if previous.find(current.profile_name) is None:
            return  # --base-url: the agent switches with the switcher
        name: str | None = current.profile_name
        if self.dialog is not None:
            name = self.dialog.name_now(current.profile_name)  # None: it was deleted
        replacement = (state.find(name) if name else None) or state.default
        if replacement is None:
            self._window.set_connection(None)
        elif connection_for(replacement) != current:
            self.use_profile(replacement)

    def _set_state(self, state: ProfilesState) -> None:
        self.state = state
        current = self._window.connection
        self.switcher.set_state(state, current.profile_name if current is not None else "")
        self.stateChanged.emit(state)


def connection_for(profile: Profile) -> Connection:
    return Connection(profile.name, profile.base_url, profile.username, team=profile.team)
