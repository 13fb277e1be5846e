"""Turning what an agent types into a safe query, and an entry into the text the index holds.

The index is FTS5 with the trigram tokenizer, so every term is a case-insensitive substring
match. The agent's text is never FTS5 syntax: each term becomes a quoted string with `"`
doubled, so `"`, `AND(`, `*` or `NEAR` are searched for literally and can never raise.
Terms shorter than three characters cannot use a trigram index; they become a LIKE filter.

A long ASCII term (a bill number, a mobile) as a phrase makes FTS5 read the position lists of
every overlapping trigram, most of them common (`INV`, `-20`, `919`). Its non-overlapping
trigrams narrow the rows about as well for a third of the reading, and a LIKE on those few
rows keeps the match exact. LIKE folds ASCII case only, so other terms stay phrases.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from desktop_app.core.history.entries import HistoryEntry, HistoryQuery, format_utc
from desktop_app.core.model import ApiMessage

MIN_INDEXED_CHARS = 3

# A double-quoted group (closing quote optional) is one term; otherwise whitespace separates.
_TERM = re.compile(r'"([^"]*)"?|(\S+)')


def search_terms(text: str) -> list[str]:
    terms = []
    for match in _TERM.finditer(text.replace("\x00", "")):  # FTS5 strings end at a NUL
        term = (match.group(1) if match.group(1) is not None else match.group(2)).strip()
        if term:
            terms.append(term)
    return terms


def _fts_string(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _covering_trigrams(term: str) -> list[str]:
    """Non-overlapping trigrams from the start, plus the last three characters."""
    trigrams = [term[i : i + 3] for i in range(0, len(term) - 2, 3)]
    if len(term) % 3:
        trigrams.append(term[-3:])
    return trigrams


def _fts_condition(term: str) -> tuple[str, bool]:
    """The MATCH expression for one term, and whether a LIKE must confirm it."""
    if term.isascii() and len(term) > 2 * MIN_INDEXED_CHARS:
        return " AND ".join(_fts_string(t) for t in _covering_trigrams(term)), True
    return _fts_string(term), False


def like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def indexed_text(
    *,
    key_value: str,
    entity_value: str,
    values: Iterable[dict[str, Any] | None],
    message: str = "",
    messages: Iterable[ApiMessage] = (),
    batch_file: str | None = None,
) -> str:
    """What search finds an entry by: identifiers, bill IDs/numbers, purposes, messages, codes,
    and the name of the batch file it came from."""
    parts: list[str] = [key_value, entity_value]
    if batch_file:
        parts.append(batch_file)
    for group in values:
        for value in (group or {}).values():
            if value not in (None, ""):
                parts.append(str(value))
    if message:
        parts.append(message)
    for item in messages:
        if item.code is not None:
            parts.append(str(item.code))
        if item.message:
            parts.append(item.message)
    return "\n".join(parts)


def select_entries(
    columns: str,
    query: HistoryQuery,
    before_id: int | None,
    limit: int,
    *,
    after_id: int | None = None,
) -> tuple[str, list[Any]]:
    """SQL for one page, newest first, keyset-paginated on the id."""
    terms = search_terms(query.text)
    indexed = [t for t in terms if len(t) >= MIN_INDEXED_CHARS]
    short = [t for t in terms if len(t) < MIN_INDEXED_CHARS]
    where: list[str] = []
    params: list[Any] = []
    if indexed:
        # Driving the join from the index keeps "newest first, stop after a page" cheap.
        source = "entries_search JOIN entries AS e ON e.id = entries_search.rowid"
        id_column = "entries_search.rowid"
        conditions = [_fts_condition(t) for t in indexed]
        where.append("entries_search MATCH ?")
        params.append(" AND ".join(f"({expression})" for expression, _ in conditions))
        short += [t for t, (_, confirm) in zip(indexed, conditions, strict=True) if confirm]
    else:
        source = "entries AS e"
        id_column = "e.id"
    for term in short:
        where.append("e.search_text LIKE ? ESCAPE '\\'")
        params.append(like_pattern(term))
    if before_id is not None:
        where.append(f"{id_column} < ?")
        params.append(before_id)
    if after_id is not None:
        where.append(f"{id_column} > ?")
        params.append(after_id)
    if query.outcomes:
        where.append(f"e.outcome IN ({', '.join('?' * len(query.outcomes))})")
        params.extend(sorted(o.value for o in query.outcomes))
    if query.kinds:
        where.append(f"e.kind IN ({', '.join('?' * len(query.kinds))})")
        params.extend(sorted(k.value for k in query.kinds))
    if query.since is not None:
        where.append("e.created_utc >= ?")
        params.append(format_utc(query.since))
    if query.until is not None:
        where.append("e.created_utc < ?")
        params.append(format_utc(query.until))
    sql = f"SELECT {columns} FROM {source}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {id_column} DESC LIMIT ?"
    params.append(limit)
    return sql, params


def every_page(
    page_before: Callable[[int | None, int], list[HistoryEntry]], size: int
) -> Iterator[HistoryEntry]:
    """Every entry `page_before(last_id, size)` pages through, newest first, a page at a time
    (constant memory): the local and the team store's exports."""
    before_id = None
    while True:
        page = page_before(before_id, size)
        yield from page
        if len(page) < size:
            return
        before_id = page[-1].id
