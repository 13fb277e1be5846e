"""The desk's files hold customers' mobiles and emails: on POSIX they are readable by their owner
only (0600 in 0700 folders). Windows keeps per-user folders private by their ACLs, so there
nothing is changed."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700
_POSIX = os.name == "posix"


def keep_new_files_private() -> None:
    """Every file and folder this process creates from now on — history, its journal, settings,
    log, exports — is created private (umask 077), whoever creates it (SQLite, Qt, logging)."""
    if _POSIX:
        os.umask(0o077)


def make_private(path: Path) -> None:
    """Narrows an existing file to 0600 or folder to 0700; never raises (best effort: a file on
    a filesystem without modes, or owned by someone else, stays as it is)."""
    if not _POSIX:
        return
    with contextlib.suppress(OSError):
        os.chmod(path, FOLDER_MODE if path.is_dir() else FILE_MODE)
