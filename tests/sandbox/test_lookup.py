"""GET /v1.1/customer/redemptions pinned to CAPILLARY_API.md §3: envelope, string quirks, paging."""

import re

import pytest

from tests.sandbox.wire import ASHA_MOBILE, DEEP_MOBILE, lookup, points

POINT_KEYS = {
    "id",
    "redemption_id",
    "external_reference_number",
    "transaction_number",
    "bill_id",
    "redemption_purpose",
    "notes",
    "points_redeemed",
    "program_id",
    "validation_code",
    "redeemed_time",
    "redeemed_at",
    "redeemed_store",
    "redeemed_till",
    "custom_fields",
    "reversals",
}


def by_id(answer, redemption_id):
    return next(p for p in points(answer) if p["redemption_id"] == redemption_id)


def test_envelope_has_the_documented_shape_with_string_status(sandbox):
    answer = lookup(sandbox, mobile=ASHA_MOBILE)

    assert answer.status == 200
    assert answer.headers["Content-Type"].startswith("application/json")
    response = answer.json()["response"]
    assert response["status"] == {"success": "true", "code": "200", "message": "SUCCESS"}
    customer = response["customer"]
    assert {k: customer[k] for k in ("mobile", "email", "external_id", "firstname")} == {
        "mobile": ASHA_MOBILE,
        "email": "asha@example.com",
        "external_id": "CUST-0001",
        "firstname": "Asha",
    }
    assert isinstance(customer["lastname"], str)
    assert customer["points_count"] == "1240"
    assert customer["rows"] == "7"
    assert customer["redemptions"]["coupons"] == {"coupon": []}
    assert len(points(answer)) == 7


def test_each_row_has_every_documented_field_as_strings(sandbox):
    row = by_id(lookup(sandbox, mobile=ASHA_MOBILE), "NZVAt9")

    assert set(row) == POINT_KEYS
    assert row["external_reference_number"] == "EXT-1001"
    assert row["transaction_number"] == "bill-old-77"
    assert row["bill_id"] == "235"
    assert row["redemption_purpose"] == "why"
    assert row["notes"] == "Redeemed at counter 2"
    assert row["points_redeemed"] == "10"
    assert row["program_id"] == "772"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", row["redeemed_time"])
    assert row["custom_fields"] == {"field": [{"name": "reason", "value": "pos outage"}]}
    assert row["reversals"] == []
    scalars = [v for k, v in row.items() if k not in ("custom_fields", "reversals")]
    assert all(isinstance(v, str) for v in scalars)


def test_unset_bill_id_is_minus_one_and_blank_fields_are_empty_strings(sandbox):
    row = by_id(lookup(sandbox, mobile=ASHA_MOBILE), "sTDVyi")

    assert row["bill_id"] == "-1"
    assert row["external_reference_number"] == ""
    assert row["transaction_number"] == ""
    assert row["custom_fields"] == {"field": []}


def test_row_id_is_a_row_number_not_the_redemption_identity(sandbox):
    rows = points(lookup(sandbox, mobile=ASHA_MOBILE, points_limit=3, points_offset=2))
    assert [r["id"] for r in rows] == ["3", "4", "5"]


def test_ids_are_case_sensitive_two_distinct_redemptions(sandbox):
    answer = lookup(sandbox, mobile=ASHA_MOBILE)
    upper, lower = by_id(answer, "NZVAt9"), by_id(answer, "nzvat9")
    assert (upper["bill_id"], upper["external_reference_number"]) == ("235", "EXT-1001")
    assert (lower["bill_id"], lower["external_reference_number"]) == ("236", "EXT-1002")


@pytest.mark.parametrize(
    "query", [{"email": "asha@example.com"}, {"external_id": "CUST-0001"}, {"id": "1000001"}]
)
def test_each_customer_query_key_finds_the_customer(sandbox, query):
    answer = lookup(sandbox, **query)
    assert answer.json()["response"]["customer"]["mobile"] == ASHA_MOBILE


def test_unknown_customer_is_http_200_with_success_false_and_code_1012(sandbox):
    answer = lookup(sandbox, mobile="919899999999")
    assert answer.status == 200
    status = answer.json()["response"]["status"]
    assert status == {"success": "false", "code": "1012", "message": "Customer not found"}


def test_a_lookup_without_a_customer_key_is_refused(sandbox):
    answer = lookup(sandbox)
    assert answer.status == 400
    assert answer.json()["response"]["status"]["success"] == "false"


def test_a_customer_without_redemptions_gets_an_empty_list(sandbox):
    answer = lookup(sandbox, mobile="919800000004")
    assert points(answer) == []
    assert answer.json()["response"]["customer"]["rows"] == "0"


def test_default_order_is_newest_first_and_can_be_reversed(sandbox):
    newest = points(lookup(sandbox, mobile=ASHA_MOBILE))
    times = [r["redeemed_time"] for r in newest]
    assert times == sorted(times, reverse=True)
    oldest = points(lookup(sandbox, mobile=ASHA_MOBILE, order="asc"))
    assert [r["redemption_id"] for r in oldest] == [r["redemption_id"] for r in reversed(newest)]


def test_sort_by_redemption_id(sandbox):
    rows = points(lookup(sandbox, mobile=ASHA_MOBILE, sort="redemption_id", order="asc"))
    ids = [r["redemption_id"] for r in rows]
    assert ids == sorted(ids)


def test_limit_defaults_to_10_and_is_clamped_to_500(sandbox):
    assert len(points(lookup(sandbox, mobile=DEEP_MOBILE))) == 10
    assert len(points(lookup(sandbox, mobile=DEEP_MOBILE, points_limit=9999))) == 500
    assert len(points(lookup(sandbox, mobile=DEEP_MOBILE, points_limit=0))) == 1


def test_paging_in_rows_reaches_the_redemption_beyond_row_1000(sandbox):
    seen = []
    offset = 0
    while True:
        page = points(lookup(sandbox, mobile=DEEP_MOBILE, points_limit=500, points_offset=offset))
        seen += [r["redemption_id"] for r in page]
        if len(page) < 500:
            break
        offset += len(page)
    assert len(seen) == len(set(seen)) == 1200
    assert seen.index("DeEp01") == 1199
    assert "DeEp01" not in seen[:1000]


def test_paging_in_pages_counts_offset_as_a_zero_based_page_number(sandbox):
    sandbox.offset_unit = "pages"
    first = points(lookup(sandbox, mobile=DEEP_MOBILE, points_limit=500, points_offset=0))
    second = points(lookup(sandbox, mobile=DEEP_MOBILE, points_limit=500, points_offset=1))
    third = points(lookup(sandbox, mobile=DEEP_MOBILE, points_limit=500, points_offset=2))
    assert second[0]["id"] == "501"
    assert [len(first), len(second), len(third)] == [500, 500, 200]
    assert third[-1]["redemption_id"] == "DeEp01"
    assert third[-1]["external_reference_number"] == "EXT-DEEP-0001"


def test_rows_offset_1_shifts_by_one_row_but_pages_offset_1_by_a_page(sandbox):
    rows_shift = points(lookup(sandbox, mobile=DEEP_MOBILE, points_limit=5, points_offset=1))
    sandbox.offset_unit = "pages"
    page_shift = points(lookup(sandbox, mobile=DEEP_MOBILE, points_limit=5, points_offset=1))
    assert rows_shift[0]["id"] == "2"
    assert page_shift[0]["id"] == "6"


def test_offset_unit_refuses_other_values(sandbox):
    with pytest.raises(ValueError):
        sandbox.offset_unit = "bytes"


def test_external_reference_filter_finds_the_oldest_deep_redemption_at_once(sandbox):
    answer = lookup(sandbox, mobile=DEEP_MOBILE, external_reference_number="EXT-DEEP-0001")
    assert [r["redemption_id"] for r in points(answer)] == ["DeEp01"]


def test_external_reference_filter_is_exact(sandbox):
    answer = lookup(sandbox, mobile=ASHA_MOBILE, external_reference_number="ext-1001")
    assert points(answer) == []
