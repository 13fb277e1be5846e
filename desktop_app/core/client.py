"""The Capillary client: the only module that imports httpx.

`md5_hex`, `build_update_body`, `dumps_body` and `curl_command` are re-exported here so callers
have one place to import the API's vocabulary from.

Both calls block; the UI runs them on a worker thread. They return typed results or raise
ApiFailure carrying an ApiProblem. A PUT is never re-sent automatically: no retries at all are
configured, and once any byte of a PUT may have left, a failure is reported with
`may_have_applied=True` so the agent verifies instead of blindly retrying.
"""

from __future__ import annotations

import logging
import ssl
import threading
import urllib.request
from dataclasses import dataclass, replace
from http.cookiejar import Cookie, CookieJar, DefaultCookiePolicy
from typing import Any

import httpx

from desktop_app import APP_ID, __version__
from desktop_app.core import http_deadline, responses
from desktop_app.core.api_problems import RAW_KEPT_CHARS, Reply, http_problem, update_outcome
from desktop_app.core.auth import basic_token, md5_hex
from desktop_app.core.hosts import host_of, is_loopback
from desktop_app.core.lookup_paging import OffsetPager, match_redemption
from desktop_app.core.model import (
    LOOKUP_QUERY_KEYS,
    ApiFailure,
    ApiProblem,
    Credentials,
    Customer,
    Entity,
    KeyKind,
    MetadataChange,
    ProblemKind,
    Redemption,
    RedemptionKey,
    UpdateResult,
)
from desktop_app.core.update_request import (
    UPDATE_PATH,
    build_update_body,
    curl_command,
    dumps_body,
    encode_body,
)

LOOKUP_PATH = "/v1.1/customer/redemptions"
LOOKUP_PAGE_SIZE = 500  # the API's maximum points_limit
LOOKUP_MAX_REQUESTS = 60  # 30,000 redemptions: far past any real customer, still bounded
MAX_RESPONSE_BYTES = 4 * 1024 * 1024
USER_AGENT = f"{APP_ID}/{__version__} (+httpx)"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Timeouts:
    connect: float = 10.0
    read: float = 30.0
    write: float = 15.0
    pool: float = 10.0
    overall: float = 60.0  # ends a slow drip that never trips a per-phase timeout


class _RejectAllCookies(DefaultCookiePolicy):
    def set_ok(self, cookie: Cookie, request: urllib.request.Request) -> bool:
        return False

    def return_ok(self, cookie: Cookie, request: urllib.request.Request) -> bool:
        return False


_shared_lock = threading.Lock()
# One pool per (timeouts, direct): `direct` is for this computer, which never goes through a
# proxy (HTTP_PROXY would otherwise see the till's Basic token on an http://127.0.0.1 profile).
_shared: dict[tuple[Timeouts, bool], httpx.Client] = {}


def tls_context() -> ssl.SSLContext:
    """The OS certificate store, so a corporate proxy's CA that IT installed is trusted."""
    import truststore

    return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def shared_http_client(timeouts: Timeouts, *, direct: bool = False) -> httpx.Client:
    """`direct`: ignore proxy settings from the environment (for loopback addresses)."""
    with _shared_lock:
        client = _shared.get((timeouts, direct))
        if client is None:
            client = httpx.Client(
                timeout=httpx.Timeout(
                    connect=timeouts.connect,
                    read=timeouts.read,
                    write=timeouts.write,
                    pool=timeouts.pool,
                ),
                verify=tls_context(),
                trust_env=not direct,
                follow_redirects=False,
                cookies=httpx.Cookies(CookieJar(policy=_RejectAllCookies())),
                headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            )
            _install_overall_deadline(client)
            _shared[(timeouts, direct)] = client
        return client


def _install_overall_deadline(client: httpx.Client) -> None:
    transports = [client._transport, *client._mounts.values()]  # private: see http_deadline
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        if transport is not None and not http_deadline.install(pool):
            log.warning("httpx/httpcore changed: no overall deadline on %r", transport)


class CapillaryClient:
    def __init__(
        self,
        base_url: str,
        credentials: Credentials,
        *,
        timeouts: Timeouts | None = None,
        source: str = "",
    ):
        """`source` names where the URL came from ("the profile “Europe”") in refusals."""
        self.base_url = base_url.rstrip("/")
        self.source = source
        self.host = host_of(self.base_url)
        self.credentials = credentials
        self.timeouts = timeouts or Timeouts()

    # -- the two calls ------------------------------------------------------------------------

    def find_redemption(self, entity: Entity, key: RedemptionKey) -> Redemption:
        """Pages through the customer's points redemptions until `key` matches."""
        query_key = LOOKUP_QUERY_KEYS.get(entity.identifier_type)
        if entity.type != "CUSTOMER" or query_key is None:
            raise ApiFailure(
                ApiProblem(
                    ProblemKind.VALIDATION,
                    "Capillary has no lookup by this kind of identifier; "
                    "edit with the current values unknown.",
                )
            )
        base_query = {
            query_key: entity.identifier_value,
            "type": "POINTS",
            "format": "json",
            "points_limit": str(LOOKUP_PAGE_SIZE),
            "mlp": "true",
            "sort": "redeemed_time",
            "order": "desc",
        }
        if key.kind is KeyKind.EXTERNAL_REFERENCE:
            base_query["external_reference_number"] = key.value

        pager = OffsetPager(LOOKUP_PAGE_SIZE)
        seen: set[str] = set()
        for _ in range(LOOKUP_MAX_REQUESTS):
            rows, customer = self._lookup_page({**base_query, "points_offset": str(pager.offset)})
            found = match_redemption(rows, key)
            if found is not None:
                return replace(found, customer=customer)
            ids = [responses.as_str(row.get("redemption_id")) for row in rows]
            if len(rows) < LOOKUP_PAGE_SIZE:
                break
            new_ids = [i for i in ids if i not in seen]
            if pager.probed and not new_ids:
                break  # the server ignores the offset: every page is the same
            seen.update(ids)
            if not pager.advance(ids):
                break
        else:
            raise ApiFailure(
                ApiProblem(
                    ProblemKind.NOT_FOUND,
                    f"Stopped after {LOOKUP_MAX_REQUESTS} pages without finding "
                    f"{key.describe()}; search by external reference to narrow it down.",
                )
            )
        raise ApiFailure(
            ApiProblem(
                ProblemKind.NOT_FOUND,
                f"This customer has no points redemption with {key.describe()} "
                "(identifiers are case-sensitive).",
            )
        )

    def update_redemption(
        self, entity: Entity, key: RedemptionKey, change: MetadataChange
    ) -> UpdateResult:
        try:
            body = build_update_body(entity, key, change)
        except ValueError as refused:
            raise ApiFailure(ApiProblem(ProblemKind.VALIDATION, str(refused))) from None
        reply = self._send("PUT", UPDATE_PATH, content=encode_body(body), is_write=True)
        return update_outcome(reply)

    # -- transport ----------------------------------------------------------------------------

    def _lookup_page(self, query: dict[str, str]) -> tuple[list[dict[str, Any]], Customer | None]:
        """One page of the customer's redemption rows, and the customer the page is about."""
        reply = self._send("GET", LOOKUP_PATH, params=query, is_write=False)
        if reply.status != 200:
            raise ApiFailure(http_problem(reply, is_write=False))
        data = responses.load_json(reply.text)
        success, code, message = responses.lookup_status(data)
        if success is False:
            kind = (
                ProblemKind.NOT_FOUND
                if code in (1012, 8015) or "not found" in message.lower()
                else ProblemKind.VALIDATION
            )
            raise ApiFailure(
                ApiProblem(kind, message or "The lookup failed.", code, reply.status, reply.text)
            )
        rows = responses.lookup_rows(data)
        if rows is None:
            raise ApiFailure(
                ApiProblem(
                    ProblemKind.UNKNOWN,
                    "Capillary's answer to the lookup was not in the expected shape.",
                    http_status=reply.status,
                    raw=reply.text[:RAW_KEPT_CHARS],
                )
            )
        return rows, responses.lookup_customer(data)

    def _send(
        self,
        method: str,
        path: str,
        *,
        is_write: bool,
        params: dict[str, str] | None = None,
        content: bytes | None = None,
    ) -> Reply:
        headers = {"Authorization": basic_token(self.credentials), "Accept": "application/json"}
        if content is not None:
            headers["Content-Type"] = "application/json"
        http = shared_http_client(self.timeouts, direct=is_loopback(self._host_name()))
        try:
            request = http.build_request(
                method, self.base_url + path, params=params, content=content, headers=headers
            )
        except httpx.HTTPError as error:
            raise ApiFailure(_transport_problem(error, is_write=False)) from None
        refusal = self._plain_http_refusal(request.url)
        if refusal:
            raise ApiFailure(ApiProblem(ProblemKind.VALIDATION, refusal))
        try:
            with http_deadline.deadline(self.timeouts.overall):
                response = http.send(request, stream=True)
                try:
                    body = _read_bounded(response)
                finally:
                    response.close()
        except _BodyProblem as problem:
            raise ApiFailure(problem.to_problem(is_write)) from None
        except httpx.HTTPError as error:
            raise ApiFailure(_transport_problem(error, is_write)) from None
        text = body.decode(response.encoding or "utf-8", errors="replace")
        return Reply(response.status_code, text, response.headers)

    def _host_name(self) -> str:
        try:
            return httpx.URL(self.base_url).host
        except (httpx.InvalidURL, ValueError):
            return ""  # build_request reports it

    def _plain_http_refusal(self, url: httpx.URL) -> str | None:
        """HTTPS is required except to this computer: checked on every request's own URL, so
        no caller (command line, hand-edited profile, a test) can send credentials in clear."""
        if url.scheme == "https" or (url.scheme == "http" and is_loopback(url.host)):
            return None
        where = self.source or f"The address {self.base_url}"
        return (
            f"{where[:1].upper()}{where[1:]} uses {url.scheme}:// to {url.host}: the till "
            "password would travel unencrypted, so nothing was sent. Use https:// (plain http "
            "is only allowed to this computer: localhost, 127.x, ::1)."
        )


class _BodyProblem(Exception):
    def __init__(self, kind: ProblemKind, message: str, status: int):
        super().__init__(message)
        self.kind, self.message, self.status = kind, message, status

    def to_problem(self, is_write: bool) -> ApiProblem:
        message = _with_outcome_advice(self.message) if is_write else self.message
        return ApiProblem(self.kind, message, http_status=self.status, may_have_applied=is_write)


def _with_outcome_advice(message: str) -> str:
    return (
        f"{message} The update may still have been applied: look the redemption up before "
        "sending again."
    )


def _read_bounded(response: httpx.Response) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise _BodyProblem(
                ProblemKind.SERVER,
                f"Capillary's answer was larger than {MAX_RESPONSE_BYTES // (1024 * 1024)} MB, "
                "so the desk stopped reading it.",
                response.status_code,
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _cause_chain(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _transport_problem(error: httpx.HTTPError, is_write: bool) -> ApiProblem:
    """Network, TLS and timeout failures in words, with whether a PUT may have been applied."""
    chain = _cause_chain(error)
    text = " ".join(str(e) for e in chain).lower()

    def problem(kind: ProblemKind, message: str, *, may_have_left: bool) -> ApiProblem:
        applied = is_write and may_have_left
        return ApiProblem(
            kind, _with_outcome_advice(message) if applied else message, may_have_applied=applied
        )

    if isinstance(error, httpx.ConnectTimeout):
        return problem(
            ProblemKind.TIMEOUT,
            "The server did not accept the connection in time. Nothing was sent.",
            may_have_left=False,
        )
    if isinstance(error, httpx.PoolTimeout):
        return problem(
            ProblemKind.TIMEOUT, "Too many requests at once; nothing was sent.", may_have_left=False
        )
    if isinstance(error, httpx.WriteTimeout):
        return problem(
            ProblemKind.TIMEOUT, "Sending the request took too long.", may_have_left=True
        )
    if isinstance(error, httpx.ReadTimeout):
        message = (
            "Capillary's answer was still trickling in when the overall time limit ran out."
            if http_deadline.OVERALL_LIMIT_MESSAGE in text
            else "Capillary did not answer in time."
        )
        return problem(ProblemKind.TIMEOUT, message, may_have_left=True)
    if (
        any(isinstance(e, ssl.SSLCertVerificationError) for e in chain)
        or "certificate verify" in text
    ):
        return problem(
            ProblemKind.TLS,
            "The server's certificate could not be verified, so nothing was sent. On a "
            "corporate network a proxy may be replacing certificates: ask IT to install its "
            "certificate in the operating system's certificate store.",
            may_have_left=False,
        )
    if any(isinstance(e, ssl.SSLError) for e in chain):
        return problem(
            ProblemKind.TLS,
            f"The secure connection failed before anything was sent ({chain[-1]}).",
            may_have_left=False,
        )
    if isinstance(error, httpx.ConnectError):
        return problem(ProblemKind.NETWORK, _connect_message(text, chain[-1]), may_have_left=False)
    if isinstance(error, httpx.RemoteProtocolError | httpx.ReadError):
        return problem(
            ProblemKind.NETWORK,
            "The connection broke before Capillary's answer arrived in full.",
            may_have_left=True,
        )
    if isinstance(error, httpx.WriteError):
        return problem(
            ProblemKind.NETWORK,
            "The connection broke while the request was being sent.",
            may_have_left=True,
        )
    if isinstance(error, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return problem(
            ProblemKind.NETWORK, f"The server address is not usable: {error}.", may_have_left=False
        )
    return problem(ProblemKind.NETWORK, f"The request failed: {error}.", may_have_left=True)


_DNS_FAILURE_HINTS = (
    "name or service not known",
    "getaddrinfo",
    "nodename",
    "name resolution",
    "no address associated",
    "temporary failure in name",
)


def _connect_message(text: str, root_cause: BaseException) -> str:
    if any(hint in text for hint in _DNS_FAILURE_HINTS):
        return (
            "The server's name could not be found (DNS): check the cluster in the profile and "
            "the network. Nothing was sent."
        )
    if "refused" in text:
        return (
            "The server refused the connection: nothing is listening at this address. "
            "Nothing was sent."
        )
    return f"Could not connect to the server ({root_cause}). Nothing was sent."


__all__ = [
    "CapillaryClient",
    "Timeouts",
    "basic_token",
    "build_update_body",
    "curl_command",
    "dumps_body",
    "md5_hex",
]
