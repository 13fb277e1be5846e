"""The details pane: one entry in full — before → after, request, response, warnings, errors."""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import suppress
from html import escape

from PySide6.QtWidgets import QTextBrowser, QWidget

from desktop_app.core.history import EntryKind, HistoryEntry
from desktop_app.core.history.entries import BatchTag, field_label, show_value
from desktop_app.core.responses import load_json
from desktop_app.ui.history_panel.model import local_time

# Rendering megabytes of rich text would stall the UI; the export has the full text.
_SHOWN_CHARS = 20_000


def _pretty(text: str) -> str:
    data = load_json(text)  # None: not JSON (an HTML or XML error page), shown as it came
    if data is not None:
        with suppress(RecursionError):  # nested too deep to indent: shown as it came
            text = json.dumps(data, indent=2, ensure_ascii=False)
    if len(text) > _SHOWN_CHARS:
        text = text[:_SHOWN_CHARS] + f"\n… ({len(text) - _SHOWN_CHARS} more characters: export)"
    return text


def _table(rows: Sequence[Sequence[str]], header: Sequence[str] = ()) -> str:
    head = "".join(f"<th align='left'>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    if head:
        body = f"<tr>{head}</tr>{body}"
    return f"<table cellspacing='0' cellpadding='3'>{body}</table>"


def _messages(title: str, items) -> str:
    if not items:
        return ""
    lines = "".join(
        f"<li>{escape(str(m.code) + ': ' if m.code is not None else '')}{escape(m.message)}</li>"
        for m in items
    )
    return f"<h4>{escape(title)}</h4><ul>{lines}</ul>"


def _change(entry: HistoryEntry) -> str:
    if entry.kind is EntryKind.LOOKUP:
        if not entry.found:
            return ""
        rows = [(field_label(k), show_value(v)) for k, v in entry.found.items()]
        return "<h4>Found on the server</h4>" + _table(rows)
    before = entry.before or {}
    rows = [
        (
            field_label(name),
            show_value(before[name]) if name in before else "unknown",
            "→",
            show_value(value),
        )
        for name, value in (entry.after or {}).items()
    ]
    return "<h4>Before → after</h4>" + _table(rows, ("Field", "Before", "", "After"))


def batch_label(batch: BatchTag) -> str:
    """`outage.csv · row 12 · sha256 3f7a9c01b2d4`: enough of the hash to tell two files apart."""
    name = batch.file_name or "(no file name)"
    return f"{name} · row {batch.row} · sha256 {batch.sha256[:12]}"


def _facts(entry: HistoryEntry) -> str:
    facts = [
        ("Time", f"{local_time(entry.created_utc)} (UTC {entry.created_utc:%Y-%m-%d %H:%M:%S})"),
        ("Customer", entry.entity.describe()),
        ("Identifier", entry.key.describe()),
    ]
    if entry.batch is not None:
        facts.append(("Batch", batch_label(entry.batch)))
    facts += [
        ("Profile", f"{entry.profile} — {entry.host}"),
        ("Till user", entry.username),
        ("Computer user", entry.os_user),
        ("HTTP status", "none" if entry.http_status is None else str(entry.http_status)),
    ]
    if entry.duration_ms is not None:
        facts.append(("Duration", f"{entry.duration_ms:.0f} ms"))
    if entry.verifies_id is not None:
        facts.append(("Verifies", f"update #{entry.verifies_id}"))
    if entry.verified_by_id is not None:
        facts.append(("Verified by", f"lookup #{entry.verified_by_id}"))
    return _table([(f"{name}:", value) for name, value in facts])


def details_html(entry: HistoryEntry, verifications: Sequence[HistoryEntry] = ()) -> str:
    """Most useful first: what happened and what changed, then who/where, then the raw texts."""
    title = f"{entry.kind.value.capitalize()} #{entry.id} — {entry.outcome_label}"
    parts = [f"<h3>{escape(title)}</h3>"]
    if entry.message:
        parts.append(f"<p>{escape(entry.message)}</p>")
    parts.append(_change(entry))
    if verifications:
        lines = "".join(
            f"<li>#{v.id} {escape(local_time(v.created_utc))}: {escape(v.message)}</li>"
            for v in verifications
        )
        parts.append(f"<h4>Verified by lookup</h4><ul>{lines}</ul>")
    parts.append(_messages("Warnings", entry.warnings))
    parts.append(_messages("Errors", entry.errors))
    parts.append("<h4>Recorded</h4>" + _facts(entry))
    for heading, text in (("Request", entry.request_json), ("Response", entry.response_json)):
        shown = _pretty(text) if text else "(none)"
        parts.append(f"<h4>{heading}</h4><pre>{escape(shown)}</pre>")
    return "".join(parts)


class DetailsPane(QTextBrowser):
    """Read-only, selectable, keyboard-focusable so a screen reader can walk through it."""

    PLACEHOLDER = "Select an entry to see its details."

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("historyDetails")
        self.setAccessibleName("Entry details")
        self.setOpenLinks(False)
        self.show_entry(None)

    def show_entry(
        self, entry: HistoryEntry | None, verifications: Sequence[HistoryEntry] = ()
    ) -> None:
        self.shown_entry = entry
        if entry is None:
            self.setPlainText(self.PLACEHOLDER)
        else:
            self.setHtml(details_html(entry, verifications))
