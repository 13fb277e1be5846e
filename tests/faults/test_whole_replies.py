"""Whole update replies of any shape — status, headers, a body of any size, nesting, encoding,
surrogates or markup — travel the real path: over loopback HTTP into the client, through the
parsers into the history, and onto the response panel and History details. Nothing escapes as
an exception, the outcome is one an agent can act on and right for the status class, and no
text from the server is rendered as markup."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from desktop_app.core.client import CapillaryClient, md5_hex
from desktop_app.core.history import Outcome
from desktop_app.core.history.completions import call_failed, update_succeeded
from desktop_app.core.model import ApiFailure, Credentials, KeyKind, MetadataChange, RedemptionKey
from desktop_app.desk.answer_view import prepare_failure, prepare_success
from desktop_app.ui.history_panel.details import DetailsPane
from desktop_app.ui.response_panel import Exchange, ResponsePanel
from tests.core.history.samples import ASHA, open_store, update_entry


class _Scripted(BaseHTTPRequestHandler):
    """Answers every request with the reply the test put in `server.next_reply`."""

    protocol_version = "HTTP/1.1"

    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        status, headers, body = self.server.next_reply  # type: ignore[attr-defined]
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        # A fresh connection per reply: the client never retries, so a kept-alive connection
        # this server closes between examples would fail a call for a reason not in the reply.
        self.send_header("Connection", "close")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def scripted_server() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Scripted)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["errors", "warnings", "code", "message", "billId", "id", "status"])
            | st.text(max_size=6),
            inner,
            max_size=5,
        )
    ),
    max_leaves=12,
)
markup = st.sampled_from(
    [
        '<h1 style="color:#080">Update applied</h1>',
        "<b>bold</b><s></s><img src=x>",
        "<message>",
        "<![CDATA[",
        "&lt;&amp;",
    ]
)
lone_surrogate_json = st.sampled_from(['"\\ud800"', '"\\udfff"', '"\\ud83d\\ude00"', '"\\\\ud800"'])
hostile = st.builds(
    lambda unit, count: unit * count,
    st.sampled_from(["[", '{"a":', "<message>", "<code>", "<", "\\", "\n", "]]>"]),
    st.integers(1, 3000),
)
bodies = st.one_of(
    json_values.map(json.dumps),
    json_values.map(lambda v: json.dumps({"errors": [{"code": 750, "message": v}]})),
    st.builds(lambda m: json.dumps({"errors": [{"code": 750, "message": m}]}), markup),
    st.builds(lambda s: '{"billNumber": ' + s + ', "warnings": [' + s + "]}", lone_surrogate_json),
    st.builds(lambda m: f"<response><code>401</code><message>{m}</message></response>", markup),
    markup,
    hostile,
    st.text(max_size=200),
)
encodings = st.sampled_from(["utf-8", "latin-1", "utf-16", "cp1252", "no-such-charset", None])
statuses = st.sampled_from([200, 201, 204, 400, 401, 403, 404, 429, 500, 502, 503, 521]) | (
    st.integers(200, 599)
)
retry_after = st.none() | st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=20)


def encoded(text: str, encoding: str | None) -> bytes:
    codec = encoding if encoding not in (None, "no-such-charset") else "utf-8"
    return text.encode(codec, errors="surrogatepass" if codec.startswith("utf") else "replace")


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(status=statuses, body=bodies, encoding=encodings, wait=retry_after)
def test_any_whole_reply_is_recorded_with_a_sound_outcome_and_shown_as_plain_text(
    scripted_server, tmp_path_factory, qtbot, status, body, encoding, wait
):
    headers = [("Content-Type", "application/json" + (f"; charset={encoding}" if encoding else ""))]
    if wait is not None:
        headers.append(("Retry-After", wait))
    scripted_server.next_reply = (
        status,
        headers,
        b"" if status == 204 else encoded(body, encoding),
    )
    base_url = f"http://127.0.0.1:{scripted_server.server_address[1]}"
    client = CapillaryClient(base_url, Credentials("store.server", md5_hex("server123")))
    panel = ResponsePanel()
    qtbot.addWidget(panel)
    exchange = Exchange("{}", "curl …")

    try:
        result = client.update_redemption(
            ASHA, RedemptionKey(KeyKind.REDEMPTION_ID, "NZVAt9"), MetadataChange(purpose="p")
        )
    except ApiFailure as failure:
        problem = failure.problem
        completion = call_failed(problem)
        panel.show_failure(exchange, problem, prepare_failure(problem))
        assert problem.message
        if (status >= 500 or 200 <= status < 300) and not problem.errors:
            assert completion.outcome is Outcome.UNKNOWN  # it may have been applied
        if 400 <= status < 500:
            assert completion.outcome is Outcome.FAILED
    else:
        assert status == 200
        completion = update_succeeded(result)
        panel.show_success(exchange, result, prepare_success(result))

    store = open_store(tmp_path_factory.mktemp("history"))
    try:
        entry_id = store.add_pending(update_entry(after={"purpose": "p"}))
        store.complete(entry_id, completion)
        entry = store.get(entry_id)
    finally:
        store.close()
    assert entry.outcome in (Outcome.SUCCEEDED, Outcome.FAILED, Outcome.UNKNOWN)
    assert entry.outcome is completion.outcome
    details = DetailsPane()
    qtbot.addWidget(details)
    details.show_entry(entry)
    read_as_markup = [
        label.text()[:80]
        for label in panel.findChildren(QLabel)
        if "<" in label.text() and label.textFormat() != Qt.TextFormat.PlainText
    ]
    assert read_as_markup == []
