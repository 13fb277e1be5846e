"""Which app processes are still alive, so only a dead process's pending rows become "unknown".

Each process that opens the history holds an exclusive OS lock on its own file
`<history>-writers/<token>.lock` for as long as it runs; every row it writes carries the token.
The OS drops the lock when the process ends, however it ends (crash, SIGKILL, power loss), so
"I can take the lock" means "that process is gone". A PID alone could be reused by another
program; a lock cannot outlive its holder.
"""

from __future__ import annotations

import contextlib
import os
import sys
import uuid
from pathlib import Path
from typing import BinaryIO

if sys.platform == "win32":
    import msvcrt

    def _try_lock(handle: BinaryIO) -> bool:
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: BinaryIO) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: BinaryIO) -> bool:
        # flock, not lockf: flock locks belong to the open file, so a second store in the same
        # process is told the truth too (lockf locks belong to the process).
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(handle: BinaryIO) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def writers_folder(database: Path) -> Path:
    return database.with_name(database.name + "-writers")


class WriterLock:
    """This process's claim on its pending rows, held until `release`."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.token = uuid.uuid4().hex
        self._path = folder / f"{self.token}.lock"
        self._handle: BinaryIO | None = open(self._path, "w+b")  # noqa: SIM115 - held open on purpose
        self._handle.write(str(os.getpid()).encode())
        self._handle.flush()
        if not _try_lock(self._handle):
            self._handle.close()
            raise OSError(f"could not lock {self._path}")

    def release(self) -> None:
        if self._handle is None:
            return
        _unlock(self._handle)
        self._handle.close()
        self._handle = None
        self._path.unlink(missing_ok=True)


def writer_is_alive(folder: Path, token: str) -> bool:
    """True while the process that holds `token` runs. Removes the lock file of a dead one."""
    path = folder / f"{token}.lock"
    try:
        handle = open(path, "r+b")  # noqa: SIM115 - closed below on every path
    except FileNotFoundError:
        return False
    except OSError:
        return True  # cannot tell: never take a live process's row away
    with handle:
        if not _try_lock(handle):
            return True
        _unlock(handle)
    with contextlib.suppress(OSError):  # another process may be removing it at the same moment
        path.unlink()
    return False


def remove_dead_lock_files(folder: Path) -> None:
    """Lock files left by processes that died without pending rows."""
    for path in folder.glob("*.lock"):
        writer_is_alive(folder, path.stem)
