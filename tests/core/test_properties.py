"""Property tests: validators and parsers never raise; accepted bill IDs are int64 JSON integers."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core import responses, validation
from desktop_app.core.api_problems import Reply, http_problem
from desktop_app.core.model import (
    INT64_MAX,
    ApiFailure,
    Entity,
    KeyKind,
    MetadataChange,
    RedemptionKey,
)
from desktop_app.core.update_request import build_update_body, encode_body

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
message_like = st.dictionaries(st.sampled_from(["code", "message", "status"]), scalars, max_size=3)
loose_value = scalars | message_like | st.lists(scalars | message_like, max_size=3)
update_keys = st.sampled_from(
    ["errors", "warnings", "billId", "pointsRedeemed", "customFields", "redemptionTime", "id"]
)
api_like = st.dictionaries(update_keys | st.text(max_size=6), loose_value, max_size=6)
row_keys = st.sampled_from(
    [
        "redemption_id",
        "external_reference_number",
        "bill_id",
        "points_redeemed",
        "custom_fields",
        "transaction_number",
        "program_id",
        "redeemed_time",
    ]
)
row_like = st.dictionaries(row_keys, loose_value | st.just({"field": [{"name": "a"}]}), max_size=6)
lookup_like = (
    st.fixed_dictionaries(
        {
            "response": st.fixed_dictionaries(
                {
                    "status": message_like | scalars,
                    "customer": st.fixed_dictionaries(
                        {
                            "redemptions": st.fixed_dictionaries(
                                {
                                    "points": st.fixed_dictionaries(
                                        {"point": st.lists(row_like, max_size=3) | row_like}
                                    )
                                    | scalars
                                }
                            )
                        }
                    )
                    | st.lists(scalars, max_size=2)
                    | scalars,
                }
            )
        }
    )
    | loose_value
)
FEWER = settings(max_examples=max(10, settings.default.max_examples // 5))


@given(st.text())
def test_validators_never_raise(text):
    for check in (
        validation.bill_id_problem,
        validation.bill_number_problem,
        validation.purpose_problem,
        validation.redemption_key_problem,
        validation.entity_type_problem,
    ):
        result = check(text)
        assert result is None or isinstance(result, str)
    for identifier_type in ("mobile", "email", "id", "externalId", "bogus"):
        validation.entity_value_problem(identifier_type, text)


@given(st.text(alphabet=st.characters(), max_size=25) | st.integers().map(str))
def test_every_accepted_bill_id_goes_out_as_an_int64_json_integer(text):
    if validation.bill_id_problem(text) is not None:
        return
    body = build_update_body(
        Entity("CUSTOMER", "mobile", "919800000001"),
        RedemptionKey(KeyKind.REDEMPTION_ID, "NZVAt9"),
        MetadataChange(bill_id=validation.parse_bill_id(text)),
    )
    sent = json.loads(encode_body(body))
    assert type(sent["billId"]) is int
    assert 1 <= sent["billId"] <= INT64_MAX
    assert str(sent["billId"]) == text  # exactly what was typed, nothing altered


@given(api_like)
def test_update_parsers_never_raise(data):
    responses.parse_update_result(data, 200, json.dumps(data))
    responses.parse_messages(data.get("errors"))


@given(lookup_like)
def test_lookup_parsers_never_raise(data):
    responses.lookup_status(data)
    rows = responses.lookup_rows(data)
    for row in rows or []:
        responses.parse_redemption_row(row)


@FEWER
@given(st.integers(min_value=100, max_value=599), st.text(max_size=300) | api_like.map(json.dumps))
def test_error_replies_always_become_a_problem(status, text):
    problem = http_problem(Reply(status, text, {}), is_write=True)
    assert problem.message
    assert problem.http_status == status
    assert isinstance(ApiFailure(problem).problem.codes, tuple)


@given(st.text(max_size=200))
def test_scalar_coercions_never_raise(text):
    responses.as_int(text)
    responses.as_float(text)
    responses.as_bool(text)
    responses.text_message(text)
    responses.xml_code(text)
