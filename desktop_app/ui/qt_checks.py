"""The self-test's Qt checks: the platform plugin, text handling, and a window that shows."""

from __future__ import annotations

import os
import sys
from typing import Any


class QtCheckFailed(Exception):
    """A Qt check ran to the end and found something wrong; the message says what."""


def application():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "redemption-desk"])


def check_platform() -> str:
    import PySide6
    from PySide6.QtCore import qVersion

    wanted = os.environ["QT_QPA_PLATFORM"].split(";")[0].split(":")[0]
    actual = application().platformName()
    if actual != wanted:
        raise QtCheckFailed(f"Qt started on {actual!r} instead of {wanted!r}")
    return f"{actual} (Qt {qVersion()}, PySide6 {PySide6.__version__})"


def check_text() -> str:
    """Case mapping and collation work, whether or not this build carries ICU's locale data.

    The Linux build swaps ICU's data for an empty package (packaging/linux/empty_icu_data.c);
    Qt must then fall back to its own case mapping and to code-point order.
    """
    from PySide6.QtCore import QCollator, QLocale

    upper = QLocale(QLocale.Language.German).toUpper("straße")
    if upper != "STRASSE":
        raise QtCheckFailed(f"upper-casing 'straße' gave {upper!r}")
    collator = QCollator(QLocale(QLocale.Language.German))
    if collator.compare("apfel", "birne") >= 0:
        raise QtCheckFailed("collation puts 'birne' before 'apfel'")
    if collator.compare("äpfel", "birne") < 0:
        return "case mapping and locale collation"
    return "case mapping; collation by code point (no ICU locale data in this build)"


def check_icons() -> str:
    """Every icon renders (Qt's SVG plugin is in the build) and the Windows icon file reads
    (its ICO plugin): blank pixmaps would mean a toolbar of empty buttons."""
    from PySide6.QtGui import QImage

    from desktop_app.ui import icons

    application()
    names = ["app-icon", *sorted(path.stem for path in (icons.RESOURCES / "icons").glob("*.svg"))]
    blank = [name for name in names if not _has_ink(icons.render(name, 32).toImage())]
    if blank:
        raise QtCheckFailed(f"these icons rendered blank: {', '.join(blank)}")
    ico = QImage(str(icons.RESOURCES / "icons" / "app.ico"))
    if ico.isNull():
        raise QtCheckFailed("app.ico did not load (no ICO image plugin in this build?)")
    return f"{len(names)} SVG icons render; app.ico reads ({ico.width()}x{ico.height()})"


def _has_ink(image: Any) -> bool:
    return not image.isNull() and any(
        image.pixelColor(x, y).alpha() > 0
        for x in range(image.width())
        for y in range(image.height())
    )


def show_and_describe(window: Any) -> str:
    from PySide6.QtWidgets import QWidget

    if not isinstance(window, QWidget):
        raise QtCheckFailed(f"build_window returned {type(window).__name__}, not a window")
    try:
        window.show()
        application().processEvents()
        if not window.isVisible():
            raise QtCheckFailed("the window did not become visible")
        size = window.size()
        return f"{window.windowTitle()!r}, {size.width()}x{size.height()}"
    finally:
        window.close()
        application().processEvents()
