"""The command line is read without argparse when every argument is plainly one of ours or Qt's
(start-up time), and then means exactly what argparse makes of it; everything else goes to
argparse, so help, abbreviations and mistakes behave as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.app import _parse_fully, _parse_plainly, parse_args

PLAIN = [
    [],
    ["--demo"],
    ["--demo", "--data-dir", "/tmp/desk"],
    ["--base-url", "https://eu.api.capillarytech.com", "--username", "till"],
    ["--base-url=https://eu.api.capillarytech.com", "--username=till", "--data-dir=d"],
    ["--username", "first", "--username", "second", "--base-url", "http://127.0.0.1:9"],
    ["--self-test"],
    ["-platform", "offscreen", "--demo", "-style", "Fusion", "-reverse"],
    ["--demo", "-platform"],
    ["--username=", "--base-url=http://x"],
]
NOT_PLAIN = [
    ["--help"],
    ["-h"],
    ["--version"],
    ["--base", "http://x", "--user", "u"],  # abbreviations argparse accepts
    ["--usrname", "typo"],
    ["--username", "-1", "--base-url", "http://x"],
    ["--username"],
    ["--demo=yes"],
    ["extra"],
    ["--", "--demo"],
    ["-platform", "-reverse"],
]


@pytest.mark.parametrize("args", PLAIN)
def test_plain_arguments_mean_what_argparse_makes_of_them(args):
    plain = _parse_plainly(args)
    assert plain is not None
    options, qt_args = _parse_fully(args)
    assert vars(plain[0]) == vars(options)
    assert plain[1] == qt_args


@pytest.mark.parametrize("args", NOT_PLAIN)
def test_anything_else_is_left_to_argparse(args):
    assert _parse_plainly(args) is None


def test_the_checks_apply_to_plainly_read_arguments_too(capsys):
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
