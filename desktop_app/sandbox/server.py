"""`Sandbox`: the loopback server's lifecycle and the knobs tests turn."""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
from http.server import ThreadingHTTPServer
from typing import Any

from desktop_app.sandbox.faults import FaultBoard
from desktop_app.sandbox.handler import SandboxHandler
from desktop_app.sandbox.lookup import OFFSET_UNITS
from desktop_app.sandbox.received import ReceivedRequest
from desktop_app.sandbox.seed import StoredRedemption
from desktop_app.sandbox.store import Store

POLL_SECONDS = 0.02  # how soon serve_forever notices stop(): short, as tests stop it often


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 makes a burst of parallel clients stall for 1 s
    block_on_close = False  # stop() closes the connections itself, so nothing lingers

    def __init__(self, address: tuple[str, int], sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        super().__init__(address, SandboxHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host's FQDN, which can stall without DNS.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


class Sandbox:
    """A stand-in of the two Capillary endpoints on 127.0.0.1, with fresh seed data.

    Use as a context manager (or `start()` / `stop()`); one instance serves once.
    """

    def __init__(self, port: int = 0, host: str = "127.0.0.1") -> None:
        self.store = Store()
        self.faults = FaultBoard()
        self.stopping = threading.Event()
        self._address = (host, port)
        self._offset_unit = "rows"
        self._lock = threading.Lock()
        self._received: list[ReceivedRequest] = []
        self._connections: set[socket.socket] = set()
        self._server: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle -------------------------------------------------------------------------------
    def start(self) -> Sandbox:
        if self._server is not None or self.stopping.is_set():
            raise RuntimeError("a Sandbox starts once; make a new one")
        self._server = _HTTPServer(self._address, self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": POLL_SECONDS},
            name=f"sandbox-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; delays and drips in progress end at once, connections are closed.

        Safe to call more than once."""
        if self.stopping.is_set():
            return
        self.stopping.set()
        if self._server is None:
            return
        self._server.shutdown()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by its handler
                connection.shutdown(socket.SHUT_RDWR)
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=1.0)

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the sandbox is not started")
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://{self._address[0]}:{self.port}"

    # knobs -----------------------------------------------------------------------------------
    def set_fault(
        self, name: str, *, endpoint: str = "any", times: int | None = None, **params: Any
    ) -> None:
        """Switch a fault on (see `desktop_app.sandbox.faults` for names and parameters)."""
        self.faults.set(name, endpoint, times, **params)

    def clear_faults(self) -> None:
        self.faults.clear()

    @property
    def offset_unit(self) -> str:
        """How `points_offset` is counted: "rows" (default) or "pages" (0-based page number)."""
        return self._offset_unit

    @offset_unit.setter
    def offset_unit(self, unit: str) -> None:
        if unit not in OFFSET_UNITS:
            raise ValueError(f"offset_unit must be one of {OFFSET_UNITS}, not {unit!r}")
        self._offset_unit = unit

    # what happened ---------------------------------------------------------------------------
    @property
    def received(self) -> list[ReceivedRequest]:
        """Every request so far, oldest first (a copy)."""
        with self._lock:
            return list(self._received)

    @property
    def update_count(self) -> int:
        """How many PUT requests arrived (whatever their path or outcome)."""
        with self._lock:
            return sum(1 for request in self._received if request.method == "PUT")

    @property
    def open_connections(self) -> int:
        """Client connections a handler thread is still serving."""
        with self._lock:
            return len(self._connections)

    def redemption(self, redemption_id: str) -> StoredRedemption | None:
        """A copy of the stored redemption with this exact ID (for asserting an update landed)."""
        return self.store.snapshot(redemption_id)

    # used by the handler ---------------------------------------------------------------------
    def record(self, request: ReceivedRequest) -> None:
        with self._lock:
            self._received.append(request)

    def track_connection(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.add(connection)

    def untrack_connection(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.discard(connection)
