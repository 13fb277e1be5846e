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

REPORT_FILE_VARIABLE = "REDEMPTION_DESK_SELF_TEST_REPORT"

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


def run_self_test() -> int:
    """Run every check, print the report, and return the process exit code (0 = all passed)."""
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
            ("sandbox round trip", _check_sandbox_round_trip),
            ("Qt platform plugin", _qt_check("check_platform")),
            ("Qt text and locale", _qt_check("check_text")),
            ("main window", lambda: _check_main_window(Path(data_dir))),
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
    import desktop_app

    folder = Path(desktop_app.__file__).resolve().parent / "resources"
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


def _check_keyring_backend() -> str:
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if isinstance(backend, fail.Keyring):
        if sys.platform in ("win32", "darwin"):
            # The OS keyring always exists here: its absence means the build lost the backends.
            raise CheckFailed(f"{name}: keyring found no backend in this build")
        return f"{name} (no Secret Service on this session: passwords kept for the session only)"
    return name


def _check_sandbox_round_trip() -> str:
    from desktop_app.core.client import CapillaryClient
    from desktop_app.core.model import Credentials, Entity, KeyKind, RedemptionKey
    from desktop_app.sandbox import DEMO_PASSWORD_MD5, DEMO_USERNAME, Sandbox

    entity = Entity("CUSTOMER", "mobile", DEMO_MOBILE)
    key = RedemptionKey(KeyKind.REDEMPTION_ID, DEMO_REDEMPTION_ID)
    with Sandbox() as sandbox:
        client = CapillaryClient(sandbox.base_url, Credentials(DEMO_USERNAME, DEMO_PASSWORD_MD5))
        try:
            redemption = client.find_redemption(entity, key)
        finally:
            client.close()
        found = (redemption.bill_id, redemption.bill_number)
        if found != (DEMO_BILL_ID, DEMO_BILL_NUMBER):
            raise CheckFailed(
                f"{DEMO_REDEMPTION_ID} came back with bill {found}, "
                f"expected {(DEMO_BILL_ID, DEMO_BILL_NUMBER)}"
            )
        return f"found {DEMO_REDEMPTION_ID} (bill ID {redemption.bill_id}) at {sandbox.base_url}"


def _check_main_window(data_dir: Path) -> str:
    from desktop_app.app import build_window
    from desktop_app.ui import qt_checks

    qt_checks.application()
    return qt_checks.show_and_describe(build_window(["--demo", "--data-dir", str(data_dir)]))
