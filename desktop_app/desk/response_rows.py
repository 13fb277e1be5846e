"""The update response as rows for the table: plain labels, values exactly as received.

Values are never reformatted (an ID stays `26503632`); a second column says what a value means
where that helps: epoch milliseconds as local and UTC time, a bill ID of -1 as "not set".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from desktop_app.core.responses import load_json

LABELS: dict[str, str] = {
    "redemptionId": "Redemption ID",
    "externalReferenceNumber": "External reference",
    "billId": "Bill ID",
    "billNumber": "Bill number",
    "redemptionPurpose": "Purpose",
    "pointsRedeemed": "Points redeemed",
    "id": "Redemption record ID",
    "programId": "Program ID",
    "customerId": "Customer ID",
    "validationCode": "Validation code",
    "notes": "Notes",
    "redemptionTime": "Redemption time",
    "pointsRedemptionTime": "Points redemption time",
    "redemptionDate": "Redemption date",
    "tillId": "Till ID",
    "tillName": "Till name",
    "customFields": "Custom fields",
    "pointDeductionList": "Point deductions",
}
# Shown in their own lists, not as table rows.
MESSAGE_KEYS = ("warnings", "errors")
_EPOCH_MS_KEYS = ("redemptionTime", "pointsRedemptionTime")
# 2001-09-09 in milliseconds: anything smaller is not a plausible epoch-millisecond timestamp.
_MIN_EPOCH_MS = 1_000_000_000_000


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    value: str
    meaning: str = ""


def as_received(value: Any) -> str:
    """The JSON value as text, unformatted: strings as they are, everything else as JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def epoch_ms_meaning(value: Any) -> str:
    try:
        millis = int(str(value).strip())
    except ValueError:
        return ""
    if millis < _MIN_EPOCH_MS:
        return ""
    try:
        moment = datetime.fromtimestamp(millis / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return ""
    local = moment.astimezone()
    offset = local.strftime("%z")
    zone = f"UTC{offset[:3]}:{offset[3:]}" if offset else "local"
    if local.utcoffset() == moment.utcoffset():
        return f"{moment:%Y-%m-%d %H:%M:%S} UTC (also local time)"
    return f"{local:%Y-%m-%d %H:%M:%S} local ({zone}) · {moment:%Y-%m-%d %H:%M:%S} UTC"


def meaning_of(key: str, value: Any) -> str:
    if key == "billId" and str(value).strip() == "-1":
        return "not set"
    if key in _EPOCH_MS_KEYS:
        return epoch_ms_meaning(value)
    if key == "customFields" and isinstance(value, list):
        pairs = [
            f"{item.get('name', '')} = {item.get('value', '')}"
            for item in value
            if isinstance(item, dict)
        ]
        return "; ".join(pairs)
    if key == "pointDeductionList" and isinstance(value, list):
        return f"{len(value)} deduction(s)"
    return ""


def response_rows(body_text: str) -> list[Row] | None:
    """Rows for a JSON object body, known fields first; None when the body is not an object."""
    data = load_json(body_text)
    if not isinstance(data, dict):
        return None
    known = [key for key in LABELS if key in data]
    others: list[str] = [key for key in data if key not in LABELS and key not in MESSAGE_KEYS]
    keys = known + others
    rows = [
        Row(key, LABELS.get(key, key), as_received(data[key]), meaning_of(key, data[key]))
        for key in keys
        if not _is_empty(data[key])
    ]
    rows = [_with_time_gap(row, data) for row in rows]
    empty = [LABELS.get(key, key) for key in keys if _is_empty(data[key])]
    if empty:  # one row, not a row of nothing per field
        rows.append(Row(EMPTY_KEY, "Empty in the answer", ", ".join(empty)))
    return rows


EMPTY_KEY = "(empty)"


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _with_time_gap(row: Row, data: dict[str, Any]) -> Row:
    """Says how the second of the answer's two times differs from the first: Capillary sends
    both for one redemption, and their gap is a time-zone offset it does not name."""
    if row.key != "pointsRedemptionTime" or not row.meaning:
        return row
    try:
        gap_ms = int(str(data[row.key]).strip()) - int(str(data.get("redemptionTime")).strip())
    except ValueError:
        return row
    if gap_ms == 0:
        return replace(row, meaning=f"{row.meaning} · the same moment as the redemption time")
    minutes = abs(gap_ms) // 60_000
    hours, minutes = divmod(minutes, 60)
    gap = f"{hours} h {minutes} min" if hours else f"{minutes} min"
    direction = "after" if gap_ms > 0 else "before"
    return replace(
        row,
        meaning=f"{row.meaning} · {gap} {direction} the redemption time (a time-zone offset "
        "Capillary does not name)",
    )
