"""`redemption-desk --self-test`: prove that this build works on this machine.

Run by the release workflow and `.ci/run` against the frozen app, and by the tests unfrozen. Each
check prints one line, PASS or FAIL with a detail, so a broken installer is diagnosed from the log
alone. The self-test never touches the user's files or keychain entries: the window gets a
temporary data folder and the keyring is only asked which backend it would use.

The Qt checks run last because a missing platform plugin makes Qt abort the whole process; by
then every other line is already printed (and the exit code is non-zero all the same).

When the frozen Windows app is built "windowed" it has no stdout, so the report can also be
written to the file named by the environment variable REDEMPTION_DESK_SELF_TEST_REPORT.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

REPORT_FILE_VARIABLE = "REDEMPTION_DESK_SELF_TEST_REPORT"
# Set to 1 to fail the keyring check unless the OS keyring answers (e.g. a Linux CI job that runs
# a Secret Service). A frozen build on Windows or macOS always demands it.
NATIVE_KEYRING_VARIABLE = "REDEMPTION_DESK_REQUIRE_NATIVE_KEYRING"
NATIVE_KEYRINGS = {
    "win32": ("keyring.backends.Windows",),
    "darwin": ("keyring.backends.macOS",),
    "linux": (
        "keyring.backends.SecretService",
        "keyring.backends.libsecret",
        "keyring.backends.kwallet",
    ),
}

# The demo redemption every build must be able to read back from the in-process sandbox.
DEMO_MOBILE = "919800000001"
DEMO_REDEMPTION_ID = "NZVAt9"
DEMO_BILL_ID = 235
DEMO_BILL_NUMBER = "bill-old-77"


class CheckFailed(Exception):
    """A check ran to the end and found something wrong; the message says what."""


@dataclass(frozen=True)
class CheckResult:
    name: str
    passed: bool
    detail: str

    def line(self) -> str:
        return f"{'PASS' if self.passed else 'FAIL'}  {self.name:<22} {self.detail}"


def run_self_test(app: ModuleType) -> int:
    """Run every check, print the report, and return the process exit code (0 = all passed).

    `app` is desktop_app.app, handed in by it (the composition root), so this module never
    imports it."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    report = _Report()
    report.emit(_header())
    with tempfile.TemporaryDirectory(
        prefix="redemption-desk-self-test-", ignore_cleanup_errors=True
    ) as data_dir:
        checks: list[tuple[str, Callable[[], str]]] = [
            ("bundled resources", _check_resources),
            ("SQLite FTS5", _check_sqlite_fts5),
            ("TLS context", _check_tls_context),
            ("keyring backend", _check_keyring_backend),
            (
                "output without console",
                lambda: _check_output_without_console(app, Path(data_dir)),
            ),
            ("PostgreSQL driver", _check_postgresql_driver),
            ("sandbox round trip", _check_sandbox_round_trip),
            ("Qt platform plugin", _qt_check("check_platform")),
            ("Qt text and locale", _qt_check("check_text")),
            ("icons", _qt_check("check_icons")),
            ("main window", lambda: _check_main_window(app, Path(data_dir))),
        ]
        results = [report.record(_run_check(name, check)) for name, check in checks]
    failed = [result.name for result in results if not result.passed]
    if failed:
        names = ", ".join(failed)
        report.emit(f"self-test FAILED: {len(failed)} of {len(results)} checks ({names})")
        return 1
    report.emit(f"self-test passed: {len(results)} of {len(results)} checks")
    return 0


class _Report:
    """Prints each line as soon as it is known, and mirrors it to the report file if asked."""

    def __init__(self) -> None:
        if sys.stdout is not None and hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(errors="backslashreplace")  # a window title on an ASCII console
        self._path = os.environ.get(REPORT_FILE_VARIABLE) or None
        if self._path:
            try:
                Path(self._path).write_text("", encoding="utf-8")
            except OSError as error:
                self._path = None
                self.emit(f"(cannot write the report to {REPORT_FILE_VARIABLE}: {error})")

    def emit(self, line: str) -> None:
        if sys.stdout is not None:  # None in a windowed Windows build
            print(line, flush=True)
        if self._path:
            with open(self._path, "a", encoding="utf-8") as report_file:
                report_file.write(line + "\n")

    def record(self, result: CheckResult) -> CheckResult:
        self.emit(result.line())
        return result


def _header() -> str:
    from desktop_app import APP_NAME, __version__

    build = "frozen" if getattr(sys, "frozen", False) else "from source"
    return (
        f"{APP_NAME} {__version__} self-test ({build}; Python {platform.python_version()}; "
        f"{platform.system()} {platform.machine()})"
    )


def _qt_check(name: str) -> Callable[[], str]:
    """The Qt checks live with the UI (only desktop_app/ui and app.py import Qt)."""

    def check() -> str:
        from desktop_app.ui import qt_checks

        return getattr(qt_checks, name)()

    return check


def _run_check(name: str, check: Callable[[], str]) -> CheckResult:
    from desktop_app.ui.qt_checks import QtCheckFailed

    try:
        return CheckResult(name, True, check())
    except (CheckFailed, QtCheckFailed) as failure:
        return CheckResult(name, False, str(failure))
    except ImportError as missing:
        return CheckResult(name, False, f"cannot import what this check needs: {missing}")
    except Exception as error:  # a self-test reports every failure rather than stopping
        return CheckResult(name, False, f"{type(error).__name__}: {error}")


def _check_resources() -> str:
    from desktop_app import resources_dir

    folder = resources_dir()
    files = [path for path in folder.rglob("*") if path.is_file()] if folder.is_dir() else []
    if not files:
        raise CheckFailed(f"no files under {folder}")
    return f"{len(files)} files in {folder}"


def _check_sqlite_fts5() -> str:
    import sqlite3

    connection = sqlite3.connect(":memory:")
    try:
        # The history's search index uses the trigram tokenizer (SQLite 3.34 and later).
        connection.execute("CREATE VIRTUAL TABLE probe USING fts5(body, tokenize='trigram')")
        connection.execute("INSERT INTO probe(body) VALUES ('bill corrected after pos outage')")
        (hits,) = connection.execute(
            "SELECT count(*) FROM probe WHERE probe MATCH 'utag'"
        ).fetchone()
    except sqlite3.OperationalError as error:
        raise CheckFailed(f"SQLite {sqlite3.sqlite_version} has no FTS5: {error}") from error
    finally:
        connection.close()
    if hits != 1:
        raise CheckFailed(f"FTS5 search found {hits} rows instead of 1")
    return f"SQLite {sqlite3.sqlite_version} with FTS5 and the trigram tokenizer"


def _check_tls_context() -> str:
    import ssl

    import truststore

    from desktop_app.core.client import tls_context

    context = tls_context()  # the very context every request uses
    if context.verify_mode != ssl.CERT_REQUIRED or not context.check_hostname:
        raise CheckFailed("the context does not verify certificates and host names")
    return f"truststore {truststore.__version__} over {ssl.OPENSSL_VERSION}"


def _check_postgresql_driver() -> str:
    """The team database's driver: psycopg with its bundled libpq, and the pool."""
    import psycopg
    import psycopg_pool

    from desktop_app.core.team.settings import TeamDatabase

    if psycopg.pq.__impl__ != "binary":
        raise CheckFailed(f"psycopg uses its {psycopg.pq.__impl__} implementation, not binary")
    conninfo = TeamDatabase("db.example.com", "team", "agent").conninfo()
    if "sslmode=verify-full" not in conninfo:
        raise CheckFailed(f"a remote team database would not verify TLS: {conninfo}")
    libpq = psycopg.pq.version()
    return (
        f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__}, libpq {libpq // 10000}."
        f"{libpq % 100}), psycopg_pool {psycopg_pool.__version__}"
    )


def _check_keyring_backend() -> str:
    """The OS keyring's own backend answers: not keyring's `fail` or `null` stand-ins, which
    mean a build lost the backends (passwords would then last one session only)."""
    import keyring

    backend = keyring.get_keyring()
    chained = getattr(backend, "backends", None)
    backends = list(chained) if chained is not None else [backend]
    modules = [type(each).__module__ for each in backends]
    name = ", ".join(f"{type(each).__module__}.{type(each).__name__}" for each in backends)
    native = NATIVE_KEYRINGS.get(sys.platform, ())
    if any(module.startswith(native) for module in modules if native):
        return name
    frozen_here = getattr(sys, "frozen", False) and sys.platform in ("win32", "darwin")
    if frozen_here or os.environ.get(NATIVE_KEYRING_VARIABLE) == "1":
        raise CheckFailed(
            f"{name or 'no backend'}: not this system's keyring ({', '.join(native)})"
        )
    return f"{name or 'no backend'} (no OS keyring in this session: passwords last one session)"


def _check_output_without_console(app: ModuleType, data_dir: Path) -> str:
    """What a windowed Windows app prints (--version here) reaches the output file when the
    process has no stdout and no stderr, and the exit code survives."""
    from desktop_app import __version__

    output = data_dir / "console output.txt"
    saved_streams = sys.stdout, sys.stderr
    saved_variable = os.environ.get(app.OUTPUT_FILE_VARIABLE)
    os.environ[app.OUTPUT_FILE_VARIABLE] = str(output)
    sys.stdout = sys.stderr = None
    try:
        app.console_fallback()
        try:
            app.parse_args(["--version"])
            code = None
        except SystemExit as exit_:
            code = exit_.code
        finally:
            if sys.stdout is not None:
                sys.stdout.close()
    finally:
        sys.stdout, sys.stderr = saved_streams
        if saved_variable is None:
            os.environ.pop(app.OUTPUT_FILE_VARIABLE, None)
        else:
            os.environ[app.OUTPUT_FILE_VARIABLE] = saved_variable
    written = output.read_text(encoding="utf-8") if output.exists() else ""
    expected = f"redemption-desk {__version__}\n"
    if code != 0 or written != expected:
        raise CheckFailed(f"--version without a console exited {code} and wrote {written!r}")
    return "--version went to the output file, exit code 0"


def _check_sandbox_round_trip() -> str:
    from desktop_app.core.client import CapillaryClient
    from desktop_app.core.model import Credentials, Entity, KeyKind, RedemptionKey
    from desktop_app.sandbox import DEMO_PASSWORD_MD5, DEMO_USERNAME, Sandbox

    entity = Entity("CUSTOMER", "mobile", DEMO_MOBILE)
    key = RedemptionKey(KeyKind.REDEMPTION_ID, DEMO_REDEMPTION_ID)
    with Sandbox() as sandbox:
        client = CapillaryClient(sandbox.base_url, Credentials(DEMO_USERNAME, DEMO_PASSWORD_MD5))
        redemption = client.find_redemption(entity, key)
        found = (redemption.bill_id, redemption.bill_number)
        if found != (DEMO_BILL_ID, DEMO_BILL_NUMBER):
            raise CheckFailed(
                f"{DEMO_REDEMPTION_ID} came back with bill {found}, "
                f"expected {(DEMO_BILL_ID, DEMO_BILL_NUMBER)}"
            )
        return f"found {DEMO_REDEMPTION_ID} (bill ID {redemption.bill_id}) at {sandbox.base_url}"


def _check_main_window(app: ModuleType, data_dir: Path) -> str:
    from desktop_app.ui import qt_checks

    qt_checks.application()
    return qt_checks.show_and_describe(app.build_window(["--demo", "--data-dir", str(data_dir)]))
