"""The local, searchable, crash-safe record of every lookup and update (issue 5).

See `store.py` for how threads and processes share the file, `writers.py` for how a dead
process's pending rows are told from a live one's, and `opening.py` for damaged files.
"""

from desktop_app.core.history.completions import call_failed, lookup_succeeded, update_succeeded
from desktop_app.core.history.entries import (
    BatchTag,
    Completion,
    EntryKind,
    HistoryEntry,
    HistoryQuery,
    NewEntry,
    Outcome,
    describe_change,
    redemption_values,
)
from desktop_app.core.history.export import (
    read_csv_export,
    read_json_export,
    write_csv,
    write_json,
)
from desktop_app.core.history.secret_guard import SecretRefused
from desktop_app.core.history.store import PAGE_SIZE, HistoryStore

__all__ = [
    "PAGE_SIZE",
    "BatchTag",
    "Completion",
    "EntryKind",
    "HistoryEntry",
    "HistoryQuery",
    "HistoryStore",
    "NewEntry",
    "Outcome",
    "SecretRefused",
    "call_failed",
    "describe_change",
    "lookup_succeeded",
    "read_csv_export",
    "read_json_export",
    "redemption_values",
    "update_succeeded",
    "write_csv",
    "write_json",
]
