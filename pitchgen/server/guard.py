"""The guard every request passes before any route: request id, API key, rate limit, body size,
security headers, and the last-resort 500.

It is one plain ASGI middleware rather than a stack of `BaseHTTPMiddleware`s: each of those
costs a task and a copy of the response per request, which the bench shows.
"""

from __future__ import annotations

import logging
import math
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import SecretStr

from pitchgen.api.problems import MEDIA_TYPE, problem_bytes
from pitchgen.service.keys import LOCAL_REVIEWER, fingerprint, matching_key

__all__ = ["MAX_BODY_BYTES", "Guard", "RateLimit", "TokenBuckets"]

MAX_BODY_BYTES = 64 * 1024
PROTECTED_PREFIX = "/v1"

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


@dataclass(frozen=True)
class RateLimit:
    """A token bucket per API key (per client address when no keys are configured):
    `burst` requests at once, refilled at `per_second`."""

    per_second: float = 5.0
    burst: int = 60


@dataclass
class TokenBuckets:
    limit: RateLimit
    max_clients: int = 10_000
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def due(self, client: str, now: float) -> float:
        """Seconds until `client` has a token again; 0 when it has one now (nothing spent)."""
        tokens, then = self._buckets.get(client, (self.limit.burst, now))
        tokens = min(self.limit.burst, tokens + (now - then) * self.limit.per_second)
        return 0.0 if tokens >= 1 else (1 - tokens) / self.limit.per_second

    def take(self, client: str, now: float) -> float:
        """Spend one token for `client`; 0 when allowed, else the seconds until one is due."""
        tokens, then = self._buckets.get(client, (self.limit.burst, now))
        tokens = min(self.limit.burst, tokens + (now - then) * self.limit.per_second)
        if tokens < 1:
            self._buckets[client] = (tokens, now)
            return (1 - tokens) / self.limit.per_second
        if client not in self._buckets and len(self._buckets) >= self.max_clients:
            self._forget_idle(now)
        self._buckets[client] = (tokens - 1, now)
        return 0.0

    def _forget_idle(self, now: float) -> None:
        # A bucket that has refilled is the same as no bucket: dropping it keeps memory bounded
        # when many addresses come and go, without forgiving anyone who is being limited.
        full = self.limit.burst / self.limit.per_second
        for client, (_, then) in list(self._buckets.items()):
            if now - then >= full:
                del self._buckets[client]


# Wrong keys from one address, at /v1 or the review sign-in: ten at once, then one a minute.
FAILED_KEYS = RateLimit(per_second=1 / 60, burst=10)
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
    ) -> None:
        self.app = app
        self._keys = list(api_keys)
        self._buckets = TokenBuckets(rate_limit)
        self._failures = TokenBuckets(failed_keys)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = secrets.token_hex(8)
        scope.setdefault("state", {})["request_id"] = request_id
        path: str = scope["path"]
        protected = path == PROTECTED_PREFIX or path.startswith(PROTECTED_PREFIX + "/")
        address = _client_address(scope)
        started = False

        async def send_secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if message["status"] == 401:
                    self._failures.take(address, time.monotonic())
                headers = message.setdefault("headers", [])
                names = {name.lower() for name, _ in headers}
                headers.extend(h for h in _HEADERS if h[0] not in names)
                headers.append((b"x-request-id", request_id.encode()))
                if b"content-security-policy" not in names:
                    headers.append(_CSP)
                if protected and b"cache-control" not in names:
                    headers.append(_NO_STORE)
            await send(message)

        def refuse(status: int, detail: str, headers: list | None = None) -> Awaitable[None]:
            return _send_problem(send_secured, scope, status, detail, headers or [])

        try:
            headers = dict(scope["headers"])
            guessing = self._failures.due(address, time.monotonic())
            if guessing and (protected or path == LOGIN_PATH):
                retry = [(b"retry-after", str(math.ceil(guessing)).encode())]
                await refuse(429, "too many wrong keys from this address; try again later", retry)
                return
            if protected and scope["method"] in _BODY_METHODS:
                refused = _cross_site(headers)
                if refused:
                    await refuse(*refused)
                    return
            if protected:
                principal = self._authenticate(headers)
                if principal is None:
                    challenge = [(b"www-authenticate", b'Bearer realm="pitchgen"')]
                    detail = (
                        "an API key is required: send 'Authorization: Bearer KEY' or 'X-API-Key'"
                    )
                    await refuse(401, detail, challenge)
                    return
                # Without keys the server is on loopback only; the limit then is per address.
                client = principal or address
                scope["state"]["principal"] = principal or LOCAL_REVIEWER
                wait = self._buckets.take(client, time.monotonic())
                if wait:
                    retry = [(b"retry-after", str(math.ceil(wait)).encode())]
                    await refuse(429, f"too many requests; retry in {math.ceil(wait)} s", retry)
                    return
            if scope["method"] in _BODY_METHODS:
                body = await _read_body(scope, receive)
                if body is None:
                    await refuse(
                        413, f"the request body is over the limit of {MAX_BODY_BYTES:,} bytes"
                    )
                    return
                receive = _replay(body, receive)
            await self.app(scope, receive, send_secured)
        except Exception:
            # Logged with the request id the client sees, and without headers or body, which
            # may hold a key or a draft.
            log.exception("request %s: %s %s failed", request_id, scope["method"], path)
            if started:
                raise
            await refuse(500, f"an unexpected error; quote request {request_id} when reporting it")

    def _authenticate(self, headers: dict[bytes, bytes]) -> str | None:
        """The key's audit name; "" when no keys are configured; None for a missing or wrong key."""
        if not self._keys:
            return ""
        offered = headers.get(b"x-api-key", b"")
        auth = headers.get(b"authorization", b"")
        if auth[:7].lower() == b"bearer ":
            offered = auth[7:].strip()
        key = matching_key(self._keys, offered.decode("latin-1"))
        return fingerprint(key) if key else None


def _cross_site(headers: dict[bytes, bytes]) -> tuple[int, str] | None:
    """Why a state-changing /v1 request could have come from a page on another site, if it
    could: a browser form can post there without a key when the server runs without keys."""
    origin = headers.get(b"origin")
    if origin is not None and origin.split(b"://", 1)[-1] != headers.get(b"host", b""):
        return 403, "requests from another site's page are refused"
    media = headers.get(b"content-type", b"").split(b";", 1)[0].strip().lower()
    if media and media not in _JSON_TYPES:
        return 415, f"send the body as application/json, not {media.decode('latin-1')}"
    return None


def _client_address(scope: Scope) -> str:
    client = scope.get("client")
    return client[0] if client else "unknown"


async def _read_body(scope: Scope, receive: Receive) -> bytes | None:
    """The whole body, or None once it passes the limit (by its Content-Length or as it streams)."""
    for name, value in scope["headers"]:
        if name == b"content-length" and value.isdigit() and int(value) > MAX_BODY_BYTES:
            return None
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    done = False

    async def replay() -> Message:
        nonlocal done
        if done:
            return await receive()
        done = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


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
