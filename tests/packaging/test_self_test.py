"""`--self-test` run the way a release runs it, but from source: a real subprocess, real checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKS = (
    "bundled resources",
    "SQLite FTS5",
    "TLS context",
    "keyring backend",
    "output without console",
    "PostgreSQL driver",
    "sandbox round trip",
    "Qt platform plugin",
    "Qt text and locale",
    "icons",
    "main window",
)


def run_self_test(
    tmp_path: Path, prelude: str = "", **variables: str
) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "REDEMPTION_DESK_SELF_TEST_REPORT": str(tmp_path / "report.txt"),
        **variables,
    }
    env.pop("QT_QPA_PLATFORM", None)  # the self-test must choose offscreen by itself
    code = f"{prelude}\nfrom desktop_app.app import main\nraise SystemExit(main(['--self-test']))"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def report_lines(result: subprocess.CompletedProcess) -> list[str]:
    return result.stdout.splitlines()


def test_every_check_passes_from_source_and_the_report_file_matches(tmp_path):
    result = run_self_test(tmp_path)

    lines = report_lines(result)
    assert result.returncode == 0, result.stdout + result.stderr
    assert lines[0].startswith("Redemption Desk ") and "from source" in lines[0]
    for check in CHECKS:
        assert any(line.startswith(f"PASS  {check} ") for line in lines), f"{check}: {lines}"
    assert lines[-1] == f"self-test passed: {len(CHECKS)} of {len(CHECKS)} checks"
    assert any("offscreen" in line for line in lines if "Qt platform plugin" in line)
    assert any("NZVAt9 (bill ID 235)" in line for line in lines)
    # A windowed Windows build has no stdout: the file must carry the same report.
    assert (tmp_path / "report.txt").read_text(encoding="utf-8").splitlines() == lines


def test_a_missing_piece_is_a_readable_fail_line_and_the_other_checks_still_run(tmp_path):
    # As if truststore had been left out of a build.
    result = run_self_test(tmp_path, prelude="import sys; sys.modules['truststore'] = None")

    lines = report_lines(result)
    assert result.returncode == 1, result.stdout + result.stderr
    (tls_line,) = [line for line in lines if line[6:].startswith("TLS context ")]
    assert tls_line.startswith("FAIL  TLS context ")
    assert "cannot import what this check needs" in tls_line and "truststore" in tls_line
    assert any(line.startswith("PASS  SQLite FTS5 ") for line in lines)
    assert any(line.startswith("PASS  Qt platform plugin ") for line in lines)
    assert lines[-1].startswith("self-test FAILED: ") and "TLS context" in lines[-1]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("stand_in", ["fail", "null"])
def test_a_keyring_stand_in_fails_the_check_when_the_native_keyring_is_demanded(tmp_path, stand_in):
    # What a frozen Windows or macOS build that lost keyring's backends would find.
    prelude = (
        f"import keyring\nfrom keyring.backends import {stand_in}\n"
        f"keyring.set_keyring({stand_in}.Keyring())"
    )
    result = run_self_test(tmp_path, prelude, REDEMPTION_DESK_REQUIRE_NATIVE_KEYRING="1")

    lines = report_lines(result)
    assert result.returncode == 1, result.stdout + result.stderr
    (keyring_line,) = [line for line in lines if line[6:].startswith("keyring backend ")]
    assert keyring_line.startswith("FAIL  keyring backend ")
    assert f"keyring.backends.{stand_in}.Keyring" in keyring_line
    assert "not this system's keyring" in keyring_line
