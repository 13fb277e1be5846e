"""Where the desk keeps its files: the OS's usual folders, or one folder given by --data-dir."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop_app import APP_ID
from desktop_app.core.private_files import FOLDER_MODE, keep_new_files_private, make_private


class FolderRefused(Exception):
    """The OS refused to make or open one of the desk's folders; the message says which and why."""

    def __init__(self, error: OSError, folder: Path):
        where = Path(error.filename) if error.filename else folder
        in_the_way = next((p for p in (where, *where.parents) if p.is_file()), None)
        if in_the_way is not None:
            message = f"the folder {folder} cannot be made: {in_the_way} is a file, not a folder"
        else:
            message = f"the folder {where} cannot be made or used: {error.strerror or error}"
        super().__init__(message)


@dataclass(frozen=True)
class AppPaths:
    config_dir: Path
    data_dir: Path
    log_dir: Path

    @classmethod
    def default(cls) -> AppPaths:
        import platformdirs

        return cls(
            config_dir=Path(platformdirs.user_config_dir(APP_ID, appauthor=False)),
            data_dir=Path(platformdirs.user_data_dir(APP_ID, appauthor=False)),
            log_dir=Path(platformdirs.user_log_dir(APP_ID, appauthor=False)),
        )

    @classmethod
    def under(cls, root: Path) -> AppPaths:
        """Everything in one folder (--data-dir): settings, history and logs."""
        root = Path(root)
        return cls(config_dir=root, data_dir=root, log_dir=root / "logs")

    @property
    def profiles_file(self) -> Path:
        return self.config_dir / "profiles.json"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.ini"

    @property
    def history_file(self) -> Path:
        return self.data_dir / "history.sqlite3"

    def ensure(self) -> None:
        """Creates the folders, and makes them and the desk's files (new and old) private.
        Raises FolderRefused when the OS will not (permission, read-only disk, a file in the way).
        """
        keep_new_files_private()
        folder = self.config_dir
        try:
            for folder in (self.config_dir, self.data_dir, self.log_dir):
                folder.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
                make_private(folder)
            for file in (*self._own_files(), *self.log_dir.glob("*.log*")):
                folder = file.parent
                if file.exists():
                    make_private(file)
        except OSError as error:
            raise FolderRefused(error, folder) from error

    def _own_files(self) -> tuple[Path, ...]:
        history = self.history_file
        sidecars = (history.with_name(history.name + s) for s in ("-wal", "-shm", "-journal"))
        return (self.profiles_file, self.settings_file, history, *sidecars)
