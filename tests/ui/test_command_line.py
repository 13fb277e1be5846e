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
    assert "needs a full http(s) URL" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        parse_args(["--demo", "--base-url", "http://127.0.0.1:9", "--username", "u"])
    options, _ = parse_args(["desk", "--data-dir", "here"])
    assert options.data_dir == Path("here")
