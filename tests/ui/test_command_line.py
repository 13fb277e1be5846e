"""The command line: our options (argparse: help, abbreviations, mistakes), Qt's single-dash
options passed on to Qt, and the checks that refuse what would start the desk wrongly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.app import parse_args

DEFAULTS = {"base_url": None, "username": None, "data_dir": None, "demo": False, "self_test": False}
LOCAL = "http://127.0.0.1:9"


@pytest.mark.parametrize(
    ("args", "options", "qt_args"),
    [
        ([], {}, []),
        (["--demo", "--data-dir", "desk"], {"demo": True, "data_dir": Path("desk")}, []),
        (["--base-url=" + LOCAL, "--username=till"], {"base_url": LOCAL, "username": "till"}, []),
        (["--base", LOCAL, "--user", "till"], {"base_url": LOCAL, "username": "till"}, []),
        (
            ["--username", "first", "--username", "second", "--base-url", LOCAL],
            {"base_url": LOCAL, "username": "second"},
            [],
        ),
        (["--self-test"], {"self_test": True}, []),
        (
            ["-platform", "offscreen", "--demo", "-style", "Fusion", "-reverse"],
            {"demo": True},
            ["-platform", "offscreen", "-style", "Fusion", "-reverse"],
        ),
        (["--demo", "-platform"], {"demo": True}, ["-platform"]),
    ],
)
def test_our_options_are_read_and_qt_options_passed_on(args, options, qt_args):
    parsed, rest = parse_args(args)
    assert vars(parsed) == {**DEFAULTS, **options}
    assert rest == qt_args


@pytest.mark.parametrize(
    "args", [["--usrname", "typo"], ["--demo=yes"], ["--demo", "extra"], ["--username"]]
)
def test_a_mistake_is_refused_with_exit_code_2(args, capsys):
    with pytest.raises(SystemExit) as stopped:
        parse_args(args)
    assert stopped.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_the_checks_apply_to_what_argparse_read(capsys):
    with pytest.raises(SystemExit):
        parse_args(["--base-url", "eu.api.capillarytech.com", "--username", "u"])
    assert (
        "--base-url 'eu.api.capillarytech.com': Enter the whole address" in capsys.readouterr().err
    )
    with pytest.raises(SystemExit):
        parse_args(["--demo", "--base-url", "http://127.0.0.1:9", "--username", "u"])
    options, _ = parse_args(["desk", "--data-dir", "here"])
    assert options.data_dir == Path("here")


@pytest.mark.parametrize(
    "url", ["http://eu.api.capillarytech.com", "http://10.0.0.7:8080", "HTTP://[2001:db8::1]"]
)
def test_plain_http_off_this_computer_is_refused_before_the_desk_starts(url, capsys):
    # Issue 11 item 2: the Basic token would have gone out unencrypted.
    with pytest.raises(SystemExit) as stopped:
        parse_args(["--base-url", url, "--username", "u"])
    assert stopped.value.code == 2
    assert "Use https://" in capsys.readouterr().err


@pytest.mark.parametrize("url", ["http://localhost:8080", "http://127.0.0.2:9", "http://[::1]:9"])
def test_plain_http_to_this_computer_is_accepted(url):
    assert parse_args(["--base-url", url, "--username", "u"])[0].base_url == url


def test_a_data_dir_that_is_empty_a_file_or_has_a_line_break_is_refused(tmp_path, capsys):
    # Issue 11 item 9: a file ended in a traceback, "" wrote into the current folder and a
    # newline forged a log line.
    a_file = tmp_path / "history.txt"
    a_file.write_text("not a folder")
    for value, said in (
        ("", "needs a folder name"),
        ("  ", "needs a folder name"),
        (str(a_file), "is a file, not a folder"),
        ("desk\n2026-01-01 INFO forged", "line break"),
    ):
        for args in (["--data-dir", value], [f"--data-dir={value}"]):
            with pytest.raises(SystemExit) as stopped:
                parse_args([*args, "--demo"])
            assert stopped.value.code == 2
            assert said in capsys.readouterr().err


def start_desk(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_data_dir_under_a_file_is_refused_in_words_with_exit_code_2(tmp_path):
    in_the_way = tmp_path / "desk.txt"
    in_the_way.write_text("a file where a folder would go")
    data_dir = in_the_way / "desk"
    started = start_desk(tmp_path, "--data-dir", str(data_dir), "--demo")
    assert (started.returncode, started.stderr) == (
        2,
        f"redemption-desk: error: --data-dir {str(data_dir)!r}: the folder {data_dir} "
        f"cannot be made: {in_the_way} is a file, not a folder\n",
    )
    assert in_the_way.read_text() == "a file where a folder would go"


@pytest.mark.skipif(os.name != "posix", reason="Windows folders have no mode to make read-only")
@pytest.mark.skipif(
    os.name == "posix" and os.geteuid() == 0,
    reason="root writes into a read-only folder anyway (the file-in-the-way test holds for root)",
)
def test_a_data_dir_in_a_read_only_folder_is_refused_in_words_with_exit_code_2(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        started = start_desk(tmp_path, "--data-dir", str(locked / "desk"), "--demo")
    finally:
        locked.chmod(0o700)
    assert started.returncode == 2
    assert started.stderr == (
        f"redemption-desk: error: --data-dir {str(locked / 'desk')!r}: the folder "
        f"{locked / 'desk'} cannot be made or used: Permission denied\n"
    )
