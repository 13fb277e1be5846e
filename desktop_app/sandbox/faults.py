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
| ``hostile_body`` | ``shape``, ``status=200``, ``size=100_000`` | a body of a hostile shape | no |
| ``lone_surrogate`` | ``fields=(bill numbers)`` | the answer, those strings + ``\\ud800`` | yes |
| ``odd_success`` | ``status=200, body="[]"`` | that 2xx status and body (``""``: none) | no |

Hostile shapes (``HOSTILE_SHAPES``), each about ``size`` characters: ``deep_nesting`` (``[``
repeated), ``repeated_open_tags`` (``<message>`` repeated), ``unclosed_cdata``,
``markup_message`` (a v2 error 750 whose message is HTML that looks like success) and
``many_warnings`` (HTTP 200, the real answer's shape with ``size`` warnings).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from desktop_app.sandbox.replies import (
    HTML_TYPE,
    JSON_TYPE,
    XML_TYPE,
    Reply,
    json_reply,
    v2_error,
    xml_unauthorized,
)

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
    "hostile_body": {"shape": "deep_nesting", "status": 200, "size": 100_000},
    "lone_surrogate": {"fields": ("transaction_number", "billNumber")},
    "odd_success": {"status": 200, "body": "[]"},
}
FAULT_NAMES = tuple(DEFAULT_PARAMS)
# Faults that change how the real answer travels rather than replacing it.
TRANSPORT_FAULTS = ("drop_connection", "slow_drip")
MARKUP_MESSAGE = '<h1 style="color:#080">Update applied</h1>'
HOSTILE_SHAPES = (
    "deep_nesting",
    "repeated_open_tags",
    "unclosed_cdata",
    "markup_message",
    "many_warnings",
)


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
        if name == "hostile_body" and params.get("shape", "deep_nesting") not in HOSTILE_SHAPES:
            raise ValueError(f"unknown shape {params['shape']!r}; known: {HOSTILE_SHAPES}")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1")
        unknown = set(params) - set(DEFAULT_PARAMS[name])
        if unknown:
            raise TypeError(f"fault {name!r} takes no parameter(s) {sorted(unknown)}")
        fault = Fault(name, endpoint, {**DEFAULT_PARAMS[name], **params}, times)
        if name == "odd_success" and not 200 <= int(fault.params["status"]) < 300:
            raise ValueError(f"odd_success answers a 2xx status, not {fault.params['status']}")
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
    if name == "odd_success":
        return Reply(int(fault.params["status"]), str(fault.params["body"]).encode("utf-8"))
    if name == "huge_body":
        return Reply(200, _huge_json(int(fault.params["megabytes"] * 1024 * 1024)), JSON_TYPE)
    if name == "hostile_body":
        return _hostile(
            fault.params["shape"], int(fault.params["status"]), int(fault.params["size"])
        )
    return None


def _hostile(shape: str, status: int, size: int) -> Reply:
    if shape == "deep_nesting":
        return Reply(status, b"[" * size, JSON_TYPE)
    if shape == "repeated_open_tags":
        return Reply(status, b"<message>" * (size // 9), XML_TYPE)
    if shape == "unclosed_cdata":
        return Reply(status, b"<message><![CDATA[" + b"]" * size, XML_TYPE)
    if shape == "markup_message":
        return v2_error(status if status >= 400 else 400, 750, MARKUP_MESSAGE)
    warnings = [{"code": 9000 + n % 1000, "message": "w"} for n in range(size)]
    return json_reply(status, {"redemptionId": "NZVAt9", "warnings": warnings})


def with_lone_surrogates(reply: Reply, fields: tuple[str, ...]) -> Reply:
    """The real answer with each string under one of `fields` ending in a JSON-escaped lone
    surrogate (``\\ud800``), which a strict reader cannot turn into UTF-8."""

    def spoil(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                key: item + "\ud800" if key in fields and isinstance(item, str) else spoil(item)
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [spoil(item) for item in value]
        return value

    spoiled = spoil(json.loads(reply.body))
    body = json.dumps(spoiled, ensure_ascii=True).encode("ascii")
    return Reply(reply.status, body, reply.content_type, reply.headers)


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
