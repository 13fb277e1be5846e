"""The server around the endpoints: routing, recording, isolation, errors, threads, CLI."""

import http.client
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from desktop_app.sandbox import Sandbox
from desktop_app.sandbox import handler as sandbox_handler
from tests.sandbox.wire import (
    ASHA_MOBILE,
    DOCS_AUTHORIZATION,
    LOOKUP_PATH,
    UPDATE_PATH,
    asha_update,
    call,
    lookup,
    points,
    update,
    wait_until,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("authorization", [DOCS_AUTHORIZATION, None])
def test_other_paths_are_404_json(sandbox, authorization):
    for method in ("GET", "PUT", "POST"):
        answer = call(sandbox, method, "/v2/points/redeem", authorization=authorization, body=b"")
        assert answer.status == 404
        assert answer.error_codes() == [404]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("GET", UPDATE_PATH, "PUT"),
        ("POST", UPDATE_PATH, "PUT"),
        ("PUT", LOOKUP_PATH, "GET"),
        ("DELETE", LOOKUP_PATH, "GET"),
    ],
)
def test_other_methods_are_405(sandbox, method, path, allowed):
    answer = call(sandbox, method, path, body=b"{}")
    assert answer.status == 405
    assert answer.headers["Allow"] == allowed
    assert answer.error_codes() == [405]


def test_every_request_is_recorded_with_query_headers_and_body(sandbox):
    lookup(sandbox, mobile=ASHA_MOBILE, points_limit=3)
    update(sandbox, asha_update(billId=12))

    first, second = sandbox.received
    assert (first.method, first.path) == ("GET", LOOKUP_PATH)
    assert first.query == {
        "type": "POINTS",
        "format": "json",
        "mobile": ASHA_MOBILE,
        "points_limit": "3",
    }
    assert first.body == b""
    assert (second.method, second.path) == ("PUT", UPDATE_PATH)
    assert second.headers["authorization"] == DOCS_AUTHORIZATION
    assert second.headers["Content-Type"] == "application/json"  # lookups ignore case
    assert "CONTENT-TYPE" in second.headers
    assert second.json() == asha_update(billId=12)
    assert type(second.json()["billId"]) is int


def test_update_count_counts_every_put_even_refused_ones(sandbox):
    lookup(sandbox, mobile=ASHA_MOBILE)
    update(sandbox, asha_update(billId=1))
    update(sandbox, asha_update())  # 748
    update(sandbox, asha_update(billId=1), authorization=None)  # 401
    assert sandbox.update_count == 3


def test_each_sandbox_starts_from_fresh_seed_data():
    with Sandbox() as first:
        update(first, asha_update(billId=99))
        assert first.redemption("NZVAt9").bill_id == 99
    with Sandbox() as second:
        assert second.redemption("NZVAt9").bill_id == 235
        assert second.received == []


def test_redemption_snapshot_is_a_copy(sandbox):
    sandbox.redemption("NZVAt9").bill_id = 1
    assert sandbox.redemption("NZVAt9").bill_id == 235
    assert sandbox.redemption("nope00") is None


def test_concurrent_updates_and_lookups_are_all_answered(sandbox):
    statuses = []
    lock = threading.Lock()

    def work(n):
        results = [
            update(sandbox, asha_update(billId=1000 + n)).status,
            lookup(sandbox, mobile=ASHA_MOBILE).status,
        ]
        with lock:
            statuses.extend(results)

    workers = [threading.Thread(target=work, args=(n,)) for n in range(12)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(10)

    assert statuses == [200] * 24
    assert sandbox.update_count == 12
    assert 1000 <= sandbox.redemption("NZVAt9").bill_id < 1012


def test_an_unexpected_handler_error_is_a_500_json_and_is_logged(sandbox, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("seed data went missing")

    monkeypatch.setattr(sandbox_handler, "handle_lookup", broken)
    with caplog.at_level(logging.ERROR, logger="desktop_app.sandbox"):
        answer = lookup(sandbox, mobile=ASHA_MOBILE)

    assert answer.status == 500
    assert answer.error_codes() == [500]
    assert "seed data went missing" in caplog.text


def test_requests_are_not_logged_to_stderr(sandbox, capfd):
    lookup(sandbox, mobile=ASHA_MOBILE)
    update(sandbox, asha_update(billId=1), authorization=None)
    call(sandbox, "GET", "/nowhere")
    assert capfd.readouterr().err == ""


def test_keep_alive_connections_serve_several_requests_and_close_on_stop():
    sandbox = Sandbox().start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=5)
        headers = {"Authorization": DOCS_AUTHORIZATION}
        for _ in range(3):
            connection.request("GET", f"{LOOKUP_PATH}?mobile={ASHA_MOBILE}", headers=headers)
            response = connection.getresponse()
            assert response.status == 200
            response.read()
        assert sandbox.open_connections == 1
        server_thread = f"sandbox-{sandbox.port}"
    finally:
        sandbox.stop()
    wait_until(lambda: sandbox.open_connections == 0)
    assert server_thread not in {thread.name for thread in threading.enumerate()}
    connection.close()


def test_a_stopped_sandbox_refuses_to_start_again():
    sandbox = Sandbox()
    with sandbox:
        pass
    sandbox.stop()  # a second stop is harmless
    with pytest.raises(RuntimeError):
        sandbox.start()


def test_running_it_alone_prints_the_url_and_demo_credentials():
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop_app.sandbox", "--port", "0"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        banner = [process.stdout.readline() for _ in range(5)]
        url = banner[0].split()[-1]
        assert url.startswith("http://127.0.0.1:")
        assert "store.server" in banner[1]
        assert "server123" in banner[2]
        assert "8a16a6b70505eb1f1ff7cdc0cd5559a7" in banner[2]
        port = int(url.rsplit(":", 1)[1])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", f"{LOOKUP_PATH}?mobile={ASHA_MOBILE}")
        assert connection.getresponse().status == 401
        connection.close()
        if sys.platform == "win32":
            # Windows cannot send Ctrl+C to one child that shares the test's console: stop it.
            process.terminate()
            process.wait(timeout=10)
        else:
            process.send_signal(signal.SIGINT)  # Ctrl+C
            assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


def test_rows_survive_a_round_trip_through_both_endpoints(sandbox):
    ravi = {"type": "CUSTOMER", "identifierType": "email", "identifierValue": "ravi@example.com"}
    payload = {"externalReferenceNumber": "EXT-RAVI-2", "billNumber": "ravi-new", "entity": ravi}
    assert update(sandbox, payload).status == 200
    rows = points(lookup(sandbox, email="ravi@example.com", external_reference_number="EXT-RAVI-2"))
    assert [(r["redemption_id"], r["transaction_number"]) for r in rows] == [("RaVi02", "ravi-new")]


@pytest.mark.parametrize(
    ("extra_header", "status"),
    [("Content-Length: 2000000", 413), ("Content-Length: lots", 400)],
)
def test_an_unreadable_body_is_refused_not_crashed_on(sandbox, extra_header, status):
    with socket.create_connection(("127.0.0.1", sandbox.port), timeout=5) as client:
        client.sendall(f"PUT {UPDATE_PATH} HTTP/1.1\r\nHost: x\r\n{extra_header}\r\n\r\n".encode())
        status_line = client.makefile("rb").readline()
    assert status_line.split()[1] == str(status).encode()


def test_a_chunked_body_is_read(sandbox):
    body = json.dumps(asha_update(billId=31)).encode()
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    headers = {"Transfer-Encoding": "chunked", "Content-Type": "application/json"}
    answer = call(sandbox, "PUT", UPDATE_PATH, body=chunked, headers=headers)
    assert answer.status == 200
    assert sandbox.received[-1].body == body
