"""What a handler sends back: status, headers and body bytes, built by small helpers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    content_type: str = JSON_TYPE
    headers: dict[str, str] = field(default_factory=dict)


def json_reply(status: int, payload: Any, headers: dict[str, str] | None = None) -> Reply:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return Reply(status, body, JSON_TYPE, dict(headers or {}))


def v2_message(code: int, message: str) -> dict[str, Any]:
    """One entry of a v2 `errors` or `warnings` array."""
    return {"status": False, "code": code, "message": message}


def v2_error(status: int, code: int, message: str, headers: dict[str, str] | None = None) -> Reply:
    return json_reply(status, {"errors": [v2_message(code, message)], "warnings": []}, headers)


def xml_unauthorized() -> Reply:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<response><success>false</success><code>401</code>"
        "<message>Unauthorized: invalid till credentials</message></response>\n"
    )
    return Reply(401, body.encode("utf-8"), XML_TYPE, {"WWW-Authenticate": 'Basic realm="api"'})


def forbidden_4000() -> Reply:
    return v2_error(403, 4000, "Not authorized. Access is denied!")
