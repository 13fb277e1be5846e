"""HTTP handling for the sandbox: read the request, record it, apply faults, check the till's
Basic auth, route to the two endpoints and write the answer."""

from __future__ import annotations

import base64
import binascii
import contextlib
import hmac
import logging
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

from desktop_app.sandbox import faults
from desktop_app.sandbox.lookup import handle_lookup
from desktop_app.sandbox.received import HeaderDict, ReceivedRequest
from desktop_app.sandbox.replies import Reply, forbidden_4000, v2_error, xml_unauthorized
from desktop_app.sandbox.seed import TILL_DIGESTS, TILLS_WITHOUT_ACCESS
from desktop_app.sandbox.update import handle_update

if TYPE_CHECKING:
    from desktop_app.sandbox.server import Sandbox

log = logging.getLogger(__name__)

LOOKUP_PATH = "/v1.1/customer/redemptions"
UPDATE_PATH = "/v2/points/updateRedemption"
# path -> (endpoint name for faults, the one method it answers)
ROUTES: dict[str, tuple[str, str]] = {
    LOOKUP_PATH: ("lookup", "GET"),
    UPDATE_PATH: ("update", "PUT"),
}
MAX_BODY_BYTES = 1024 * 1024


class UnreadableBody(Exception):
    """The request body cannot be read; `reply` says why, and the connection is closed."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.status)
        self.reply = reply


TOO_LARGE = v2_error(413, 413, "Request body too large")


class SandboxHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as httpx expects; every answer has a length
    server_version = "CapillarySandbox/1.0"
    timeout = 10  # an idle or stalled client connection is dropped after this many seconds

    @property
    def sandbox(self) -> Sandbox:
        return self.server.sandbox  # type: ignore[attr-defined]

    def setup(self) -> None:
        super().setup()
        self.sandbox.track_connection(self.connection)

    def finish(self) -> None:
        self.sandbox.untrack_connection(self.connection)
        with contextlib.suppress(OSError):  # the peer is gone; nothing is left to flush to it
            super().finish()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: no line per request on stderr (failures go through `logging`)."""

    def do_GET(self) -> None:
        self._serve()

    do_PUT = do_POST = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    def _serve(self) -> None:
        try:
            self._serve_unguarded()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True  # the client went away or stalled: nothing to answer
        except Exception:
            log.exception("sandbox: unexpected error handling %s %s", self.command, self.path)
            self.close_connection = True
            with contextlib.suppress(OSError):  # a broken connection too: already logged
                self._send(v2_error(500, 500, "Internal sandbox error (see the log)"))

    def _serve_unguarded(self) -> None:
        url = urlsplit(self.path)
        try:
            body = self._read_body()
        except UnreadableBody as problem:
            self.close_connection = True
            self._send(problem.reply)
            return
        self.sandbox.record(
            ReceivedRequest(
                method=self.command,
                path=url.path,
                query=dict(parse_qsl(url.query, keep_blank_values=True)),
                headers=HeaderDict(self.headers.items()),
                body=body,
            )
        )
        route = ROUTES.get(url.path)
        if route is None:
            self._send(v2_error(404, 404, f"No such resource: {url.path}"))
            return
        endpoint, method = route
        if self.command != method:
            self._send(v2_error(405, 405, f"Method not allowed: use {method}", {"Allow": method}))
            return
        active = self.sandbox.faults.take(endpoint)
        delay = next((f for f in active if f.name == "delay"), None)
        if delay is not None and self.sandbox.stopping.wait(delay.params["seconds"]):
            self.close_connection = True  # stopping: leave without answering
            return
        for fault in active:
            replacement = faults.replacement_reply(fault)
            if replacement is not None:
                self._send(replacement)
                return
        reply = self._authorization_problem() or self._answer(endpoint, url.query, body)
        spoiling = next((f for f in active if f.name == "lone_surrogate"), None)
        if spoiling is not None and reply.status == 200:
            reply = faults.with_lone_surrogates(reply, tuple(spoiling.params["fields"]))
        transport = next((f for f in active if f.name in faults.TRANSPORT_FAULTS), None)
        if transport is None:
            self._send(reply)
        elif transport.name == "drop_connection":
            self.close_connection = True
            faults.write_dropped(self.wfile, self._head(reply), reply.body)
        else:
            self.close_connection = True
            data = self._head(reply) + reply.body
            faults.write_drip(
                self.wfile, data, transport.params["seconds_per_byte"], self.sandbox.stopping
            )

    def _answer(self, endpoint: str, query: str, body: bytes) -> Reply:
        if endpoint == "lookup":
            params = dict(parse_qsl(query, keep_blank_values=True))
            return handle_lookup(self.sandbox.store, params, self.sandbox.offset_unit)
        return handle_update(self.sandbox.store, self.headers.get("Content-Type", ""), body)

    def _authorization_problem(self) -> Reply | None:
        scheme, _, token = self.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return xml_unauthorized()
        try:
            decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return xml_unauthorized()
        username, colon, digest = decoded.partition(":")
        expected = TILL_DIGESTS.get(username)
        if not colon or expected is None or not hmac.compare_digest(expected, digest):
            return xml_unauthorized()
        if username in TILLS_WITHOUT_ACCESS:
            return forbidden_4000()
        return None

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise UnreadableBody(v2_error(400, 400, "Invalid Content-Length")) from None
        if length > MAX_BODY_BYTES:
            raise UnreadableBody(TOO_LARGE)
        return self.rfile.read(length) if length > 0 else b""

    def _read_chunked(self) -> bytes:
        chunks = []
        total = 0
        while True:
            try:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            except ValueError:
                raise UnreadableBody(v2_error(400, 400, "Invalid chunked body")) from None
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)
            total += size
            if total > MAX_BODY_BYTES:
                raise UnreadableBody(TOO_LARGE)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _head(self, reply: Reply) -> bytes:
        lines = [f"HTTP/1.1 {reply.status} {self.responses.get(reply.status, ('',))[0]}"]
        headers = {
            "Server": self.version_string(),
            "Date": self.date_time_string(),
            "Content-Type": reply.content_type,
            "Content-Length": str(len(reply.body)),
            **reply.headers,
        }
        if self.close_connection:
            headers["Connection"] = "close"
        lines += [f"{name}: {value}" for name, value in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _send(self, reply: Reply) -> None:
        # One write: head and body in separate packets meet Nagle and delayed ACK (40 ms stalls).
        body = reply.body if self.command != "HEAD" else b""
        self.wfile.write(self._head(reply) + body)
        self.wfile.flush()
