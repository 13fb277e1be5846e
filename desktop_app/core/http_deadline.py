"""An overall deadline for one HTTP exchange, enforced at every socket read and write.

httpx only has per-phase timeouts: a server that drips its status line or headers a byte at a
time, just under the read timeout, would hold a request forever. The client sets a deadline for
the calling thread (sync httpx does all its I/O in the caller's thread); each read and write of a
connection then waits at most until that deadline, and raises a timeout once it has passed.
This belongs to the client's transport: only `client.py` uses it.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpcore

_current = threading.local()


@contextlib.contextmanager
def deadline(seconds_from_now: float) -> Iterator[None]:
    _current.at = time.monotonic() + seconds_from_now
    try:
        yield
    finally:
        _current.at = None


OVERALL_LIMIT_MESSAGE = "the overall time limit for this request ran out"
# A socket timeout of `remaining` seconds may fire a hair before the monotonic deadline.
_CLOCK_SLACK_SECONDS = 0.05


def _bounded(timeout: float | None, expired: type[Exception]) -> float | None:
    at: float | None = getattr(_current, "at", None)
    if at is None:
        return timeout
    remaining = at - time.monotonic()
    if remaining <= 0:
        raise expired(OVERALL_LIMIT_MESSAGE)
    return remaining if timeout is None else min(timeout, remaining)


def _raise_if_expired(expired: type[Exception]) -> None:
    """A wait cut short by the deadline says so, rather than the socket's bare "timed out"."""
    at = getattr(_current, "at", None)
    if at is not None and time.monotonic() >= at - _CLOCK_SLACK_SECONDS:
        raise expired(OVERALL_LIMIT_MESSAGE) from None


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))
        except httpcore.ReadTimeout:
            _raise_if_expired(httpcore.ReadTimeout)
            raise

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        try:
            self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))
        except httpcore.WriteTimeout:
            _raise_if_expired(httpcore.WriteTimeout)
            raise

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(*args, **kwargs))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """Wraps the default backend so every connection honours the calling thread's deadline."""

    def __init__(self, inner: httpcore.NetworkBackend):
        self._inner = inner

    def connect_tcp(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.connect_tcp(*args, **kwargs))

    def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.connect_unix_socket(*args, **kwargs))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def install(pool: Any) -> bool:
    """Puts the deadline backend under an httpcore pool; False if httpcore's layout changed."""
    backend = getattr(pool, "_network_backend", None)
    if not isinstance(backend, httpcore.NetworkBackend):
        return False
    if not isinstance(backend, DeadlineBackend):
        pool._network_backend = DeadlineBackend(backend)
    return True
