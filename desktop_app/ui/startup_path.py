"""The one start-up trick that pays for itself: no Qt enum before the window's first paint.

The first use of `PySide6.QtCore.Qt` makes PySide6 build every enum of the Qt namespace: about
16 ms before the first paint (A/B of setting three label properties in a fresh process, 20 ms
through the enums against 4 ms by name; benchmarks/startup.py shows it in the desk's figure).
So the widgets built and painted at start-up set enum properties by key name through Qt's
meta-object system, and modules on that path import `Qt` only inside code that runs later.
tests/ui/test_startup_contract.py holds the rule: `Qt` is not built when the window has painted.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

# Qt.ItemDataRole.ToolTipRole, for the combo boxes' item tooltips set at start-up.
TOOLTIP_ROLE = 3


def set_enum_property(target: QObject, name: str, keys: str) -> None:
    """Sets an enum or flags property by its key names, e.g. ("alignment", "AlignCenter")."""
    if not target.setProperty(name, keys):
        raise ValueError(f"{type(target).__name__}.{name} cannot be set to {keys!r}")
