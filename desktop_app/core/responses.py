"""Lenient parsing of what Capillary sends back (CAPILLARY_API.md §4).

Numbers may be numeric strings, booleans may be "true"/"false", bodies may be JSON, XML or plain
text. Nothing here raises on an unexpected shape: the caller gets None/defaults plus the raw text.
"""

from __future__ import annotations

import functools
import json
import math
import re
from typing import Any

from desktop_app.core.model import (
    BILL_ID_NOT_SET,
    ApiMessage,
    Customer,
    CustomField,
    Redemption,
    UpdateResult,
)

_DECIMAL = re.compile(r" *[+-]?[0-9]{1,30}(\.[0-9]{0,30})? *")
# [^<>]: a run of '<' with no '>' is scanned once, not once per '<'.
_TAG_LIKE = re.compile(r"<[^<>]*>")
MESSAGE_CHARS = 300
_PLAIN_SCAN_CHARS = 64 * 1024


def as_int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else None
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"[+-]?[0-9]{1,30}", text):
            return int(text)
        if re.fullmatch(r"[+-]?[0-9]{1,30}\.0*", text):
            return int(text.split(".")[0])
    return None


def as_float(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    numeric_text = isinstance(value, str) and _DECIMAL.fullmatch(value)
    if isinstance(value, int | float) or numeric_text:
        number = float(value)
    else:
        return None
    return number if math.isfinite(number) else None


def as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return {"true": True, "false": False, "1": True, "0": False}.get(value.strip().lower())
    if isinstance(value, int):
        return {1: True, 0: False}.get(value)
    return None


def as_str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def bill_id_or_none(value: Any) -> int | None:
    """The API's bill ID with -1 ("not set") and anything unreadable as None."""
    number = as_int(value)
    return None if number is None or number == BILL_ID_NOT_SET else number


def load_json(text: str) -> Any | None:
    """The decoded body, or None when it is not JSON at all (or nested too deep to decode).

    A JSON escape may name half a surrogate pair (`"\\ud800"`): such a string cannot be
    written as UTF-8 (to the history, the clipboard, a file), so each lone half becomes U+FFFD.
    """
    try:
        data = json.loads(text)
        if "\\ud" not in text and "\\uD" not in text:
            return data
        # Re-encoding in C and decoding again costs less than visiting a million strings in
        # Python; decoded pairs are one code point already, so what is left is lone.
        decoded_text = json.dumps(data, ensure_ascii=False)
        if not _LONE_SURROGATE.search(decoded_text):
            return data
        return json.loads(_LONE_SURROGATE.sub("\ufffd", decoded_text))
    except (ValueError, RecursionError):
        return None


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def as_list(value: Any) -> list[Any]:
    """XML-to-JSON bridges send a lone element as an object instead of a list of one."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def parse_messages(value: Any) -> tuple[ApiMessage, ...]:
    messages = []
    for item in as_list(value):
        if isinstance(item, dict):
            messages.append(ApiMessage(as_int(item.get("code")), as_str(item.get("message"))))
        elif item is not None:
            messages.append(ApiMessage(None, as_str(item)))
    return tuple(messages)


def parse_custom_fields(value: Any) -> tuple[CustomField, ...]:
    """Custom fields arrive as [{name, value}], as {"field": [...]}, or as a plain map."""
    if isinstance(value, dict) and "field" in value:
        value = value["field"]
    if isinstance(value, dict) and set(value) == {"name", "value"}:
        value = [value]
    if isinstance(value, dict):
        return tuple(CustomField(as_str(k), as_str(v)) for k, v in value.items())
    return tuple(
        CustomField(as_str(item.get("name")), as_str(item.get("value")))
        for item in as_list(value)
        if isinstance(item, dict)
    )


_UNREAD = object()


def text_message(text: str, data: Any = _UNREAD) -> str:
    """A short human message from an XML, JSON or plain-text error body; `data` is the body as
    load_json decoded it, when the caller has it."""
    element = xml_element_text(text, "message")
    if element is not None:
        return element
    if data is _UNREAD:
        data = load_json(text)
    if isinstance(data, dict):
        for message in parse_messages(data.get("errors")):
            if message.message:
                return message.message
        for key in ("message", "error", "detail"):
            value = data.get(key)
            if isinstance(value, str):
                return value
        status = _dig(data, "response", "status")
        if isinstance(status, dict) and status.get("message"):
            return as_str(status["message"])
    # 300 characters are shown: an error page's head has them, however long the page is.
    plain = _TAG_LIKE.sub(" ", text[:_PLAIN_SCAN_CHARS])
    plain = " ".join(plain.split())
    return plain[:MESSAGE_CHARS]


def xml_code(text: str) -> int | None:
    element = xml_element_text(text, "code")
    return as_int(element) if element is not None else None


def xml_element_text(text: str, tag: str) -> str | None:
    """The trimmed text of the first `<tag …>…</tag>` (CDATA unwrapped), any letter case.

    Linear in the size of `text` whatever its shape: each search resumes where the last one
    stopped, so a body of `<message>` repeated with no closing tag is read once, not once per tag.
    """
    opening = _xml_patterns(tag)[0].search(text)
    if opening is None:
        return None
    open_end = text.find(">", opening.end())
    if open_end < 0:
        return None
    closing = _xml_patterns(tag)[1].search(text, open_end + 1)
    if closing is None:
        return None
    inner = text[open_end + 1 : closing.start()].strip()
    if inner.startswith("<![CDATA["):
        inner = inner[len("<![CDATA[") :]
        if inner.endswith("]]>"):
            inner = inner[: -len("]]>")]
    return inner.strip()


@functools.cache
def _xml_patterns(tag: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The opening tag's name (not a longer one, like <messages>) and a whole closing tag."""
    name = re.escape(tag)
    return re.compile(rf"<{name}(?!\w)", re.I), re.compile(rf"</{name}\s*>", re.I)


def parse_update_result(data: dict[str, Any], http_status: int, raw: str) -> UpdateResult:
    return UpdateResult(
        id=as_int(data.get("id")),
        program_id=as_int(data.get("programId")),
        points_redeemed=as_float(data.get("pointsRedeemed")),
        bill_id=bill_id_or_none(data.get("billId")),
        bill_number=as_str(data.get("billNumber")),
        validation_code=as_str(data.get("validationCode")),
        notes=as_str(data.get("notes")),
        redemption_time=as_int(data.get("redemptionTime")),
        points_redemption_time=as_int(data.get("pointsRedemptionTime")),
        till_id=as_int(data.get("tillId")),
        till_name=as_str(data.get("tillName")),
        point_deduction_list=tuple(as_list(data.get("pointDeductionList"))),
        redemption_id=as_str(data.get("redemptionId")),
        external_reference=as_str(data.get("externalReferenceNumber")),
        custom_fields=parse_custom_fields(data.get("customFields")),
        customer_id=as_int(data.get("customerId")),
        redemption_purpose=as_str(data.get("redemptionPurpose")),
        redemption_date=as_str(data.get("redemptionDate")),
        warnings=parse_messages(data.get("warnings")),
        http_status=http_status,
        raw=raw,
    )


def parse_redemption_row(row: dict[str, Any]) -> Redemption:
    return Redemption(
        redemption_id=as_str(row.get("redemption_id")),
        external_reference=as_str(row.get("external_reference_number")),
        bill_id=bill_id_or_none(row.get("bill_id")),
        bill_number=as_str(row.get("transaction_number")),
        purpose=as_str(row.get("redemption_purpose")),
        notes=as_str(row.get("notes")),
        points=as_float(row.get("points_redeemed")),
        program_id=as_int(row.get("program_id")),
        redeemed_time=as_str(row.get("redeemed_time")),
        store=as_str(row.get("redeemed_store")),
        till=as_str(row.get("redeemed_till")),
        validation_code=as_str(row.get("validation_code")),
        custom_fields=parse_custom_fields(row.get("custom_fields")),
    )


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def lookup_status(data: Any) -> tuple[bool | None, int | None, str]:
    """`response.status` of a v1.1 body: (success, code, message)."""
    status = _dig(data, "response", "status")
    if not isinstance(status, dict):
        return None, None, ""
    return as_bool(status.get("success")), as_int(status.get("code")), as_str(status.get("message"))


def _lookup_customer_record(data: Any) -> dict[str, Any] | None:
    customer = _dig(data, "response", "customer")
    if isinstance(customer, list):  # some bridges wrap the single customer in a list
        customer = customer[0] if customer else None
    return customer if isinstance(customer, dict) else None


def lookup_customer(data: Any) -> Customer | None:
    """The customer of a v1.1 lookup body (name and identifiers), None when there is none."""
    record = _lookup_customer_record(data)
    if record is None:
        return None
    return Customer(
        first_name=as_str(record.get("firstname")).strip(),
        last_name=as_str(record.get("lastname")).strip(),
        mobile=as_str(record.get("mobile")).strip(),
        email=as_str(record.get("email")).strip(),
        external_id=as_str(record.get("external_id")).strip(),
    )


def lookup_rows(data: Any) -> list[dict[str, Any]] | None:
    """The points redemption rows of a v1.1 body, or None when the shape is not recognised."""
    customer = _lookup_customer_record(data)
    if customer is None:
        return None
    points = _dig(customer, "redemptions", "points")
    if points is None or points == "":
        return []
    if isinstance(points, dict):
        points = points.get("point")
    return [row for row in as_list(points) if isinstance(row, dict)]
