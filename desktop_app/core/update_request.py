"""The update request exactly as CAPILLARY_API.md §2 wants it, validated before it is built.

The confirm dialog, the history and the client all use these, so what the agent approves is
byte for byte what is sent.
"""

from __future__ import annotations

import json
import shlex
from typing import Any

from desktop_app.core import validation
from desktop_app.core.model import Entity, MetadataChange, RedemptionKey

UPDATE_PATH = "/v2/points/updateRedemption"


def build_update_body(entity: Entity, key: RedemptionKey, change: MetadataChange) -> dict[str, Any]:
    """The exact PUT body of CAPILLARY_API.md §2; ValueError when anything would be refused."""
    problems = [
        validation.redemption_key_problem(key.value),
        validation.entity_type_problem(entity.type),
        validation.entity_value_problem(entity.identifier_type, entity.identifier_value),
    ]
    if change.is_empty:
        problems.append("Nothing changed: change the bill ID, bill number or purpose.")
    if change.bill_id is not None:
        if isinstance(change.bill_id, bool) or not isinstance(change.bill_id, int):
            problems.append("The bill ID must be a whole number.")
        else:
            problems.append(validation.bill_id_problem(str(change.bill_id)))
    if change.bill_number is not None:
        problems.append(validation.bill_number_problem(change.bill_number))
    if change.purpose is not None:
        problems.append(validation.purpose_problem(change.purpose))
    refused = [p for p in problems if p]
    if refused:
        raise ValueError(" ".join(refused))
    return {**key.to_json(), **change.to_json(), "entity": entity.to_json()}


def dumps_body(body: dict[str, Any]) -> str:
    """The JSON text exactly as sent (the confirm dialog shows this very string)."""
    return json.dumps(body, ensure_ascii=False, indent=2)


def curl_command(base_url: str, body: dict[str, Any], username: str) -> str:
    """A curl equivalent of the update with the Authorization value redacted."""
    url = base_url.rstrip("/") + UPDATE_PATH
    return " \\\n  ".join(
        [
            f"curl -X PUT {shlex.quote(url)}",
            "-H "
            + shlex.quote(f"Authorization: Basic <redacted: base64 of {username}:md5(password)>"),
            "-H 'Content-Type: application/json'",
            "-H 'Accept: application/json'",
            f"--data-raw {shlex.quote(json.dumps(body, ensure_ascii=False))}",
        ]
    )


def encode_body(body: dict[str, Any]) -> bytes:
    """The bytes on the wire: compact UTF-8 JSON of the same body the agent approved."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
