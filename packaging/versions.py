"""The app's version (PEP 440, e.g. 0.2.0rc1) in the all-numeric forms installers require.

Windows' VERSIONINFO and Inno Setup's VersionInfoVersion take four numbers up to 65535; macOS's
CFBundleVersion takes at most three integers. Both must sort pre-releases before their release,
so the fourth number is a build number that orders dev < alpha < beta < rc < final < post:

    0.2.0.dev3 -> 0.2.0.3      0.2.0a1 -> 0.2.0.10001     0.2.0b2 -> 0.2.0.20002
    0.2.0rc1   -> 0.2.0.30001  0.2.0   -> 0.2.0.40000     0.2.0.post1 -> 0.2.0.40001

macOS folds it into the third number (patch * 100000 + build): 0.2.0rc1 -> 0.2.30001.

    python packaging/versions.py windows|macos|short [VERSION]   (default: desktop_app's)

Loaded by path by redemption-desk.spec and the tests (packaging/ is not a package).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from packaging.version import Version

STAGE_BASE = {"a": 10000, "b": 20000, "rc": 30000}
FINAL = 40000
MAX_PART = 65535
MAX_SERIAL = 9999


def parts(version: str) -> tuple[int, int, int, int]:
    """(major, minor, patch, build) as described above; ValueError for what cannot map."""
    parsed = Version(version)
    if parsed.local or parsed.epoch:
        raise ValueError(f"{version}: local versions and epochs have no installer number")
    release = (*parsed.release, 0, 0)[:3]
    if len(parsed.release) > 3:
        raise ValueError(f"{version}: more than three release numbers")
    if parsed.dev is not None and (parsed.pre or parsed.post is not None):
        raise ValueError(f"{version}: a dev release of a pre- or post-release")
    if parsed.dev is not None:
        serial, build = parsed.dev, parsed.dev
    elif parsed.pre:
        stage, serial = parsed.pre
        build = STAGE_BASE[stage] + serial
    elif parsed.post is not None:
        serial = parsed.post
        build = FINAL + serial
    else:
        serial, build = 0, FINAL
    if serial > MAX_SERIAL or any(part > MAX_PART for part in release):
        raise ValueError(f"{version}: a number too large for Windows' version resource")
    return (*release, build)


def windows(version: str) -> str:
    return ".".join(str(part) for part in parts(version))


def macos(version: str) -> str:
    major, minor, patch, build = parts(version)
    return f"{major}.{minor}.{patch * 100000 + build}"


def short(version: str) -> str:
    """The release a version leads to (CFBundleShortVersionString): 0.2.0rc1 -> 0.2.0."""
    major, minor, patch, _ = parts(version)
    return f"{major}.{minor}.{patch}"


def app_version() -> str:
    init = Path(__file__).resolve().parent.parent / "desktop_app" / "__init__.py"
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__version__" for target in node.targets
        ):
            return str(ast.literal_eval(node.value))
    raise LookupError(f"no __version__ in {init}")


if __name__ == "__main__":
    forms = {"windows": windows, "macos": macos, "short": short}
    if len(sys.argv) not in (2, 3) or sys.argv[1] not in forms:
        sys.exit(f"usage: {sys.argv[0]} windows|macos|short [VERSION]")
    print(forms[sys.argv[1]](sys.argv[2] if len(sys.argv) == 3 else app_version()))
