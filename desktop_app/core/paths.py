"""Where the desk keeps its files: the OS's usual folders, or one folder given by --data-dir."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop_app import APP_ID


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
        for folder in (self.config_dir, self.data_dir, self.log_dir):
            folder.mkdir(parents=True, exist_ok=True)
