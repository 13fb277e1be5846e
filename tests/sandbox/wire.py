"""Plain `http.client` calls to the sandbox, so its tests do not depend on the app's client."""

from __future__ import annotations

import http.client
import json
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

# CAPILLARY_API.md §1 worked example: store.server / server123 -> this exact header.
DOCS_AUTHORIZATION = "Basic c3RvcmUuc2VydmVyOjhhMTZhNmI3MDUwNWViMWYxZmY3Y2RjMGNkNTU1OWE3"
LOOKUP_PATH = "/v1.1/customer/redemptions"
UPDATE_PATH = "/v2/points/updateRedemption"
ASHA = {"type": "CUSTOMER", "identifierType": "mobile", "identifierValue": "919800000001"}
ASHA_MOBILE = "919800000001"
DEEP_MOBILE = "919800000002"


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def error_codes(self) -> list[int]:
        return [error["code"] for error in self.json().get("errors") or []]


def call(
    sandbox: Any,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    authorization: str | None = DOCS_AUTHORIZATION,
    timeout: float = 5.0,
) -> Answer:
    all_headers = {"Accept": "application/json", **(headers or {})}
    if authorization is not None:
        all_headers["Authorization"] = authorization
    connection = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


def lookup(sandbox: Any, authorization: str | None = DOCS_AUTHORIZATION, **query: Any) -> Answer:
    params = {"type": "POINTS", "format": "json", **query}
    return call(sandbox, "GET", f"{LOOKUP_PATH}?{urlencode(params)}", authorization=authorization)


def update(
    sandbox: Any,
    payload: Any,
    *,
    content_type: str = "application/json",
    authorization: str | None = DOCS_AUTHORIZATION,
) -> Answer:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
    return call(
        sandbox,
        "PUT",
        UPDATE_PATH,
        body=body,
        headers={"Content-Type": content_type},
        authorization=authorization,
    )


def points(answer: Answer) -> list[dict[str, Any]]:
    """The points redemptions of a successful lookup answer."""
    return answer.json()["response"]["customer"]["redemptions"]["points"]["point"]


def asha_update(**fields: Any) -> dict[str, Any]:
    """An update body for Asha's NZVAt9 unless the fields say otherwise."""
    return {"redemptionId": "NZVAt9", "entity": dict(ASHA), **fields}


def wait_until(condition: Any, timeout: float = 2.0) -> None:
    """Poll `condition()` until it is true; fail the test if it is not within `timeout`."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        pause.wait(0.005)
