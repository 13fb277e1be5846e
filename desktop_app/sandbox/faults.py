"""Fault switches: make the next request(s) to an endpoint misbehave the way networks and
servers do, so the client's handling of each failure can be tested.

``set_fault(name, endpoint="any", times=None, **params)``; ``endpoint`` is ``"update"``,
``"lookup"`` or ``"any"``; with ``times=N`` the fault clears itself after N matching requests.
Setting a fault again replaces the earlier one of that name. A ``delay`` combines with any
other fault (it runs first); of the others the first set wins.

| name | params | what the client gets | update applied? |
|---|---|---|---|
| ``delay`` | ``seconds=1.0`` | the normal answer, late (cut short when the sandbox stops) | yes |
| ``html_500`` | | HTTP 500, an HTML page | no |
| ``malformed_json`` | | HTTP 200, ``application/json`` that does not parse | no |
| ``xml_401`` | | HTTP 401, the XML body | no |
| ``forbidden_4000`` | | HTTP 403, v2 error 4000 | no |
| ``unavailable_4001`` | | HTTP 503, v2 error 4001 | no |
| ``rate_limited`` | ``retry_after=2`` (None: no header) | HTTP 429 with ``Retry-After`` | no |
| ``busy_521`` | | HTTP 400, v2 error 521 | no |
| ``huge_body`` | ``megabytes=20`` | HTTP 200, a JSON body of that size | no |
| ``drop_connection`` | | status line, headers, half the body, then the socket closes | yes |
| ``slow_drip`` | ``seconds_per_byte=0.05`` | the normal answer, one byte at a time | yes |
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from desktop_app.sandbox.replies import HTML_TYPE, JSON_TYPE, Reply, v2_error, xml_unauthorized

ENDPOINTS = ("update", "lookup", "any")
DEFAULT_PARAMS: dict[str, dict[str, Any]] = {
    "delay": {"seconds": 1.0},
    "html_500": {},
    "malformed_json": {},
    "xml_401": {},
    "forbidden_4000": {},
    "unavailable_4001": {},
    "rate_limited": {"retry_after": 2},
    "busy_521": {},
    "huge_body": {"megabytes": 20},
    "drop_connection": {},
    "slow_drip": {"seconds_per_byte": 0.05},
}
FAULT_NAMES = tuple(DEFAULT_PARAMS)
# Faults that change how the real answer travels rather than replacing it.
TRANSPORT_FAULTS = ("drop_connection", "slow_drip")


@dataclass
class Fault:
    name: str
    endpoint: str
    params: dict[str, Any] = field(default_factory=dict)
    remaining: int | None = None  # None: until cleared


class FaultBoard:
    """The switched-on faults, consulted (and counted down) by every handler thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def set(
        self, name: str, endpoint: str = "any", times: int | None = None, **params: Any
    ) -> None:
        if name not in DEFAULT_PARAMS:
            raise ValueError(f"unknown fault {name!r}; known: {', '.join(FAULT_NAMES)}")
        if endpoint not in ENDPOINTS:
            raise ValueError(f"endpoint must be one of {ENDPOINTS}, not {endpoint!r}")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1")
        unknown = set(params) - set(DEFAULT_PARAMS[name])
        if unknown:
            raise TypeError(f"fault {name!r} takes no parameter(s) {sorted(unknown)}")
        fault = Fault(name, endpoint, {**DEFAULT_PARAMS[name], **params}, times)
        with self._lock:
            self._faults = [f for f in self._faults if f.name != name] + [fault]

    def clear(self) -> None:
        with self._lock:
            self._faults = []

    def take(self, endpoint: str) -> list[Fault]:
        """The faults that apply to this request to `endpoint`, counting down `times`."""
        with self._lock:
            taken = [f for f in self._faults if f.endpoint in (endpoint, "any")]
            for fault in taken:
                if fault.remaining is not None:
                    fault.remaining -= 1
            self._faults = [f for f in self._faults if f.remaining != 0]
        return taken


def replacement_reply(fault: Fault) -> Reply | None:
    """The answer that replaces the real one (the request is not processed), or None."""
    name = fault.name
    if name == "html_500":
        page = "<html><head><title>500</title></head><body><h1>Server Error</h1></body></html>"
        return Reply(500, page.encode("utf-8"), HTML_TYPE)
    if name == "malformed_json":
        return Reply(200, b'{"response": {"status": {"success": "true", "code": 2', JSON_TYPE)
    if name == "xml_401":
        return xml_unauthorized()
    if name == "forbidden_4000":
        return v2_error(403, 4000, "Not authorized. Access is denied!")
    if name == "unavailable_4001":
        return v2_error(503, 4001, "Authorization service is unavailable, try again later")
    if name == "rate_limited":
        retry_after = fault.params["retry_after"]
        headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
        return v2_error(429, 429, "Too many requests", headers)
    if name == "busy_521":
        return v2_error(400, 521, "Another action is running for the same customer, retry shortly")
    if name == "huge_body":
        return Reply(200, _huge_json(int(fault.params["megabytes"] * 1024 * 1024)), JSON_TYPE)
    return None


def _huge_json(size: int) -> bytes:
    head, tail = b'{"padding": "', b'"}'
    return head + b"x" * max(size - len(head) - len(tail), 0) + tail


def write_dropped(wfile: BinaryIO, head: bytes, body: bytes) -> None:
    """Send the head and half the body, as if the server died mid-response."""
    wfile.write(head + body[: len(body) // 2])
    wfile.flush()


def write_drip(
    wfile: BinaryIO, data: bytes, seconds_per_byte: float, stopping: threading.Event
) -> bool:
    """Send `data` a byte at a time; False if the sandbox began stopping before the end."""
    for index in range(len(data)):
        wfile.write(data[index : index + 1])
        wfile.flush()
        if stopping.wait(seconds_per_byte):
            return False
    return True
