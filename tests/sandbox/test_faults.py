"""Each fault switch does what the client's failure handling will be tested against."""

import http.client
import json
import socket
import threading
import time

import pytest

from tests.sandbox.wire import (
    ASHA_MOBILE,
    DOCS_AUTHORIZATION,
    LOOKUP_PATH,
    asha_update,
    lookup,
    points,
    update,
    wait_until,
)

NILA_LOOKUP = f"{LOOKUP_PATH}?mobile=919800000004&type=POINTS&format=json"


@pytest.mark.parametrize(
    ("name", "status", "code"),
    [
        ("forbidden_4000", 403, 4000),
        ("unavailable_4001", 503, 4001),
        ("busy_521", 400, 521),
        ("rate_limited", 429, 429),
    ],
)
def test_v2_error_faults_answer_with_their_status_and_code(sandbox, name, status, code):
    sandbox.set_fault(name, endpoint="update")
    answer = update(sandbox, asha_update(billId=77))
    assert answer.status == status
    assert answer.error_codes() == [code]
    assert sandbox.redemption("NZVAt9").bill_id == 235  # replaced answers never apply the update


def test_rate_limited_sends_retry_after_or_none(sandbox):
    sandbox.set_fault("rate_limited", retry_after=7)
    assert lookup(sandbox, mobile=ASHA_MOBILE).headers["Retry-After"] == "7"
    sandbox.set_fault("rate_limited", retry_after=None)
    answer = lookup(sandbox, mobile=ASHA_MOBILE)
    assert answer.status == 429
    assert "Retry-After" not in answer.headers


def test_html_500_is_an_html_page(sandbox):
    sandbox.set_fault("html_500")
    answer = lookup(sandbox, mobile=ASHA_MOBILE)
    assert answer.status == 500
    assert answer.headers["Content-Type"].startswith("text/html")
    assert answer.body.lstrip().startswith(b"<html")


def test_malformed_json_claims_json_but_does_not_parse(sandbox):
    sandbox.set_fault("malformed_json", endpoint="lookup")
    answer = lookup(sandbox, mobile=ASHA_MOBILE)
    assert answer.status == 200
    assert answer.headers["Content-Type"].startswith("application/json")
    with pytest.raises(json.JSONDecodeError):
        answer.json()


def test_xml_401_rejects_even_good_credentials(sandbox):
    sandbox.set_fault("xml_401", endpoint="update")
    answer = update(sandbox, asha_update(billId=77))
    assert answer.status == 401
    assert b"<success>false</success>" in answer.body
    assert b"<code>401</code>" in answer.body


def test_huge_body_is_a_200_of_20_megabytes_by_default(sandbox):
    sandbox.set_fault("huge_body", endpoint="lookup")
    answer = lookup(sandbox, mobile=ASHA_MOBILE)
    assert answer.status == 200
    assert len(answer.body) == 20 * 1024 * 1024
    assert int(answer.headers["Content-Length"]) == len(answer.body)


def test_drop_connection_applies_the_update_then_cuts_the_body(sandbox):
    sandbox.set_fault("drop_connection", endpoint="update")
    connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=5)
    body = json.dumps(asha_update(billId=77))
    headers = {"Authorization": DOCS_AUTHORIZATION, "Content-Type": "application/json"}
    connection.request("PUT", "/v2/points/updateRedemption", body=body, headers=headers)
    response = connection.getresponse()

    assert response.status == 200
    with pytest.raises(http.client.IncompleteRead) as cut:
        response.read()
    assert 0 < len(cut.value.partial) < int(response.headers["Content-Length"])
    assert sandbox.redemption("NZVAt9").bill_id == 77  # the server did apply it
    assert sandbox.update_count == 1
    connection.close()


def test_slow_drip_delivers_the_normal_answer_byte_by_byte(sandbox):
    sandbox.set_fault("slow_drip", endpoint="lookup", seconds_per_byte=0.0002)
    dripped = lookup(sandbox, mobile="919800000004")  # Nila: a short answer
    sandbox.clear_faults()
    normal = lookup(sandbox, mobile="919800000004")
    assert (dripped.status, dripped.body) == (normal.status, normal.body)
    assert points(dripped) == []


def test_slow_drip_stops_when_the_client_goes_away(sandbox):
    sandbox.set_fault("slow_drip", endpoint="lookup", seconds_per_byte=0.01)
    client = socket.create_connection(("127.0.0.1", sandbox.port), timeout=5)
    client.sendall(
        f"GET {NILA_LOOKUP} HTTP/1.1\r\nHost: x\r\nAuthorization: {DOCS_AUTHORIZATION}\r\n\r\n"
        .encode()
    )
    assert client.recv(1) == b"H"  # the status line has begun to drip
    wait_until(lambda: sandbox.open_connections == 1)
    client.close()
    wait_until(lambda: sandbox.open_connections == 0)


def test_a_delayed_answer_still_arrives_whole(sandbox):
    sandbox.set_fault("delay", seconds=0.05, endpoint="update")
    assert update(sandbox, asha_update(billId=77)).json()["billId"] == 77


def test_delay_combines_with_another_fault(sandbox):
    sandbox.set_fault("delay", seconds=0.01)
    sandbox.set_fault("busy_521")
    assert update(sandbox, asha_update(billId=77)).error_codes() == [521]


@pytest.mark.parametrize(
    "fault", [{"name": "delay", "seconds": 30}, {"name": "slow_drip", "seconds_per_byte": 30}]
)
def test_stopping_during_a_delay_or_drip_is_quick(fault):
    from desktop_app.sandbox import Sandbox

    sandbox = Sandbox().start()
    sandbox.set_fault(**fault)
    outcome = []
    try:
        stop_seconds = _stop_while_a_lookup_waits(sandbox, outcome)
    finally:
        sandbox.stop()

    assert stop_seconds < 1.0  # the brief's bound: stop never waits for a delay or drip
    assert isinstance(outcome[0], OSError | http.client.HTTPException)
    wait_until(lambda: sandbox.open_connections == 0)


def _stop_while_a_lookup_waits(sandbox, outcome):
    def ask():
        try:
            outcome.append(lookup(sandbox, mobile=ASHA_MOBILE, timeout=60))
        except (OSError, http.client.HTTPException) as error:
            outcome.append(error)

    asker = threading.Thread(target=ask, daemon=True)
    asker.start()
    wait_until(lambda: len(sandbox.received) == 1)
    started = time.monotonic()
    sandbox.stop()
    stop_seconds = time.monotonic() - started
    asker.join(5)
    return stop_seconds


def test_times_clears_the_fault_after_that_many_requests(sandbox):
    sandbox.set_fault("html_500", times=2)
    statuses = [lookup(sandbox, mobile=ASHA_MOBILE).status for _ in range(3)]
    assert statuses == [500, 500, 200]


def test_a_fault_for_one_endpoint_leaves_the_other_alone(sandbox):
    sandbox.set_fault("html_500", endpoint="update")
    assert lookup(sandbox, mobile=ASHA_MOBILE).status == 200
    assert update(sandbox, asha_update(billId=1)).status == 500


def test_clear_faults_restores_normal_answers(sandbox):
    sandbox.set_fault("html_500")
    sandbox.set_fault("delay", seconds=0.01)
    sandbox.clear_faults()
    assert lookup(sandbox, mobile=ASHA_MOBILE).status == 200


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ({"name": "teapot"}, ValueError),
        ({"name": "delay", "endpoint": "both"}, ValueError),
        ({"name": "delay", "times": 0}, ValueError),
        ({"name": "delay", "minutes": 1}, TypeError),
    ],
)
def test_mistyped_fault_switches_are_refused(sandbox, args, error):
    with pytest.raises(error):
        sandbox.set_fault(**args)
