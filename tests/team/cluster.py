"""A throwaway PostgreSQL cluster in a temporary folder, on a free loopback port.

Uses the server's own `initdb` and `pg_ctl` (Debian puts them in /usr/lib/postgresql/<N>/bin,
elsewhere they are on PATH). `initdb` refuses to run as root, so when the tests run as root (CI)
the cluster belongs to the unprivileged `nobody` and every server command runs through `runuser`.
Only loopback TCP is used (no Unix socket), with trust authentication except for members of
`password_required`: nothing outside this computer can reach it, and it is deleted when the
tests end.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg

SUPERUSER = "postgres"
# Members of this role must give their password (SCRAM); every other role is trusted.
PASSWORD_REQUIRED = "password_required"
UNPRIVILEGED = "nobody"


class ClusterUnavailable(RuntimeError):
    """PostgreSQL's server programs are missing or the cluster would not start."""


# Where the server programs live when they are not on PATH: Debian/Ubuntu, Homebrew (Apple
# silicon and Intel), and the Windows installer (GitHub's Windows images also set PGBIN).
_SERVER_GLOBS = (
    "/usr/lib/postgresql/*/bin",
    "/opt/homebrew/opt/postgresql@*/bin",
    "/usr/local/opt/postgresql@*/bin",
    "C:/Program Files/PostgreSQL/*/bin",
)


def _major(folder: str) -> int:
    digits = "".join(c for c in Path(folder).parent.name if c.isdigit())
    return int(digits) if digits else 0


def server_bin() -> Path:
    """The newest folder holding initdb and pg_ctl: PGBIN, PATH, then the usual places."""
    named = os.environ.get("PGBIN")
    if named and shutil.which("initdb", path=named):
        return Path(named)
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    folders = [f for pattern in _SERVER_GLOBS for f in glob.glob(pattern)]
    folders = sorted((f for f in folders if shutil.which("initdb", path=f)), key=_major)
    if not folders:
        raise ClusterUnavailable(
            "initdb was not found (install the PostgreSQL server: apt-get install postgresql, "
            "brew install postgresql@16, or the Windows installer)"
        )
    return Path(folders[-1])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


class ThrowawayCluster:
    def __init__(self) -> None:
        self.bin = server_bin()
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="desk-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self._as_root = _running_as_root()
        if self._as_root:
            shutil.chown(self.folder, user=UNPRIVILEGED)
        self.running = False

    def _run(self, *args: str) -> None:
        command = [str(a) for a in args]
        if self._as_root:
            command = ["runuser", "-u", UNPRIVILEGED, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.folder, check=False)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise ClusterUnavailable(
                f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()}\n{log}"
            )

    def create(self) -> ThrowawayCluster:
        self._run(
            self.bin / "initdb",
            "-D",
            self.data,
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        hba = self.data / "pg_hba.conf"
        rule = f"host all +{PASSWORD_REQUIRED} 127.0.0.1/32 scram-sha-256\n"
        hba.write_text(rule + hba.read_text())  # the first matching line wins
        self.start()
        with psycopg.connect(self.uri(), autocommit=True) as connection:
            connection.execute(f"CREATE ROLE {PASSWORD_REQUIRED} NOLOGIN")
        return self

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        if os.name != "nt":  # TCP only; Windows has no socket directory to set
            options += " -c unix_socket_directories=''"
        pg_ctl = self.bin / "pg_ctl"
        self._run(pg_ctl, "-D", self.data, "-l", self.log, "-o", options, "-w", "start")
        self.running = True

    def stop(self) -> None:
        self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")
        self.running = False

    def uri(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}?sslmode=disable"

    def destroy(self) -> None:
        if self.running:
            with contextlib.suppress(ClusterUnavailable):
                self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
