"""Batch corrections: a whole file of rows through the desk's own validation, jobs and history.

Shared by the window (ui/batch_dialog.py) and the command line (desktop_app.batch); no Qt here.
"""

from desktop_app.desk.batch.outcomes import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    EXIT_SOME_UNKNOWN,
    EXIT_USAGE,
    RowOutcome,
    RowResult,
    counts,
    exit_code,
    summary_text,
)
from desktop_app.desk.batch.previous import PreviousRun, previous_run
from desktop_app.desk.batch.reading import MAX_FILE_BYTES, MAX_ROWS, BatchFile, read_batch_file
from desktop_app.desk.batch.report import REPORT_COLUMNS, write_report
from desktop_app.desk.batch.rows import BatchFileError, BatchRow
from desktop_app.desk.batch.runner import (
    DEFAULT_CONCURRENCY,
    MAX_CONCURRENCY,
    MAX_RETRIES,
    BatchRun,
    BatchRunResult,
    BatchSettings,
    change_needed,
)

__all__ = [
    "DEFAULT_CONCURRENCY",
    "EXIT_OK",
    "EXIT_SOME_FAILED",
    "EXIT_SOME_UNKNOWN",
    "EXIT_USAGE",
    "MAX_CONCURRENCY",
    "MAX_FILE_BYTES",
    "MAX_RETRIES",
    "MAX_ROWS",
    "REPORT_COLUMNS",
    "BatchFile",
    "BatchFileError",
    "BatchRow",
    "BatchRun",
    "BatchRunResult",
    "BatchSettings",
    "PreviousRun",
    "RowOutcome",
    "RowResult",
    "change_needed",
    "counts",
    "exit_code",
    "previous_run",
    "read_batch_file",
    "summary_text",
    "write_report",
]
