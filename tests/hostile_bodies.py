"""The worst body shapes we know of, and every function that reads a server's body.

Shared by tests/core/test_hostile_sizes.py (a hang fails the suite) and
benchmarks/hostile_bodies.py (the timings). Each shape is built at the size asked for, so the
same catalogue serves a quick property test and the 4 MB run at the client's cap.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from desktop_app.core import api_problems, responses
from desktop_app.core.history.store import server_text_as_stored
from desktop_app.core.model import ApiFailure

CLIENT_CAP_BYTES = 4 * 1024 * 1024


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


SHAPES: dict[str, Callable[[int], str]] = {
    "repeated open tags": lambda n: _repeat("<message>", n),
    "repeated open tags, no bracket": lambda n: _repeat("<message", n),
    "repeated bad closing tags": lambda n: _repeat("<message></message ", n),
    "open brackets only": lambda n: _repeat("<", n),
    "unclosed CDATA": lambda n: "<message><![CDATA[" + _repeat("]", n - 18),
    "deep JSON arrays": lambda n: _repeat("[", n),
    "deep JSON objects": lambda n: _repeat('{"a":', n),
    "JSON of lone surrogates": lambda n: '{"message": "' + _repeat("\\ud800", n - 16) + '"}',
    "many strings, one lone surrogate": lambda n: (
        "[" + _repeat('"a",', n - 10)[: (n - 10) // 4 * 4] + '"\\ud800"]'
    ),
    "newlines": lambda n: _repeat("\n", n),
    "whitespace then a colon": lambda n: _repeat(" ", n - 1) + ":",
    "repeated credential words": lambda n: _repeat("password", n),
    "repeated quoted credential keys": lambda n: _repeat('"password": "', n),
    "repeated Basic": lambda n: _repeat("basic ", n),
    "digits": lambda n: _repeat("7", n),
    "backslashes": lambda n: _repeat("\\", n),
}


def _reply(status: int) -> Callable[[str], object]:
    def read(text: str) -> object:
        reply = api_problems.Reply(status, text, {"Retry-After": text[:64]})
        try:
            return api_problems.update_outcome(reply)
        except ApiFailure as failure:
            return failure.problem

    return read


def _response_rows(text: str) -> object:
    from desktop_app.desk.response_rows import response_rows

    return response_rows(text)


PARSERS: dict[str, Callable[[str], object]] = {
    "load_json": responses.load_json,
    "text_message": responses.text_message,
    "xml_code": responses.xml_code,
    "update reply 200": _reply(200),
    "update reply 401": _reply(401),
    "update reply 500": _reply(500),
    "lookup_rows": lambda text: responses.lookup_rows(responses.load_json(text)),
    "history redaction": server_text_as_stored,
    "response rows": _response_rows,
}


def run_all(size: int) -> None:
    """Every parser on every shape, announcing each on stdout first so a hang names itself."""
    for shape_name, build in SHAPES.items():
        body = build(size)
        for parser_name, parse in PARSERS.items():
            print(f"{parser_name} on {shape_name}", flush=True)
            parse(body)
    print("done", flush=True)


if __name__ == "__main__":
    run_all(int(sys.argv[1]) if len(sys.argv) > 1 else CLIENT_CAP_BYTES)
