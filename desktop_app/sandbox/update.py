"""`PUT /v2/points/updateRedemption`: validate like the real server, then change the store.

Checks, in this order (the first failure answers; nothing is changed):
415 Content-Type not application/json; 400 body not a JSON object or a field of the wrong type
(``billId`` must be a JSON integer in 1..2**63-1, never a string, float or bool; ``purpose``
at most 255 characters; ``customFields`` an object of strings); 749 not exactly one non-blank
identifier; 748 none of billId/billNumber/purpose; 1219 entity missing, identifierType unknown or
identifierValue blank; 1212 entity type not CUSTOMER/USERGROUP2/FLEET; 8015 no customer for the
identifier; 750 no redemption with that ID/reference for that customer (case-sensitive).
Errors are HTTP 400 with the v2 ``errors`` array, except the seeded ``ErR200`` (HTTP 200 whose
body carries ``errors``). Seeded specials: ``WaRn01`` succeeds with warnings, ``FaiL50`` fails
with 750 (already reversed), ``BuSy21`` fails with 521.
"""

from __future__ import annotations

import calendar
import json
from typing import Any

from desktop_app.sandbox import seed
from desktop_app.sandbox.replies import Reply, json_reply, v2_error, v2_message
from desktop_app.sandbox.seed import StoredCustomer, StoredRedemption
from desktop_app.sandbox.store import Store

ENTITY_TYPES = ("CUSTOMER", "USERGROUP2", "FLEET")
IDENTIFIER_TYPES = ("mobile", "email", "externalId", "id", "cardnumber", "cardExternalId")
INT64_MAX = 2**63 - 1
PURPOSE_MAX_CHARS = 255
IST_OFFSET_MS = (5 * 60 + 30) * 60 * 1000
WARNING = v2_message(
    1301, "Bill ID not found among the customer's transactions; redemption updated anyway"
)


class Rejection(Exception):
    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.status)
        self.reply = reply


def _reject(code: int, message: str) -> Rejection:
    return Rejection(v2_error(400, code, message))


def _failed(detail: str) -> Rejection:
    return _reject(750, f"Redemption update failed : {detail}")


def handle_update(store: Store, content_type: str, body: bytes) -> Reply:
    try:
        if content_type.split(";")[0].strip().lower() != "application/json":
            raise Rejection(v2_error(415, 415, "Unsupported Media Type: send application/json"))
        request = _parse(body)
        key_name, key_value = _identifier(request)
        if not any(name in request for name in ("billId", "billNumber", "purpose")):
            raise _reject(748, "No metadata update requested.")
        entity_type, identifier_type, identifier_value = _entity(request.get("entity"))
        with store.lock:
            customer = _customer(store, entity_type, identifier_type, identifier_value)
            redemption = _redemption(customer, key_name, key_value)
            return _apply(customer, redemption, request)
    except Rejection as rejection:
        return rejection.reply


def _parse(body: bytes) -> dict[str, Any]:
    try:
        request = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _reject(400, "Invalid input: the body is not valid JSON") from None
    if not isinstance(request, dict):
        raise _reject(400, "Invalid input: the body must be a JSON object")
    if "billId" in request:
        bill_id = request["billId"]
        if type(bill_id) is not int or not 1 <= bill_id <= INT64_MAX:
            raise _reject(400, "Invalid input: billId must be a whole number from 1 to 2^63-1")
    for name in ("billNumber", "purpose", "redemptionId", "externalReferenceNumber"):
        if name in request and not isinstance(request[name], str):
            raise _reject(400, f"Invalid input: {name} must be a string")
    if len(request.get("purpose", "")) > PURPOSE_MAX_CHARS:
        raise _reject(400, f"Invalid input: purpose is longer than {PURPOSE_MAX_CHARS} characters")
    fields = request.get("customFields", {})
    if not isinstance(fields, dict) or not all(isinstance(v, str) for v in fields.values()):
        raise _reject(400, "Invalid input: customFields must map names to strings")
    return request


def _identifier(request: dict[str, Any]) -> tuple[str, str]:
    given = [
        (name, request[name])
        for name in ("redemptionId", "externalReferenceNumber")
        if request.get(name, "").strip()
    ]
    if len(given) != 1:
        raise _reject(749, "Exactly one redemption identifier needed to identify redemption.")
    return given[0]


def _entity(entity: Any) -> tuple[Any, str, str]:
    if not isinstance(entity, dict):
        raise _reject(1219, "Entity details not set/invalid.")
    identifier_type = entity.get("identifierType")
    identifier_value = entity.get("identifierValue")
    if identifier_type not in IDENTIFIER_TYPES or not isinstance(identifier_value, str):
        raise _reject(1219, "Entity details not set/invalid.")
    if not identifier_value.strip():
        raise _reject(1219, "Entity details not set/invalid.")
    if entity.get("type") not in ENTITY_TYPES:
        raise _reject(1212, "Entity type passed is not valid.")
    return entity["type"], identifier_type, identifier_value


def _customer(store: Store, entity_type: str, identifier_type: str, value: str) -> StoredCustomer:
    # Only customers are seeded: a user group or fleet is never found.
    customer = store.find_customer(identifier_type, value) if entity_type == "CUSTOMER" else None
    if customer is None:
        raise _reject(8015, "Invalid identifier: customer not found for the given identifiers")
    return customer


def _redemption(customer: StoredCustomer, key_name: str, key_value: str) -> StoredRedemption:
    attribute = "redemption_id" if key_name == "redemptionId" else "external_reference_number"
    for redemption in customer.redemptions:
        if getattr(redemption, attribute) == key_value:
            return redemption
    raise _failed(f"no redemption with {key_name} {key_value} for this customer")


def _apply(
    customer: StoredCustomer, redemption: StoredRedemption, request: dict[str, Any]
) -> Reply:
    rid = redemption.redemption_id
    if rid == seed.REVERSED_REDEMPTION_ID:
        raise _failed("redemption already reversed")
    if rid == seed.BUSY_REDEMPTION_ID:
        raise _reject(521, "Another action is running for the same customer, retry shortly")
    if rid == seed.ERRORS_IN_200_REDEMPTION_ID:
        body = response_fields(customer, redemption)
        body["errors"] = [v2_message(750, "Redemption update failed : points ledger is locked")]
        return json_reply(200, body)
    custom_fields = request.get("customFields") or {}
    if custom_fields and not redemption.custom_fields:
        raise _failed("custom fields were not sent when the points were redeemed")
    if "billId" in request:
        redemption.bill_id = request["billId"]
    if "billNumber" in request:
        redemption.bill_number = request["billNumber"]
    if "purpose" in request:
        redemption.purpose = request["purpose"]
    redemption.custom_fields.update(custom_fields)
    body = response_fields(customer, redemption)
    if rid == seed.WARNING_REDEMPTION_ID:
        body["warnings"] = [dict(WARNING)]
    return json_reply(200, body)


def response_fields(customer: StoredCustomer, r: StoredRedemption) -> dict[str, Any]:
    """The flat success object of CAPILLARY_API.md §2 for this redemption as it is now."""
    # The wall clock read as if it were UTC, as the docs' example does; the second stamp is the
    # true instant (IST is UTC+5:30), so the two differ by exactly 5 h 30 min.
    wall_clock_ms = calendar.timegm(r.redeemed_time.timetuple()) * 1000
    points: float | str = r.points_redeemed
    if r.redemption_id == seed.STRING_POINTS_REDEMPTION_ID:
        points = str(r.points_redeemed)
    body: dict[str, Any] = {
        "id": r.row_id,
        "programId": seed.PROGRAM_ID,
        "pointsRedeemed": points,
        "billId": r.bill_id if r.bill_id is not None else -1,
        "billNumber": r.bill_number,
        "validationCode": r.validation_code,
        "notes": r.notes,
        "redemptionTime": wall_clock_ms,
        "pointsRedemptionTime": wall_clock_ms - IST_OFFSET_MS,
        "tillId": seed.TILL_ID,
        "tillName": "",
        "pointDeductionList": [],
        "redemptionId": r.redemption_id,
    }
    if r.external_reference_number:
        body["externalReferenceNumber"] = r.external_reference_number
    body.update(
        {
            "customFields": [{"name": k, "value": v} for k, v in r.custom_fields.items()],
            "customerId": customer.customer_id,
            "redemptionPurpose": r.purpose,
            "redemptionDate": r.redeemed_time.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "warnings": [],
        }
    )
    return body
