"""The Capillary client against the sandbox over real loopback HTTP (no mocked transport)."""

import base64
import json

import pytest

from desktop_app.core.client import CapillaryClient, Timeouts, md5_hex
from desktop_app.core.model import (
    INT64_MAX,
    ApiFailure,
    Credentials,
    Entity,
    KeyKind,
    MetadataChange,
    ProblemKind,
    RedemptionKey,
)

ASHA = Entity("CUSTOMER", "mobile", "919800000001")
DEEP = Entity("CUSTOMER", "mobile", "919800000002")


def by_id(value):
    return RedemptionKey(KeyKind.REDEMPTION_ID, value)


def by_reference(value):
    return RedemptionKey(KeyKind.EXTERNAL_REFERENCE, value)


@pytest.fixture
def client(sandbox):
    return CapillaryClient(sandbox.base_url, Credentials("store.server", md5_hex("server123")))


def test_md5_digest_matches_the_documented_example():
    assert md5_hex("server123") == "8a16a6b70505eb1f1ff7cdc0cd5559a7"


def test_lookup_by_redemption_id(client):
    found = client.find_redemption(ASHA, by_id("NZVAt9"))
    assert (found.redemption_id, found.bill_id, found.bill_number) == ("NZVAt9", 235, "bill-old-77")
    assert found.purpose == "why"
    assert [(f.name, f.value) for f in found.custom_fields] == [("reason", "pos outage")]


def test_lookup_is_case_sensitive(client):
    assert client.find_redemption(ASHA, by_id("nzvat9")).bill_id == 236


def test_unset_bill_id_and_string_points(client):
    found = client.find_redemption(ASHA, by_id("sTDVyi"))
    assert found.bill_id is None
    assert found.points == 25.0


def test_lookup_by_external_reference_uses_the_server_filter(client, sandbox):
    found = client.find_redemption(ASHA, by_reference("EXT-1001"))
    assert found.redemption_id == "NZVAt9"
    lookups = [r for r in sandbox.received if r.method == "GET"]
    assert lookups[-1].query["external_reference_number"] == "EXT-1001"


@pytest.mark.parametrize("unit", ["rows", "pages"])
def test_lookup_pages_past_a_thousand_rows_in_either_offset_unit(client, sandbox, unit):
    sandbox.offset_unit = unit
    found = client.find_redemption(DEEP, by_id("DeEp01"))
    assert found.external_reference == "EXT-DEEP-0001"
    offsets = [int(r.query["points_offset"]) for r in sandbox.received if r.method == "GET"]
    assert len(offsets) <= 5, offsets  # probing the unit costs one request, not a crawl
    assert len(set(offsets)) == len(offsets)


def test_lookup_not_found_stops_on_the_short_page(client, sandbox):
    with pytest.raises(ApiFailure) as caught:
        client.find_redemption(DEEP, by_id("NoSuCh"))
    assert caught.value.problem.kind is ProblemKind.NOT_FOUND
    assert "case-sensitive" in caught.value.problem.message
    assert sum(r.method == "GET" for r in sandbox.received) <= 5


def test_unknown_customer_is_not_found(client):
    with pytest.raises(ApiFailure) as caught:
        client.find_redemption(Entity("CUSTOMER", "mobile", "910000000000"), by_id("NZVAt9"))
    assert caught.value.problem.kind is ProblemKind.NOT_FOUND


def test_card_identifiers_have_no_lookup(client, sandbox):
    with pytest.raises(ApiFailure) as caught:
        client.find_redemption(Entity("CUSTOMER", "cardnumber", "CARD-0001"), by_id("NZVAt9"))
    assert caught.value.problem.kind is ProblemKind.VALIDATION
    assert sandbox.received == []


def test_put_body_key_by_key_and_type_by_type(client, sandbox):
    result = client.update_redemption(
        ASHA, by_id("NZVAt9"), MetadataChange(bill_id=26503632, purpose="re-issued receipt")
    )
    put = [r for r in sandbox.received if r.method == "PUT"][-1]
    body = json.loads(put.body)
    assert body == {
        "redemptionId": "NZVAt9",
        "billId": 26503632,
        "purpose": "re-issued receipt",
        "entity": {
            "type": "CUSTOMER",
            "identifierType": "mobile",
            "identifierValue": "919800000001",
        },
    }
    assert type(body["billId"]) is int and "billNumber" not in body
    assert put.headers["content-type"] == "application/json"
    assert put.headers["accept"] == "application/json"
    assert "cookie" not in put.headers
    assert put.headers["user-agent"].startswith("redemption-desk/")
    token = put.headers["authorization"].removeprefix("Basic ")
    assert base64.b64decode(token).decode() == "store.server:8a16a6b70505eb1f1ff7cdc0cd5559a7"
    assert (result.bill_id, result.redemption_purpose) == (26503632, "re-issued receipt")
    assert client.find_redemption(ASHA, by_id("NZVAt9")).bill_id == 26503632


def test_update_by_external_reference_sends_that_identifier_only(client, sandbox):
    client.update_redemption(ASHA, by_reference("EXT-1001"), MetadataChange(bill_number="b-2"))
    body = json.loads([r for r in sandbox.received if r.method == "PUT"][-1].body)
    assert body["externalReferenceNumber"] == "EXT-1001" and "redemptionId" not in body


def test_largest_int64_bill_id_goes_out_as_a_json_integer(client, sandbox):
    client.update_redemption(ASHA, by_id("NZVAt9"), MetadataChange(bill_id=INT64_MAX))
    raw = [r for r in sandbox.received if r.method == "PUT"][-1].body
    assert b'"billId":9223372036854775807' in raw


@pytest.mark.parametrize(
    "change",
    [
        MetadataChange(),
        MetadataChange(bill_id=INT64_MAX + 1),
        MetadataChange(bill_id=0),
        MetadataChange(purpose="x" * 256),
        MetadataChange(bill_number="a\nb"),
    ],
)
def test_invalid_changes_are_refused_before_anything_is_sent(client, sandbox, change):
    with pytest.raises(ApiFailure) as caught:
        client.update_redemption(ASHA, by_id("NZVAt9"), change)
    assert caught.value.problem.kind is ProblemKind.VALIDATION
    assert sandbox.update_count == 0


def test_success_with_warnings(client):
    result = client.update_redemption(ASHA, by_id("WaRn01"), MetadataChange(bill_number="w-1"))
    assert result.warnings and result.warnings[0].message
    assert result.redemption_time - result.points_redemption_time == 5.5 * 3600 * 1000


def test_a_200_carrying_errors_is_a_failure(client):
    with pytest.raises(ApiFailure) as caught:
        client.update_redemption(ASHA, by_id("ErR200"), MetadataChange(bill_number="x"))
    problem = caught.value.problem
    assert problem.http_status == 200 and problem.errors
    assert not problem.may_have_applied


@pytest.mark.parametrize(
    ("entity", "key", "change", "code"),
    [
        (ASHA, by_id("FaiL50"), MetadataChange(bill_number="x"), 750),
        (ASHA, by_id("BuSy21"), MetadataChange(bill_number="x"), 521),
        (
            Entity("CUSTOMER", "mobile", "910000000000"),
            by_id("NZVAt9"),
            MetadataChange(bill_number="x"),
            8015,
        ),
    ],
)
def test_error_codes_reach_the_caller(client, entity, key, change, code):
    with pytest.raises(ApiFailure) as caught:
        client.update_redemption(entity, key, change)
    assert caught.value.problem.codes == (code,)


def test_wrong_password_is_an_auth_problem_from_the_xml_body(sandbox):
    client = CapillaryClient(sandbox.base_url, Credentials("store.server", md5_hex("nope")))
    with pytest.raises(ApiFailure) as caught:
        client.update_redemption(ASHA, by_id("NZVAt9"), MetadataChange(bill_number="x"))
    problem = caught.value.problem
    assert problem.kind is ProblemKind.AUTH and problem.http_status == 401
    assert "rejected" in problem.message


def test_till_without_access_group_gets_4000(sandbox):
    client = CapillaryClient(sandbox.base_url, Credentials("store.noaccess", md5_hex("server123")))
    with pytest.raises(ApiFailure) as caught:
        client.update_redemption(ASHA, by_id("NZVAt9"), MetadataChange(bill_number="x"))
    assert caught.value.problem.kind is ProblemKind.ACCESS
    assert caught.value.problem.codes == (4000,)


@pytest.mark.parametrize(
    ("fault", "kind", "code"),
    [
        ("unavailable_4001", ProblemKind.SERVER, 4001),
        ("busy_521", ProblemKind.RATE_LIMITED, 521),
        ("forbidden_4000", ProblemKind.ACCESS, 4000),
    ],
)
def test_coded_faults_mean_not_applied(client, sandbox, fault, kind, code):
    sandbox.set_fault(fault, endpoint="update")
    with pytest.raises(ApiFailure) as caught:
        client.update_redemption(ASHA, by_id("NZVAt9"), MetadataChange(bill_number="x"))
    assert caught.value.problem.kind is kind and caught.value.problem.codes == (code,)
    assert not caught.value.problem.may_have_applied


def test_rate_limit_honours_retry_after(client, sandbox):
    sandbox.set_fault("rate_limited", retry_after=30, endpoint="update")
    with pytest.raises(ApiFailure) as caught:
        client.update_redemption(ASHA, by_id("NZVAt9"), MetadataChange(bill_number="x"))
    assert caught.value.problem.kind is ProblemKind.RATE_LIMITED
    assert caught.value.problem.retry_after_seconds == 30


def test_dropped_response_after_the_put_left_is_outcome_unknown_and_not_resent(client, sandbox):
    sandbox.set_fault("drop_connection", endpoint="update")
    with pytest.raises(ApiFailure) as caught:
        client.update_redemption(ASHA, by_id("NZVAt9"), MetadataChange(bill_number="dropped"))
    assert caught.value.problem.may_have_applied
    assert "may still have been applied" in caught.value.problem.message
    assert sandbox.update_count == 1


def test_read_timeout_on_a_put_is_outcome_unknown(sandbox):
    client = CapillaryClient(
        sandbox.base_url,
        Credentials("store.server", md5_hex("server123")),
        timeouts=Timeouts(read=0.3, overall=5),
    )
    sandbox.set_fault("delay", seconds=2.0, endpoint="update")
    with pytest.raises(ApiFailure) as caught:
        client.update_redemption(ASHA, by_id("NZVAt9"), MetadataChange(bill_number="slow"))
    assert caught.value.problem.kind is ProblemKind.TIMEOUT
    assert caught.value.problem.may_have_applied
    assert sandbox.update_count == 1


def test_connection_refused_says_nothing_was_sent(sandbox):
    url = sandbox.base_url
    sandbox.stop()
    client = CapillaryClient(url, Credentials("store.server", md5_hex("server123")))
    with pytest.raises(ApiFailure) as caught:
        client.update_redemption(ASHA, by_id("NZVAt9"), MetadataChange(bill_number="x"))
    problem = caught.value.problem
    assert problem.kind is ProblemKind.NETWORK and "refused" in problem.message
    assert not problem.may_have_applied


def test_an_oversized_answer_to_a_put_is_read_bounded_and_says_to_check(client, sandbox):
    sandbox.set_fault("huge_body", endpoint="update")
    with pytest.raises(ApiFailure) as caught:
        client.update_redemption(ASHA, by_id("NZVAt9"), MetadataChange(bill_number="big"))
    problem = caught.value.problem
    assert problem.may_have_applied and "larger than" in problem.message
    assert "look the redemption up before sending again" in problem.message


@pytest.mark.parametrize(
    "url", ["http://eu.api.capillarytech.com", "http://127.0.0.1.example", "ftp://127.0.0.1"]
)
def test_the_client_refuses_plain_http_off_this_computer_before_sending(url):
    # Issue 11 item 2: the rule lives where every request passes, whatever built the client.
    client = CapillaryClient(url, Credentials("u", md5_hex("p")), source="the profile “EU”")
    for call in (
        lambda: client.find_redemption(ASHA, by_id("NZVAt9")),
        lambda: client.update_redemption(ASHA, by_id("NZVAt9"), MetadataChange(purpose="x")),
    ):
        with pytest.raises(ApiFailure) as refused:
            call()
        problem = refused.value.problem
        assert problem.kind is ProblemKind.VALIDATION and not problem.may_have_applied
        assert problem.message.startswith("The profile “EU” uses")
        assert "nothing was sent" in problem.message


def test_loopback_never_goes_through_a_proxy(sandbox, monkeypatch):
    # Issue 11 item 8: with HTTP_PROXY set, an http://127.0.0.1 profile sent the Basic token to
    # the proxy. The "proxy" here is a listener that records whoever connects to it.
    import socket
    import threading

    from desktop_app.core import client as client_module

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.2)
    seen: list[bytes] = []
    stop = threading.Event()

    def record() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(1)
                seen.append(connection.recv(4096))

    thread = threading.Thread(target=record)
    thread.start()
    proxy = f"http://127.0.0.1:{listener.getsockname()[1]}"
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, proxy)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(client_module, "_shared", {})  # pools read the environment when made
    try:
        localhost_url = sandbox.base_url.replace("127.0.0.1", "localhost")
        for url in (sandbox.base_url, localhost_url):
            client = CapillaryClient(url, Credentials("store.server", md5_hex("server123")))
            assert client.find_redemption(ASHA, by_id("NZVAt9")).bill_id == 235
    finally:
        stop.set()
        thread.join(5)
        listener.close()
    assert seen == []
