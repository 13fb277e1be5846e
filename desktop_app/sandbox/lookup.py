"""`GET /v1.1/customer/redemptions`: the paged list of a customer's points redemptions.

Quirks kept on purpose (CAPILLARY_API.md §3): every number and boolean is a string
(``"true"``, ``"200"``), an unset bill ID is ``"-1"``, each row's ``id`` is its row number in
the sorted list (not the redemption's identity) and ``redeemed_time`` is store-local wall clock.

Paging: ``points_limit`` defaults to 10 and is clamped to 1..500; ``points_offset`` counts rows
(``offset_unit="rows"``, the default) or 0-based pages of ``points_limit`` rows
(``offset_unit="pages"``). ``customer.rows`` is the number of redemptions in this response.
When several customer keys are given the first of mobile, email, external_id, id wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desktop_app.sandbox.replies import Reply, json_reply
from desktop_app.sandbox.seed import (
    PROGRAM_ID,
    STORE_CODE,
    STORE_NAME,
    StoredCustomer,
    StoredRedemption,
)
from desktop_app.sandbox.store import Store

# v1.1 query key -> v2 identifierType.
QUERY_KEYS: dict[str, str] = {
    "mobile": "mobile",
    "email": "email",
    "external_id": "externalId",
    "id": "id",
}
DEFAULT_LIMIT = 10
MAX_LIMIT = 500
OFFSET_UNITS = ("rows", "pages")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def handle_lookup(store: Store, query: Mapping[str, str], offset_unit: str) -> Reply:
    identifier = next(
        ((v2_name, query[key]) for key, v2_name in QUERY_KEYS.items() if query.get(key)), None
    )
    if identifier is None:
        message = "Invalid input: give mobile, email, external_id or id"
        return _status_reply(400, False, 400, message)
    limit = min(max(_int_or(query.get("points_limit"), DEFAULT_LIMIT), 1), MAX_LIMIT)
    offset = max(_int_or(query.get("points_offset"), 0), 0)
    start = offset * limit if offset_unit == "pages" else offset
    with store.lock:
        customer = store.find_customer(*identifier)
        if customer is None:
            return _status_reply(200, False, 1012, "Customer not found")
        rows = _sorted_rows(customer.redemptions, query)
        if query.get("type", "POINTS").upper() != "POINTS":
            rows = []
        if "external_reference_number" in query:
            wanted = query["external_reference_number"]
            rows = [r for r in rows if r.external_reference_number == wanted]
        page = [_point(start + i + 1, r) for i, r in enumerate(rows[start : start + limit])]
        payload = {
            "response": {
                "status": _status(True, 200, "SUCCESS"),
                "customer": _customer(customer, page),
            }
        }
    return json_reply(200, payload)


def _int_or(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _sorted_rows(redemptions: list[StoredRedemption], query: Mapping[str, str]) -> list:
    descending = query.get("order", "desc").lower() != "asc"
    if query.get("sort") == "redemption_id":
        return sorted(redemptions, key=lambda r: r.redemption_id, reverse=descending)
    return sorted(redemptions, key=lambda r: r.redeemed_time, reverse=descending)


def _status(success: bool, code: int, message: str) -> dict[str, str]:
    return {"success": "true" if success else "false", "code": str(code), "message": message}


def _status_reply(http_status: int, success: bool, code: int, message: str) -> Reply:
    return json_reply(http_status, {"response": {"status": _status(success, code, message)}})


def _customer(customer: StoredCustomer, points: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "mobile": customer.mobile,
        "email": customer.email,
        "external_id": customer.external_id,
        "firstname": customer.firstname,
        "lastname": customer.lastname,
        "points_count": str(customer.points_count),
        "rows": str(len(points)),
        "redemptions": {"points": {"point": points}, "coupons": {"coupon": []}},
    }


def _point(row_number: int, r: StoredRedemption) -> dict[str, Any]:
    return {
        "id": str(row_number),
        "redemption_id": r.redemption_id,
        "external_reference_number": r.external_reference_number,
        "transaction_number": r.bill_number,
        "bill_id": str(r.bill_id if r.bill_id is not None else -1),
        "redemption_purpose": r.purpose,
        "notes": r.notes,
        "points_redeemed": _points_text(r.points_redeemed),
        "program_id": str(PROGRAM_ID),
        "validation_code": r.validation_code,
        "redeemed_time": r.redeemed_time.strftime(TIME_FORMAT),
        "redeemed_at": STORE_NAME,
        "redeemed_store": STORE_CODE,
        "redeemed_till": "store.server",
        "custom_fields": {"field": [{"name": k, "value": v} for k, v in r.custom_fields.items()]},
        "reversals": [],
    }


def _points_text(points: float) -> str:
    return str(int(points)) if points == int(points) else str(points)
