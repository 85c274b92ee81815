"""The guard every request passes before any route: request id, allowed Host, API key, rate
limit, body size and deadline, security headers, the last-resort 500, and once it is answered
its log line and metrics (`observe`).

It is one plain ASGI middleware rather than a stack of `BaseHTTPMiddleware`s: each of those
costs a task and a copy of the response per request, which the bench shows.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any
from urllib.parse import parse_qs

from pydantic import SecretStr

from pitchgen import telemetry
from pitchgen.api.problems import MEDIA_TYPE, problem_bytes
from pitchgen.asgi import replay
from pitchgen.peers import Network, Peers, host_name, limit_key
from pitchgen.server import observe
from pitchgen.server.limits import FAILED_KEYS, RateLimit, TokenBuckets
from pitchgen.server.observe import RequestObserver
from pitchgen.service.keys import LOCAL_REVIEWER, KeyRing
from pitchgen.settings import LOOPBACK_HOSTS

__all__ = ["FAILED_KEYS", "MAX_BODY_BYTES", "Guard", "RateLimit", "TokenBuckets"]

MAX_BODY_BYTES = 64 * 1024
# A directory file (`POST /v1/partners/import`) is sent as it is, CSV or YAML, and may be larger.
# Neither type is one a cross-site form can send without a preflight, so CSRF stays shut.
IMPORT_PATH = "/v1/partners/import"
MAX_IMPORT_BYTES = 4 * 1024 * 1024
_FILE_TYPES = (b"text/csv", b"application/yaml", b"application/x-yaml", b"text/yaml")
# Routes that take more in one body: a batch of up to 1,000 partner blocks.
LARGE_BODIES = {IMPORT_PATH: MAX_IMPORT_BYTES, "/v1/batches": 1024 * 1024}
PROTECTED_PREFIX = "/v1"
# Behind the keys: the API, and the metrics (which tell how busy the server is and with what).
PROTECTED = frozenset({PROTECTED_PREFIX, "/metrics"})

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("pitchgen.api")

_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
_CSP = (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'")
_NO_STORE = (b"cache-control", b"no-store")
_BODY_METHODS = {"POST", "PUT", "PATCH"}
# The names of the headers above: an answer that sets none of them gets every one.
_SECURED = frozenset(name for name, _ in (*_HEADERS, _CSP, _NO_STORE))


LOGIN_PATH = "/review/login"
_JSON_TYPES = (b"application/json", b"application/problem+json")


class Guard:
    def __init__(
        self,
        app: ASGIApp,
        *,
        api_keys: list[SecretStr],
        rate_limit: RateLimit,
        failed_keys: RateLimit = FAILED_KEYS,
        allowed_hosts: Iterable[str] = LOOPBACK_HOSTS,
        trusted_proxies: Iterable[Network] = (),
        body_seconds: float = 10.0,
        metrics: RequestObserver | None = None,
    ) -> None:
        self.app = app
        self._metrics = metrics
        self._keys = KeyRing(api_keys)
        self._buckets = TokenBuckets(rate_limit)
        self._failures = TokenBuckets(failed_keys)
        self._hosts = frozenset(host_name(h) for h in allowed_hosts)
        self._peers = Peers(trusted_proxies)
        self._body_seconds = body_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        headers = dict(scope["headers"])
        request_id = observe.request_id(headers.get(b"x-request-id"))
        context = telemetry.request_id.set(request_id)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        path: str = scope["path"]
        protected = path in PROTECTED or path.startswith(PROTECTED_PREFIX + "/")
        client = self._peers.resolve(scope)
        state["client"] = client
        address = limit_key(client)
        started = False
        status = 500

        async def send_secured(message: Message) -> None:
            nonlocal started, status
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                if message["status"] == 401:
                    self._failures.take(address, time.monotonic())
                _secure(message.setdefault("headers", []), request_id, protected)
            await send(message)

        def refuse(status: int, detail: str, headers: list | None = None) -> Awaitable[None]:
            return _send_problem(send_secured, scope, status, detail, headers or [])

        try:
            if host_name(headers.get(b"host", b"").decode("latin-1")) not in self._hosts:
                # DNS rebinding: a page whose own name resolves to us must not be served.
                await _refuse_host(send_secured, scope, protected, refuse)
                return
            if b"transfer-encoding" in headers and b"content-length" in headers:
                # Framed two ways (RFC 9112 6.1): a proxy in front that reads the other framing
                # would see another request (smuggling), so refuse it and end the connection.
                detail = "send Content-Length or Transfer-Encoding, not both"
                await refuse(400, detail, [(b"connection", b"close")])
                return
            if protected:
                refused = self._admit(scope, headers, address, path)
                if refused:
                    await refuse(*refused)
                    return
            if scope["method"] in _BODY_METHODS:
                limit = _limit(path)
                try:
                    body = await _read_body(scope, receive, self._body_seconds, limit)
                except TimeoutError:
                    detail = f"the request body took over {self._body_seconds:g} s to arrive"
                    await refuse(408, detail, [(b"connection", b"close")])
                    return
                if body is None:
                    await refuse(413, f"the request body is over the limit of {limit:,} bytes")
                    return
                if path == LOGIN_PATH and self._guessing(address, _form_key(body)):
                    await refuse(*self._too_many(address))
                    return
                receive = replay(body, receive)
            await self.app(scope, receive, send_secured)
        except Exception:
            # Logged with the request id the client sees, and without headers or body, which
            # may hold a key or a draft.
            log.exception("request %s: %s %s failed", request_id, scope["method"], path)
            if started:
                raise
            await refuse(500, f"an unexpected error; quote request {request_id} when reporting it")
        finally:
            try:
                observe.answered(scope, status, time.perf_counter() - began, self._metrics)
            finally:
                telemetry.request_id.reset(context)

    def _admit(
        self, scope: Scope, headers: dict[bytes, bytes], address: str, path: str
    ) -> tuple | None:
        """Why a /v1 request is refused before its route (status, detail, headers), if it is;
        else notes its principal in the scope and spends one of its tokens."""
        if scope["method"] in _BODY_METHODS:
            refused = _cross_site(headers, path)
            if refused:
                return refused
        principal = self._authenticate(scope["headers"])
        if principal is None:
            # Only requests without a valid key are slowed: a right key always gets in, however
            # many wrong ones its address (a NAT, a proxy) sent before.
            if self._failures.due(address, time.monotonic()):
                return self._too_many(address)
            challenge = [(b"www-authenticate", b'Bearer realm="pitchgen"')]
            detail = (
                "a valid API key is required: send it once, as 'Authorization: Bearer KEY'"
                " or 'X-API-Key'"
            )
            return 401, detail, challenge
        # Without keys the server is on loopback only; the limit then is per address.
        scope["state"]["principal"] = principal or LOCAL_REVIEWER
        wait = self._buckets.take(principal or address, time.monotonic())
        if wait:
            retry = [(b"retry-after", str(math.ceil(wait)).encode())]
            return 429, f"too many requests; retry in {math.ceil(wait)} s", retry
        return None

    def _too_many(self, address: str) -> tuple[int, str, list]:
        wait = self._failures.due(address, time.monotonic())
        retry = [(b"retry-after", str(max(1, math.ceil(wait))).encode())]
        return 429, "too many wrong keys from this address; try again later", retry

    def _guessing(self, address: str, offered: str | None) -> bool:
        """A sign-in without a right key, from an address that has used up its wrong ones."""
        if not self._keys or not self._failures.due(address, time.monotonic()):
            return False
        return offered is None or self._keys.matching_key(offered) is None

    def _authenticate(self, raw: list[tuple[bytes, bytes]]) -> str | None:
        """The key's audit name; "" when no keys are configured; None for a missing or wrong
        key. Every key sent (`X-API-Key`, `Authorization: Bearer`) must be the same right one:
        a wrong key beside a right one is refused, never silently ignored or preferred."""
        if not self._keys:
            return ""
        offered = set()
        for name, value in raw:
            if name == b"x-api-key":
                offered.add(value.strip())
            elif name == b"authorization" and value[:7].lower() == b"bearer ":
                offered.add(value[7:].strip())
        if len(offered) != 1:
            return None
        return self._keys.audit_name(offered.pop().decode("latin-1"))


def _secure(headers: list[tuple[bytes, bytes]], request_id: str, protected: bool) -> None:
    """Adds the security headers the app did not set itself, and the request id."""
    names = {name.lower() for name, _ in headers}
    if names.isdisjoint(_SECURED):  # the usual answer: all of them, in one step
        headers += (*_HEADERS, (b"x-request-id", request_id.encode()), _CSP)
        if protected:
            headers.append(_NO_STORE)
        return
    headers.extend(h for h in _HEADERS if h[0] not in names)
    headers.append((b"x-request-id", request_id.encode()))
    if b"content-security-policy" not in names:
        headers.append(_CSP)
    if protected and b"cache-control" not in names:
        headers.append(_NO_STORE)


def _limit(path: str) -> int:
    return LARGE_BODIES.get(path, MAX_BODY_BYTES)


def _cross_site(headers: dict[bytes, bytes], path: str = "") -> tuple[int, str] | None:
    """Why a state-changing /v1 request could have come from a page on another site, if it
    could: a browser form can post there without a key when the server runs without keys."""
    origin = headers.get(b"origin")
    # The Host was checked against the allowed names already; the Origin must be that same
    # host and port, so a page on another allowed name or port is another site too.
    authority = origin.split(b"://", 1)[-1].lower() if origin is not None else None
    if authority is not None and authority != headers.get(b"host", b"").lower():
        return 403, "requests from another site's page are refused"
    media = headers.get(b"content-type", b"").split(b";", 1)[0].strip().lower()
    allowed = (*_JSON_TYPES, *_FILE_TYPES) if path == IMPORT_PATH else _JSON_TYPES
    if media and media not in allowed:
        return 415, f"send the body as application/json, not {media.decode('latin-1')}"
    return None


async def _read_body(
    scope: Scope, receive: Receive, seconds: float, limit: int = MAX_BODY_BYTES
) -> bytes | None:
    """The whole body, or None once it passes the limit (by its Content-Length or as it streams).
    TimeoutError when it takes over `seconds` in all: a client trickling a byte at a time must
    not hold a connection and its buffer for as long as it likes."""
    for name, value in scope["headers"]:
        if name == b"content-length" and value.isdigit() and int(value) > limit:
            return None
    chunks: list[bytes] = []
    size = 0
    async with asyncio.timeout(seconds):
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
    return b"".join(chunks)


def _form_key(body: bytes) -> str | None:
    """The `key` field of the sign-in form, if the body is one."""
    keys = parse_qs(body.decode("utf-8", "replace"), max_num_fields=20).get("key")
    return keys[0] if keys else None


async def _send_problem(send: Send, scope: Scope, status: int, detail: str, headers: list) -> None:
    body = problem_bytes(
        status, detail, instance=scope["path"], request_id=scope["state"]["request_id"]
    )
    start_headers = [
        (b"content-type", MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
        *headers,
    ]
    await send({"type": "http.response.start", "status": status, "headers": start_headers})
    await send({"type": "http.response.body", "body": body})


async def _refuse_host(send: Send, scope: Scope, protected: bool, refuse: Callable) -> None:
    detail = "this server does not answer to that Host; PITCHGEN_ALLOWED_HOSTS lists its names"
    if protected:
        await refuse(400, detail)
        return
    body = detail.encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"),
               (b"content-length", str(len(body)).encode())]  # fmt: skip
    await send({"type": "http.response.start", "status": 400, "headers": headers})
    await send({"type": "http.response.body", "body": body})
