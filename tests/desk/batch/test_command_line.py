"""`redemption-desk-batch` / `python -m desktop_app.batch`: options, exit codes, the report,
credentials, and a run killed with SIGKILL then resumed (each row applied exactly once)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections import Counter

import pytest

from desktop_app.batch.__main__ import main
from desktop_app.desk.batch import REPORT_COLUMNS
from desktop_app.sandbox import DEMO_PASSWORD, DEMO_USERNAME
from tests.desk.batch.conftest import ASHA, RAVI, row
from tests.desk.batch.test_runs import wait_for


@pytest.fixture
def cli(sandbox, tmp_path, monkeypatch, capsys):
    """Runs main() with the sandbox's till; `stdin` is what standard input holds."""

    def run(*args: str, stdin: str = DEMO_PASSWORD + "\n", connect: bool = True) -> tuple[int, str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        connection = (
            ["--base-url", sandbox.base_url, "--username", DEMO_USERNAME] if connect else []
        )
        code = main([*args, *connection, "--data-dir", str(tmp_path / "data")])
        return code, capsys.readouterr().err

    return run


def read_report(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_report_lines_and_exit_code_1(cli, batch_file, tmp_path, sandbox):
    path = batch_file(
        [
            row(ASHA, rid="NZVAt9", bill_number="new", purpose='=HYPERLINK("http://x")'),
            row(RAVI, rid="RaVi99", purpose="x"),
            row(RAVI, rid="RaVi01", bill_id="0"),
        ]
    )
    report = tmp_path / "out.csv"
    code, err = cli(str(path), "--password-stdin", "--yes", "--report", str(report))
    assert code == 1, err
    assert report.read_bytes().startswith(b"\xef\xbb\xbfrow,")  # Excel reads it as UTF-8
    lines = read_report(report)
    assert tuple(lines[0]) == REPORT_COLUMNS
    assert [(line["row"], line["redemption"], line["outcome"]) for line in lines] == [
        ("1", "NZVAt9", "applied"),
        ("2", "RaVi99", "not_found"),
        ("3", "RaVi01", "refused"),
    ]
    assert lines[0]["bill_number_before"] == "bill-old-77"
    assert lines[0]["bill_number_after"] == "new"
    assert lines[0]["purpose_after"] == '\'=HYPERLINK("http://x")'  # never runs in Excel
    assert "greater than 0" in lines[2]["message"]
    assert "1 applied, 1 refused, 1 not_found" in err


def test_all_fine_exits_0_and_dry_run_sends_nothing(cli, batch_file, sandbox):
    path = batch_file([row(ASHA, rid="NZVAt9", purpose="dry")])
    code, err = cli(str(path), "--password-stdin", "--dry-run")
    assert (code, sandbox.update_count) == (0, 0)
    assert "would_apply" in err
    code, err = cli(str(path), "--password-stdin", "--yes")
    assert (code, sandbox.update_count) == (0, 1)


def test_unknown_exits_3_even_with_failures(cli, batch_file, sandbox):
    sandbox.set_fault("drop_connection", endpoint="update", times=1)
    path = batch_file([row(ASHA, rid="NZVAt9", purpose="x"), row(RAVI, rid="RaVi99", purpose="y")])
    code, _err = cli(str(path), "--password-stdin", "--yes", "--concurrency", "1")
    assert code == 3
    assert sandbox.update_count == 1


def test_rejected_password_exits_2_sends_no_update_stores_nothing(
    cli, batch_file, sandbox, memory_keyring
):
    path = batch_file([row(ASHA, rid="NZVAt9", purpose="x"), row(RAVI, rid="RaVi01", purpose="y")])
    code, err = cli(str(path), "--password-stdin", "--yes", stdin="wrong\n")
    assert code == 2
    assert "rejected the credentials" in err
    assert sandbox.update_count == 0
    assert memory_keyring.entries == {}


def test_saved_digest_is_used_and_typed_password_is_never_stored(
    cli, batch_file, sandbox, memory_keyring
):
    path = batch_file([row(ASHA, rid="NZVAt9", purpose="x")])
    code, _ = cli(str(path), "--password-stdin", "--yes")
    assert code == 0 and memory_keyring.entries == {}
    from desktop_app.core.credentials import SERVICE, account_name
    from desktop_app.sandbox import DEMO_PASSWORD_MD5

    host = sandbox.base_url.split("//")[1]
    memory_keyring.entries[(SERVICE, account_name(host, DEMO_USERNAME))] = DEMO_PASSWORD_MD5
    code, _ = cli(str(batch_file([row(ASHA, rid="NZVAt9", purpose="y")], "two.csv")), "--yes")
    assert code == 0 and sandbox.redemption("NZVAt9").purpose == "y"


@pytest.mark.parametrize(
    ("args", "stdin", "words"),
    [
        (["--yes"], "", "no terminal to ask on: use --password-stdin"),
        (["--password-stdin"], DEMO_PASSWORD, "add --yes"),
        (["--password-stdin", "--yes"], "\n", "gave no password"),
        (["--password-stdin", "--yes", "--concurrency", "9"], DEMO_PASSWORD, "--concurrency must"),
    ],
)
def test_usage_and_credential_errors_exit_2_before_any_request(
    cli, batch_file, sandbox, args, stdin, words
):
    path = batch_file([row(ASHA, rid="NZVAt9", purpose="x")])
    code, err = cli(str(path), *args, stdin=stdin)
    assert code == 2
    assert words in err
    assert sandbox.received == []


def test_file_errors_exit_2_before_any_request(cli, tmp_path, sandbox, batch_file):
    missing_column = tmp_path / "m.csv"
    missing_column.write_text("identifier_type,redemption_id,purpose\nmobile,A,b\n", "utf-8")
    code, err = cli(str(missing_column), "--password-stdin", "--yes")
    assert code == 2 and "identifier_value" in err
    good = batch_file([row(ASHA, rid="NZVAt9", purpose="x")])
    code, err = cli(
        str(good), "--password-stdin", "--yes", "--report", str(tmp_path / "no" / "r.csv")
    )
    assert code == 2 and "there is no folder" in err
    assert sandbox.received == []


def test_a_data_folder_the_os_refuses_exits_2_before_any_request(
    cli, tmp_path, sandbox, batch_file
):
    path = batch_file([row(ASHA, rid="NZVAt9", purpose="x")])
    (tmp_path / "data").write_text("a file where the data folder should be", "utf-8")
    code, err = cli(str(path), "--password-stdin", "--yes")
    assert code == 2
    assert "is a file, not a folder" in err and "nothing was sent" in err
    assert sandbox.received == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_the_history_a_run_writes_is_private(cli, tmp_path, batch_file):
    path = batch_file([row(ASHA, rid="NZVAt9", purpose="private")])
    code, err = cli(str(path), "--password-stdin", "--yes")
    assert code == 0, err
    history = tmp_path / "data" / "history.sqlite3"
    assert history.stat().st_mode & 0o777 == 0o600
    assert history.parent.stat().st_mode & 0o777 == 0o700


def test_profiles_by_name_and_errors(cli, batch_file, tmp_path, sandbox):
    from desktop_app.core.profiles import Profile, ProfilesState, ProfileStore

    path = batch_file([row(ASHA, rid="NZVAt9", purpose="via profile")])
    code, err = cli(str(path), "--profile", "Nope", "--password-stdin", "--yes", connect=False)
    assert code == 2 and "no profile named 'Nope'" in err
    store = ProfileStore(tmp_path / "data" / "profiles.json")
    (tmp_path / "data").mkdir(exist_ok=True)
    store.save(ProfilesState((Profile("Sandbox", sandbox.base_url, DEMO_USERNAME),), "Sandbox"))
    code, err = cli(str(path), "--profile", "Sandbox", "--password-stdin", "--yes", connect=False)
    assert code == 0, err
    assert sandbox.redemption("NZVAt9").purpose == "via profile"


def _start_cli(sandbox, path, data_dir) -> subprocess.Popen:
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    command = [sys.executable, "-m", "desktop_app.batch", str(path), "--base-url", sandbox.base_url]
    command += ["--username", DEMO_USERNAME, "--data-dir", str(data_dir), "--password-stdin"]
    command += ["--yes", "--concurrency", "2"]
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True
    )
    process.stdin.write(DEMO_PASSWORD + "\n")
    process.stdin.close()
    return process


@pytest.mark.slow
def test_killed_mid_batch_then_resumed_applies_each_row_exactly_once(sandbox, batch_file, tmp_path):
    targets = {f"Dp{n:04d}": f"fixed-{n}" for n in range(2, 12)}
    deep = ("externalId", "CUST-0002")
    path = batch_file([row(deep, rid=rid, bill_number=value) for rid, value in targets.items()])
    sandbox.set_fault("delay", endpoint="update", seconds=0.4)
    process = _start_cli(sandbox, path, tmp_path / "data")
    try:
        wait_for(lambda: sandbox.update_count >= 4)
    finally:
        process.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no clean-up runs
        process.wait(timeout=20)
        process.stderr.close()
    sent_before_kill = sandbox.update_count
    assert sent_before_kill < len(targets)
    sandbox.clear_faults()

    resumed = _start_cli(sandbox, path, tmp_path / "data")
    resumed.wait(timeout=120)
    err = resumed.stderr.read()
    resumed.stderr.close()
    assert resumed.returncode == 0, err
    assert "This file was run before" in err
    # The kill may cut a PUT between its headers and its body: the sandbox saw it, could not
    # read it, and applied nothing.
    sent = [r.body for r in sandbox.received if r.method == "PUT"]
    cut_short = [body for body in sent if not body.endswith(b"}")]
    assert len(cut_short) <= 1
    per_row = Counter(json.loads(body)["redemptionId"] for body in sent if body.endswith(b"}"))
    assert per_row == Counter(dict.fromkeys(targets, 1)), per_row
    for rid, value in targets.items():
        assert sandbox.redemption(rid).bill_number == value
    # The PUT in flight at the kill became "outcome unknown" and was settled by Verify by lookup.
    from desktop_app.core.history import EntryKind, HistoryQuery, HistoryStore

    store = HistoryStore.open(tmp_path / "data" / "history.sqlite3")
    updates = [e for e in store.iter_entries(HistoryQuery()) if e.kind is EntryKind.UPDATE]
    store.close()
    latest = {e.batch.row: e for e in sorted(updates, key=lambda e: e.id)}
    assert len(latest) == len(targets)
    assert {e.outcome_label for e in latest.values()} <= {"succeeded", "succeeded (verified)"}
    assert "succeeded (verified)" in {e.outcome_label for e in updates}
    # A row killed after its pending entry was written but before its PUT left keeps that
    # entry "outcome unknown" (nothing can tell), and has a later, applied one.


def test_the_demo_sample_file_shows_what_the_readme_says(cli, sandbox):
    import desktop_app

    sample = desktop_app.resources_dir() / "sample_batch.csv"
    code, err = cli(str(sample), "--password-stdin", "--yes")
    assert code == 1
    assert "4 applied, 1 unchanged, 2 refused, 1 not_found, 2 failed" in err


def test_a_run_on_another_cluster_is_not_taken_for_an_earlier_run(cli, batch_file, sandbox):
    from desktop_app.sandbox import Sandbox

    sandbox.set_fault("drop_connection", endpoint="update", times=1)
    path = batch_file([row(ASHA, rid="NZVAt9", bill_number="elsewhere")])
    code, _ = cli(str(path), "--password-stdin", "--yes")
    assert code == 3  # unknown on the first cluster
    with Sandbox() as other:
        other_url = ["--base-url", other.base_url, "--username", DEMO_USERNAME]
        code, err = cli(str(path), *other_url, "--password-stdin", "--yes", connect=False)
        assert code == 0, err
        assert "run before" not in err
        assert other.update_count == 1  # sent there: that cluster never had it
