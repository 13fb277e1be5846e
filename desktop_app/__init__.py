"""Redemption Desk: correct the bill metadata of Capillary points redemptions."""

from pathlib import Path

__version__ = "0.1.0"
APP_NAME = "Redemption Desk"
APP_ID = "redemption-desk"


def resources_dir() -> Path:
    """The icons and the app icon's sources: inside the package in a wheel or the frozen app
    (desktop_app/resources), at the top of the source tree in a checkout or an editable install
    (resources/)."""
    package = Path(__file__).resolve().parent
    installed = package / "resources"
    return installed if installed.is_dir() else package.parent / "resources"
