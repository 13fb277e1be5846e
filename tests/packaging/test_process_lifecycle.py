"""The app as a process: shut down cleanly on SIGTERM/SIGINT, and work without a console.

Real subprocesses of `python -m desktop_app`; the windowed Windows exe (no stdout, no stderr) is
reproduced by setting both streams to None before `main` runs, as its bootloader leaves them.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop_app import __version__

START_TIMEOUT_S = 60


def run_without_console(tmp_path: Path, code: str) -> tuple[subprocess.CompletedProcess, str]:
    output = tmp_path / "Zoë O'Brien 山田" / "output file.txt"  # its folder made by the app
    env = {**os.environ, "REDEMPTION_DESK_OUTPUT": str(output), "QT_QPA_PLATFORM": "offscreen"}
    prelude = "import sys\nsys.stdout = None\nsys.stderr = None\nfrom desktop_app.app import main\n"
    result = subprocess.run(
        [sys.executable, "-c", prelude + code],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result, output.read_text(encoding="utf-8") if output.exists() else ""


def test_without_a_console_version_and_help_are_written_to_the_output_file(tmp_path):
    result, written = run_without_console(tmp_path, "raise SystemExit(main(['--version']))")
    assert (result.returncode, written) == (0, f"redemption-desk {__version__}\n")

    result, written = run_without_console(tmp_path, "raise SystemExit(main(['--help']))")
    assert result.returncode == 0
    assert written.startswith("usage: redemption-desk") and "--self-test" in written


def test_without_a_console_a_wrong_option_is_explained_in_the_file_and_exits_2(tmp_path):
    result, written = run_without_console(tmp_path, "raise SystemExit(main(['--no-such']))")
    assert result.returncode == 2
    assert "unrecognised arguments: --no-such" in written or "--no-such" in written


def test_without_a_console_an_uncaught_error_leaves_its_traceback_and_exits_non_zero(tmp_path):
    code = (
        "import desktop_app.app as app\n"
        "def broken(argv):\n"
        "    raise RuntimeError('profiles folder on fire')\n"
        "app.parse_args = broken\n"
        "code = main(['--demo'])\n"
        "print('main returned', code)\n"
        "raise SystemExit(code)"
    )
    result, written = run_without_console(tmp_path, code)
    assert result.returncode == 1
    assert "Traceback" in written and "RuntimeError: profiles folder on fire" in written
    # main returned instead of raising: a windowed bootloader would show an escaped exception
    # in a modal dialog.
    assert written.endswith("main returned 1\n")


def wait_until(condition, what: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while not condition():
        assert process.poll() is None, f"the app exited ({process.returncode}) before {what}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)  # polling another process's files, not waiting on Qt


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="POSIX signals: Windows delivers no SIGTERM to a windowed app (Windows closes it "
    "through WM_CLOSE / the Restart Manager, which Qt handles as a normal quit)",
)
@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT"])
def test_a_termination_signal_shuts_down_cleanly(tmp_path, signal_name):
    data = tmp_path / "data"
    writers = data / "history.sqlite3-writers"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "desktop_app",
            "--base-url",
            "http://127.0.0.1:9",
            "--username",
            "store.server",
            "--data-dir",
            str(data),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # The history is open (its writer lock taken) once the background warm-up is done.
        wait_until(lambda: any(writers.glob("*.lock")), "the history's writer lock", process)
        process.send_signal(getattr(signal, signal_name))
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert list(writers.glob("*.lock")) == []  # the writer lock released and removed
    assert not (data / "history.sqlite3-wal").exists()  # checkpointed and closed
    assert (data / "history.sqlite3").stat().st_size > 0
