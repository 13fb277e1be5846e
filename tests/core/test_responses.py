"""Lenient parsing of shapes CAPILLARY_API.md warns about."""

import json

from desktop_app.core import responses
from desktop_app.core.api_problems import Reply, http_problem
from desktop_app.core.model import ProblemKind


def test_numbers_and_booleans_may_be_strings():
    assert responses.as_int("200") == 200
    assert responses.as_int("-1") == -1
    assert responses.as_int(10.0) == 10
    assert responses.as_int(True) is None
    assert responses.as_float("10.50") == 10.5
    assert responses.as_float("nan") is None
    assert responses.as_bool("true") is True and responses.as_bool("FALSE") is False


def test_minus_one_bill_id_means_not_set():
    assert responses.bill_id_or_none("-1") is None
    assert responses.bill_id_or_none(-1) is None
    assert responses.bill_id_or_none("235") == 235


def test_custom_fields_arrive_in_three_shapes():
    expected = (("reason", "pos outage"),)
    for shape in (
        [{"name": "reason", "value": "pos outage"}],
        {"field": [{"name": "reason", "value": "pos outage"}]},
        {"field": {"name": "reason", "value": "pos outage"}},
        {"reason": "pos outage"},
    ):
        parsed = responses.parse_custom_fields(shape)
        assert tuple((f.name, f.value) for f in parsed) == expected


def test_401_with_an_xml_body_is_understood():
    body = (
        "<?xml version='1.0'?><response><success>false</success><code>401</code>"
        "<message>Unauthorized: invalid till credentials</message></response>"
    )
    problem = http_problem(Reply(401, body, {}), is_write=False)
    assert problem.kind is ProblemKind.AUTH
    assert "invalid till credentials" in problem.message
    assert problem.code == 401


def test_401_with_plain_text_is_understood():
    problem = http_problem(Reply(401, "Access denied", {}), is_write=True)
    assert problem.kind is ProblemKind.AUTH and "Access denied" in problem.message
    assert problem.may_have_applied is False


def test_429_honours_retry_after():
    problem = http_problem(Reply(429, "", {"Retry-After": "17"}), is_write=True)
    assert problem.kind is ProblemKind.RATE_LIMITED
    assert problem.retry_after_seconds == 17


def test_500_html_on_a_put_leaves_the_outcome_unknown_but_a_coded_error_does_not():
    html = "<html><body><h1>Internal Server Error</h1></body></html>"
    crash = http_problem(Reply(500, html, {}), is_write=True)
    assert crash.kind is ProblemKind.SERVER and crash.may_have_applied
    assert "Internal Server Error" in crash.message
    coded = json.dumps({"errors": [{"status": False, "code": 4001, "message": "unavailable"}]})
    refused = http_problem(Reply(503, coded, {}), is_write=True)
    assert refused.code == 4001 and not refused.may_have_applied


def test_errors_array_gives_the_codes_and_messages():
    body = json.dumps(
        {
            "errors": [
                {"status": "false", "code": "750", "message": "Redemption update failed : x"}
            ],
            "warnings": [{"code": 9001, "message": "w"}],
        }
    )
    problem = http_problem(Reply(400, body, {}), is_write=True)
    assert problem.codes == (750,)
    assert problem.errors[0].message == "Redemption update failed : x"
    assert problem.warnings[0].code == 9001


def test_lone_row_objects_are_accepted_as_lists():
    data = {
        "response": {
            "status": {"success": "true"},
            "customer": {
                "redemptions": {"points": {"point": {"redemption_id": "NZVAt9", "bill_id": "-1"}}}
            },
        }
    }
    rows = responses.lookup_rows(data)
    assert rows and responses.parse_redemption_row(rows[0]).bill_id is None


def test_an_error_body_of_repeated_open_tags_is_read_in_one_pass():
    # Issue 11 item 1: "<message>" repeated made the tag regex backtrack quadratically (72 KB
    # took 15 s). Here 2 MB must finish at all within the suite; a regression hangs it for hours.
    body = "<message>" * 230_000
    problem = http_problem(Reply(401, body, {}), is_write=True)
    assert problem.kind is ProblemKind.AUTH and problem.message.startswith("The till rejected")
    assert responses.xml_code("<code>" * 230_000) is None


def test_xml_elements_are_still_found_in_any_letter_case_and_cdata():
    assert (
        responses.xml_element_text("<MESSAGE a='1'> <![CDATA[ hi ]]> </message >", "message")
        == "hi"
    )
    assert (
        responses.xml_element_text("<messages>no</messages><message>yes</message>", "message")
        == "yes"
    )
    assert responses.xml_element_text("<message>unclosed", "message") is None
