"""PUT /v2/points/updateRedemption pinned to CAPILLARY_API.md §2: shape, codes, seeded cases."""

import datetime as dt

import pytest

from tests.sandbox.wire import ASHA, ASHA_MOBILE, asha_update, lookup, points, update

IST = dt.timedelta(hours=5, minutes=30)
RESPONSE_KEYS = {
    "id",
    "programId",
    "pointsRedeemed",
    "billId",
    "billNumber",
    "validationCode",
    "notes",
    "redemptionTime",
    "pointsRedemptionTime",
    "tillId",
    "tillName",
    "pointDeductionList",
    "redemptionId",
    "externalReferenceNumber",
    "customFields",
    "customerId",
    "redemptionPurpose",
    "redemptionDate",
    "warnings",
}


def asha_row(sandbox, redemption_id):
    rows = points(lookup(sandbox, mobile=ASHA_MOBILE))
    return next(r for r in rows if r["redemption_id"] == redemption_id)


def test_success_is_a_flat_object_with_every_documented_field(sandbox):
    answer = update(sandbox, asha_update(billId=9876543210, billNumber="INV-42", purpose="fixed"))

    assert answer.status == 200
    body = answer.json()
    assert set(body) == RESPONSE_KEYS
    assert body["redemptionId"] == "NZVAt9"
    assert body["externalReferenceNumber"] == "EXT-1001"
    assert body["billId"] == 9876543210
    assert body["billNumber"] == "INV-42"
    assert body["redemptionPurpose"] == "fixed"
    assert body["customFields"] == [{"name": "reason", "value": "pos outage"}]
    assert body["customerId"] == 1000001
    assert body["programId"] == 772
    assert body["pointsRedeemed"] == 10.0
    assert body["notes"] == "Redeemed at counter 2"
    assert body["pointDeductionList"] == []
    assert body["warnings"] == []
    assert all(type(body[k]) is int for k in ("id", "tillId", "redemptionTime"))
    assert all(type(body[k]) is str for k in ("validationCode", "tillName"))


def test_the_two_epoch_stamps_differ_by_exactly_5h30_and_the_date_is_iso(sandbox):
    body = update(sandbox, asha_update(billNumber="x")).json()

    assert body["redemptionTime"] - body["pointsRedemptionTime"] == IST // dt.timedelta(
        milliseconds=1
    )
    parsed = dt.datetime.fromisoformat(body["redemptionDate"].replace("Z", "+00:00"))
    assert parsed.timestamp() * 1000 == body["redemptionTime"]
    row = asha_row(sandbox, "NZVAt9")
    assert body["redemptionDate"].startswith(row["redeemed_time"].replace(" ", "T"))


def test_the_update_shows_in_a_later_lookup(sandbox):
    update(sandbox, asha_update(billId=4242, billNumber="INV-9", purpose="corrected"))

    row = asha_row(sandbox, "NZVAt9")
    assert (row["bill_id"], row["transaction_number"], row["redemption_purpose"]) == (
        "4242",
        "INV-9",
        "corrected",
    )
    assert asha_row(sandbox, "nzvat9")["bill_id"] == "236"  # the lower-case twin is untouched


def test_only_the_fields_sent_change(sandbox):
    update(sandbox, asha_update(purpose="only this"))
    row = asha_row(sandbox, "NZVAt9")
    assert (row["bill_id"], row["transaction_number"], row["redemption_purpose"]) == (
        "235",
        "bill-old-77",
        "only this",
    )


def test_an_unset_bill_id_answers_minus_one_and_points_as_a_numeric_string(sandbox):
    body = update(sandbox, asha_update(redemptionId="sTDVyi", purpose="p")).json()
    assert body["billId"] == -1
    assert body["pointsRedeemed"] == "25.0"
    assert "externalReferenceNumber" not in body  # not set at redeem time
    assert body["customFields"] == []


def test_found_by_external_reference(sandbox):
    payload = {"externalReferenceNumber": "EXT-1002", "billId": 5, "entity": ASHA}
    body = update(sandbox, payload).json()
    assert (body["redemptionId"], body["billId"]) == ("nzvat9", 5)


@pytest.mark.parametrize(
    ("identifier_type", "value"),
    [
        ("mobile", "919800000001"),
        ("email", "asha@example.com"),
        ("externalId", "CUST-0001"),
        ("id", "1000001"),
        ("cardnumber", "CARD-0001"),
        ("cardExternalId", "CEXT-0001"),
    ],
)
def test_the_customer_matches_by_every_identifier_type(sandbox, identifier_type, value):
    entity = {"type": "CUSTOMER", "identifierType": identifier_type, "identifierValue": value}
    answer = update(sandbox, asha_update(billNumber="n", entity=entity))
    assert answer.status == 200
    assert answer.json()["customerId"] == 1000001


def test_custom_fields_go_in_as_a_map_and_come_back_as_an_array(sandbox):
    body = update(sandbox, asha_update(billId=1, customFields={"reason": "typo"})).json()
    assert body["customFields"] == [{"name": "reason", "value": "typo"}]


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (asha_update(), 748),
        (asha_update(customFields={"reason": "x"}), 748),
        ({"billId": 1, "entity": ASHA}, 749),
        (asha_update(billId=1, externalReferenceNumber="EXT-1001"), 749),
        (asha_update(billId=1, redemptionId="  "), 749),
        ({"redemptionId": "NZVAt9", "billId": 1}, 1219),
        (asha_update(billId=1, entity={"type": "CUSTOMER", "identifierType": "mobile"}), 1219),
        (asha_update(billId=1, entity={**ASHA, "identifierValue": " "}), 1219),
        (asha_update(billId=1, entity={**ASHA, "identifierType": "phone"}), 1219),
        (asha_update(billId=1, entity="CUSTOMER"), 1219),
        (asha_update(billId=1, entity={**ASHA, "type": "USER GROUP"}), 1212),
        (asha_update(billId=1, entity={**ASHA, "type": "customer"}), 1212),
        (asha_update(billId=1, entity={**ASHA, "identifierValue": "919899999999"}), 8015),
        (asha_update(billId=1, entity={**ASHA, "type": "FLEET"}), 8015),
        (asha_update(billId=1, redemptionId="nzvAt9"), 750),
        (asha_update(billId=1, redemptionId="DeEp01"), 750),  # another customer's
        ({"externalReferenceNumber": "ext-1001", "billId": 1, "entity": ASHA}, 750),
    ],
)
def test_each_request_shape_error_gets_its_code_as_http_400(sandbox, payload, code):
    answer = update(sandbox, payload)
    assert answer.status == 400
    assert answer.error_codes() == [code]
    assert answer.json()["errors"][0]["status"] is False
    assert answer.json()["errors"][0]["message"]
    assert sandbox.redemption("NZVAt9").bill_id == 235


def test_750_carries_the_detail_of_what_was_not_found(sandbox):
    message = update(sandbox, asha_update(billId=1, redemptionId="ZZZZZZ")).json()["errors"][0]
    assert message["message"].startswith("Redemption update failed : ")
    assert "ZZZZZZ" in message["message"]


@pytest.mark.parametrize(
    "bill_id",
    ["235", 235.0, 1e3, True, 0, -5, 2**63, None, [235]],
    ids=["string", "float", "exponent", "bool", "zero", "negative", "over-int64", "null", "list"],
)
def test_bill_id_must_be_a_json_integer_in_int64(sandbox, bill_id):
    answer = update(sandbox, asha_update(billId=bill_id))
    assert answer.status == 400
    assert answer.error_codes() == [400]
    assert answer.json()["errors"][0]["message"].startswith("Invalid input")
    assert sandbox.redemption("NZVAt9").bill_id == 235


def test_the_largest_int64_bill_id_is_accepted(sandbox):
    answer = update(sandbox, asha_update(billId=2**63 - 1))
    assert answer.status == 200
    assert asha_row(sandbox, "NZVAt9")["bill_id"] == str(2**63 - 1)


@pytest.mark.parametrize(
    "payload",
    [asha_update(purpose="x" * 256), asha_update(billNumber=12), asha_update(purpose=None)],
    ids=["purpose-256", "number-bill-number", "null-purpose"],
)
def test_other_wrong_field_types_are_invalid_input(sandbox, payload):
    assert update(sandbox, payload).error_codes() == [400]


def test_a_purpose_of_255_characters_is_accepted(sandbox):
    assert update(sandbox, asha_update(purpose="é" * 255)).status == 200


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b"\xff\xfe"])
def test_a_body_that_is_not_a_json_object_is_invalid_input(sandbox, body):
    answer = update(sandbox, body)
    assert answer.status == 400
    assert answer.error_codes() == [400]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_a_wrong_content_type_gets_415(sandbox, content_type):
    answer = update(sandbox, asha_update(billId=1), content_type=content_type)
    assert answer.status == 415
    assert answer.error_codes() == [415]


def test_content_type_with_a_charset_is_fine(sandbox):
    answer = update(sandbox, asha_update(billId=1), content_type="application/json; charset=utf-8")
    assert answer.status == 200


def test_warn01_succeeds_with_a_non_empty_warnings_array(sandbox):
    answer = update(sandbox, asha_update(redemptionId="WaRn01", billId=77))
    assert answer.status == 200
    body = answer.json()
    assert body["billId"] == 77
    assert body["warnings"]
    assert {"status", "code", "message"} <= set(body["warnings"][0])
    assert asha_row(sandbox, "WaRn01")["bill_id"] == "77"


def test_err200_is_http_200_carrying_errors_and_changes_nothing(sandbox):
    answer = update(sandbox, asha_update(redemptionId="ErR200", billId=77))
    assert answer.status == 200
    errors = answer.json()["errors"]
    assert errors
    assert errors[0]["status"] is False
    assert asha_row(sandbox, "ErR200")["bill_id"] == "302"


def test_fail50_fails_with_750_already_reversed(sandbox):
    answer = update(sandbox, asha_update(redemptionId="FaiL50", billId=77))
    assert answer.status == 400
    assert answer.json()["errors"] == [
        {
            "status": False,
            "code": 750,
            "message": "Redemption update failed : redemption already reversed",
        }
    ]
    assert asha_row(sandbox, "FaiL50")["bill_id"] == "303"


def test_busy21_fails_with_521(sandbox):
    answer = update(sandbox, asha_update(redemptionId="BuSy21", billId=77))
    assert answer.status == 400
    assert answer.error_codes() == [521]
    assert asha_row(sandbox, "BuSy21")["bill_id"] == "304"


def test_custom_fields_cannot_be_added_where_none_were_sent_at_redeem_time(sandbox):
    answer = update(sandbox, asha_update(redemptionId="nzvat9", billId=1, customFields={"a": "b"}))
    assert answer.error_codes() == [750]
