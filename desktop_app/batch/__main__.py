"""`python -m desktop_app.batch FILE` / `redemption-desk-batch FILE`: a batch file from a terminal.

The same run as the window's Desk → Batch corrections… (desktop_app.desk.batch), with progress
on stderr. Exit codes: 0 every row applied, unchanged or would_apply; 1 some row refused,
not_found, failed or not run; 3 some row unknown (wins over 1); 2 usage, file or credentials.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import threading
from pathlib import Path
from typing import TextIO

from desktop_app import __version__
from desktop_app.core.auth import md5_hex
from desktop_app.core.model import Credentials
from desktop_app.core.paths import AppPaths, FolderRefused
from desktop_app.core.profiles import ProfileStore, base_url_problem, normalized_base_url
from desktop_app.desk.batch import (
    DEFAULT_CONCURRENCY,
    EXIT_USAGE,
    MAX_CONCURRENCY,
    BatchFile,
    BatchFileError,
    BatchRun,
    BatchRunResult,
    BatchSettings,
    RowResult,
    exit_code,
    previous_run,
    read_batch_file,
    summary_text,
    write_report,
)
from desktop_app.desk.jobs import FreshSecret
from desktop_app.desk.session import Connection, DeskServices

PROG = "redemption-desk-batch"


class UsageError(Exception):
    """Ends the run with exit code 2 and this message, before any request."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Correct the bill metadata of many redemptions from a CSV or XLSX file: "
        "each row is validated, looked up, and only the fields that differ are sent.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the .csv or .xlsx batch file")
    parser.add_argument("--profile", metavar="NAME", help="a saved profile (default: the default)")
    parser.add_argument("--base-url", metavar="URL", help="the API base (with --username)")
    parser.add_argument("--username", metavar="NAME", help="the till username")
    parser.add_argument("--data-dir", type=Path, metavar="DIR", help="profiles and history here")
    parser.add_argument("--dry-run", action="store_true", help="look up and compare, send nothing")
    parser.add_argument("--report", type=Path, metavar="OUT.csv", help="write one line per row")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=DEFAULT_CONCURRENCY,
        metavar="N",
        help=f"rows at once, 1 to {MAX_CONCURRENCY} (default {DEFAULT_CONCURRENCY})",
    )
    parser.add_argument("--yes", action="store_true", help="do not ask before sending")
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the till password from stdin"
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    options = _parser().parse_args(argv)
    if not 1 <= options.concurrency <= MAX_CONCURRENCY:
        return _usage(f"--concurrency must be 1 to {MAX_CONCURRENCY}.")
    paths = AppPaths.under(options.data_dir) if options.data_dir else AppPaths.default()
    try:
        paths.ensure()
    except FolderRefused as error:
        return _usage(f"{error}; nothing was sent.")
    services = DeskServices(paths)
    try:
        connection = _connection(options, paths)
        batch = read_batch_file(options.file)
        _say(f"{batch.name}: {len(batch.rows)} rows, {len(batch.valid_rows)} valid.")
        if batch.ignored_columns:
            _say("Columns ignored: " + ", ".join(batch.ignored_columns))
        if options.report and not options.report.parent.is_dir():
            raise UsageError(f"--report: there is no folder {options.report.parent}.")
        if not options.dry_run and not options.yes and not sys.stdin.isatty():
            raise UsageError("Standard input is not a terminal: add --yes to send without asking.")
        credentials, fresh = _credentials(options, services, connection)
        code = _run(options, services, connection, credentials, fresh, batch)
    except (UsageError, BatchFileError) as error:
        return _usage(str(error))
    finally:
        services.close()
    return code


def _run(
    options: argparse.Namespace,
    services: DeskServices,
    connection: Connection,
    credentials: Credentials,
    fresh: FreshSecret | None,
    batch: BatchFile,
) -> int:
    try:
        previous = previous_run(services, batch.sha256, connection.host)
    except Exception as error:  # nothing is sent without a history to record it in
        raise UsageError(f"The history could not be opened ({error}); nothing was sent.") from None
    if previous.exists:
        _say(
            f"This file was run before ({previous.describe()}): resuming. Every row is looked up "
            "first; rows that hold their values already are left alone."
        )
    if not options.dry_run and not options.yes and not _confirmed(batch, connection):
        _say("Nothing sent.")
        return EXIT_USAGE
    progress = Progress(len(batch.rows), sys.stderr)
    run = BatchRun(
        services,
        connection,
        credentials,
        fresh,
        batch,
        BatchSettings(concurrency=options.concurrency, dry_run=options.dry_run),
        previous=previous,
        on_row=progress.row_done,
    )
    outcome = _run_interruptibly(run)
    progress.close()
    _say(("Dry run: " if options.dry_run else "") + summary_text(outcome.results))
    code = exit_code(outcome.results)
    if options.report:
        try:
            write_report(outcome.results, options.report)
            _say(f"Report: {options.report}")
        except OSError as error:
            _say(f"The report could not be written to {options.report}: {error}")
            code = max(code, EXIT_USAGE)  # an unknown row (3) still says so
    if outcome.rejection is not None:
        _say(outcome.rejection.message + " Nothing was sent and nothing was stored.")
        return EXIT_USAGE
    return code


def _run_interruptibly(run: BatchRun) -> BatchRunResult:
    """Runs on a worker so Ctrl+C here cancels: rows in flight finish and are recorded."""
    box: list[BatchRunResult] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            box.append(run.run())
        except BaseException as error:  # re-raised on the main thread
            errors.append(error)

    worker = threading.Thread(target=work, name="batch-run")
    worker.start()
    while worker.is_alive():
        try:
            worker.join(0.2)
        except KeyboardInterrupt:
            _say("Cancelling: rows in flight finish and are recorded…")
            run.cancel()
    if errors:
        raise errors[0]
    return box[0]


def _connection(options: argparse.Namespace, paths: AppPaths) -> Connection:
    if options.base_url or (options.username and not options.profile):
        if not (options.base_url and options.username):
            raise UsageError("--base-url and --username go together.")
        if options.profile:
            raise UsageError("Give either --profile or --base-url/--username, not both.")
        problem = base_url_problem(options.base_url)
        if problem:
            raise UsageError(f"--base-url: {problem}")
        return Connection("command line", normalized_base_url(options.base_url), options.username)
    state = ProfileStore(paths.profiles_file).load()
    profile = state.find(options.profile) if options.profile else state.default
    if profile is None:
        known = ", ".join(state.names) or "none saved"
        wanted = f"no profile named '{options.profile}'" if options.profile else "no profile"
        raise UsageError(f"There is {wanted} (profiles: {known}); or use --base-url/--username.")
    return Connection(profile.name, profile.base_url, options.username or profile.username)


def _credentials(
    options: argparse.Namespace, services: DeskServices, connection: Connection
) -> tuple[Credentials, FreshSecret | None]:
    """--password-stdin, else the keyring's digest, else a terminal prompt (never stored)."""
    if options.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise UsageError("--password-stdin: standard input gave no password.")
        return _typed(connection, password)
    loaded = services.credentials().fetch(connection.host, connection.username)
    if loaded.digest:
        return Credentials(connection.username, loaded.digest), None
    if loaded.message:
        _say(loaded.message)
    if not sys.stdin.isatty():
        raise UsageError(
            f"No saved password for {connection.username} on {connection.host} and no terminal "
            "to ask on: use --password-stdin."
        )
    password = getpass.getpass(f"Till password for {connection.username} on {connection.host}: ")
    if not password:
        raise UsageError("No password was given, so nothing was sent.")
    return _typed(connection, password)


def _typed(connection: Connection, password: str) -> tuple[Credentials, FreshSecret]:
    digest = md5_hex(password)
    # Used for this run only: the command line never writes the keyring.
    return Credentials(connection.username, digest), FreshSecret(digest, remember=False)


def _confirmed(batch: BatchFile, connection: Connection) -> bool:
    valid = len(batch.valid_rows)
    refused = len(batch.rows) - valid
    question = (
        f"Send up to {valid} updates to {connection.host} as {connection.username} "
        f"({refused} rows refused; rows already holding their values are not sent)? [y/N] "
    )
    sys.stderr.write(question)
    sys.stderr.flush()
    return sys.stdin.readline().strip().lower() in ("y", "yes")


class Progress:
    """A bar redrawn in place on a terminal, one plain line per row otherwise."""

    def __init__(self, total: int, stream: TextIO):
        self._total = total
        self._stream = stream
        self._done = 0
        self._lock = threading.Lock()
        self._bar = stream.isatty()

    def row_done(self, result: RowResult) -> None:
        with self._lock:
            self._done += 1
            if self._bar:
                filled = 30 * self._done // max(1, self._total)
                bar = "#" * filled + "." * (30 - filled)
                self._stream.write(f"\r[{bar}] {self._done}/{self._total}")
            else:
                line = f"row {result.row} {result.redemption}: {result.outcome.value}"
                self._stream.write(line + (f" - {result.message}" if result.message else "") + "\n")
            self._stream.flush()

    def close(self) -> None:
        if self._bar:
            self._stream.write("\n")
            self._stream.flush()


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _usage(message: str) -> int:
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
