"""Fault-suite fixtures: short client timeouts, and servers that fail the ways networks do.

The window builds its CapillaryClient with the default Timeouts (10 s connect, 30 s read, 60 s
overall) and offers no way to pass others, so every test here swaps in short defaults where
the client looks them up. Everything stays on 127.0.0.1: no test sends a byte off this machine.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from desktop_app.core import client as client_module
from desktop_app.core.client import Timeouts
from tests.ui.conftest import desk, open_desk  # noqa: F401 - the UI tests' window fixtures


@dataclass(frozen=True)
class ShortTimeouts(Timeouts):
    connect: float = 0.5
    read: float = 1.0
    write: float = 1.0
    pool: float = 1.0
    overall: float = 1.5


@pytest.fixture(autouse=True)
def short_timeouts(monkeypatch) -> type[Timeouts]:
    monkeypatch.setattr(client_module, "Timeouts", ShortTimeouts)
    return ShortTimeouts


@pytest.fixture
def refused_url() -> str:
    """A loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def unaccepting_url() -> Iterator[str]:
    """A loopback listener that never accepts and whose backlog is full: the kernel drops new
    connection attempts, so a client waits until its connect timeout."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    address = listener.getsockname()
    fillers = []
    try:
        for _ in range(8):
            filler = socket.socket()
            filler.settimeout(0.3)
            fillers.append(filler)
            try:
                filler.connect(address)
            except TimeoutError:
                break  # the queue is full: the next attempt will hang too
        else:
            pytest.fail("could not fill the listen backlog")
        yield f"http://127.0.0.1:{address[1]}"
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


class _Hello(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"hello": "tls"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_PUT = do_GET

    def log_message(self, *args) -> None:  # keep test output clean
        pass


@pytest.fixture
def untrusted_tls_url() -> Iterator[str]:
    """HTTPS on loopback with a certificate from a CA this machine does not trust, as a
    corporate proxy that replaces certificates looks to a client without the proxy's CA."""
    import trustme

    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    server.daemon_threads = True
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
