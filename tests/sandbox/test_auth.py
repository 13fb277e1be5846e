"""Basic auth exactly as CAPILLARY_API.md §1: username ":" lowercase MD5 hex of the password."""

import base64
import hashlib
import xml.etree.ElementTree as ET

import pytest

from desktop_app.sandbox import DEMO_PASSWORD, DEMO_PASSWORD_MD5, DEMO_USERNAME, NO_ACCESS_USERNAME
from tests.sandbox.wire import ASHA_MOBILE, DOCS_AUTHORIZATION, asha_update, lookup, update


def basic(username: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{secret}".encode()).decode("ascii")


def test_demo_credentials_are_the_docs_worked_example():
    assert (DEMO_USERNAME, DEMO_PASSWORD) == ("store.server", "server123")
    assert DEMO_PASSWORD_MD5 == "8a16a6b70505eb1f1ff7cdc0cd5559a7"
    assert hashlib.md5(b"server123").hexdigest() == DEMO_PASSWORD_MD5
    assert basic(DEMO_USERNAME, DEMO_PASSWORD_MD5) == DOCS_AUTHORIZATION


def test_the_docs_token_opens_both_endpoints(sandbox):
    assert lookup(sandbox, mobile=ASHA_MOBILE).status == 200
    assert update(sandbox, asha_update(billNumber="b-1")).status == 200


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        basic("store.server", "server123"),  # the plain password instead of its digest
        basic("store.server", DEMO_PASSWORD_MD5.upper()),  # the digest must be lowercase hex
        basic("store.server", hashlib.md5(b"server124").hexdigest()),
        basic("store.other", DEMO_PASSWORD_MD5),
        basic("store.server", ""),
        "Basic c3RvcmUuc2VydmVy",  # "store.server" with no colon
        "Basic not base64!",
        "Bearer " + DEMO_PASSWORD_MD5,
    ],
    ids=["missing", "plain", "upper", "wrong", "other-till", "empty", "no-colon", "junk", "bearer"],
)
def test_bad_credentials_get_401_with_an_xml_body(sandbox, authorization):
    for answer in (
        lookup(sandbox, authorization=authorization, mobile=ASHA_MOBILE),
        update(sandbox, asha_update(billId=7), authorization=authorization),
    ):
        assert answer.status == 401
        assert "xml" in answer.headers["Content-Type"]
        root = ET.fromstring(answer.body)
        assert root.tag == "response"
        assert root.findtext("success") == "false"
        assert root.findtext("code") == "401"
        assert root.findtext("message")
    assert sandbox.redemption("NZVAt9").bill_id == 235  # a rejected PUT changed nothing


def test_a_till_without_the_access_group_gets_403_code_4000(sandbox):
    no_access = basic(NO_ACCESS_USERNAME, DEMO_PASSWORD_MD5)
    expected = [{"status": False, "code": 4000, "message": "Not authorized. Access is denied!"}]
    for answer in (
        lookup(sandbox, authorization=no_access, mobile=ASHA_MOBILE),
        update(sandbox, asha_update(billId=7), authorization=no_access),
    ):
        assert answer.status == 403
        assert answer.json()["errors"] == expected
    assert sandbox.redemption("NZVAt9").bill_id == 235
