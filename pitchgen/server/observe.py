"""What the guard notes of each request once it is answered: one log line (`pitchgen.http`)
and, when the server counts, its metrics; and the request id every line and audit event of
the request carries.

A client's own `X-Request-ID` is kept when it is sane (1-64 letters, digits and `-_.:`), so a
caller can follow its request through; anything else is replaced with a fresh id, which keeps
a client from writing arbitrary text into the logs and the audit log.
"""

from __future__ import annotations

import logging
import random
import re
from collections.abc import MutableMapping
from typing import Any, Protocol

from pitchgen.server import logs

__all__ = ["RequestObserver", "request_fields", "request_id", "route_of"]

log = logging.getLogger("pitchgen.http")

_SANE_ID = re.compile(rb"[A-Za-z0-9._:-]{1,64}")


class RequestObserver(Protocol):
    def request(self, route: str, method: str, status: int, seconds: float) -> None: ...


def request_id(offered: bytes | None) -> str:
    """The client's id when it is sane, else a new one (it names a request, it guards
    nothing: no need for the system's random source, a call per request)."""
    if offered is not None and _SANE_ID.fullmatch(offered):
        return offered.decode("ascii")
    return f"{random.getrandbits(64):016x}"


def route_of(scope: MutableMapping[str, Any]) -> str:
    """The route template that answered (`/v1/drafts/{draft_id}`), never the raw path; "none"
    when the guard answered first or nothing matched."""
    route = scope.get("route")
    return getattr(route, "path", None) or "none"


def answered(
    scope: MutableMapping[str, Any],
    status: int,
    seconds: float,
    metrics: RequestObserver | None,
) -> None:
    route = route_of(scope)
    method = scope["method"]
    if metrics is not None:
        metrics.request(route, method, status, seconds)
    if log.isEnabledFor(logging.INFO):
        state = scope.get("state", {})
        request = (method, route, status, round(seconds * 1000, 2), state.get("principal"),
                   state.get("client"), state.get("request_id"))  # fmt: skip
        if (handler := logs.direct(log, logging.INFO)) is not None:
            handler.request(log.name, *request)
        else:
            log.info("%s %s %d", method, route, status, extra=request_fields(*request))


def request_fields(
    method: str, route: str, status: int, duration_ms: float, principal: str | None,
    client: str | None, request_id: str | None,
) -> dict[str, Any]:  # fmt: skip
    """The fields of a request's line, in their order (`logs` writes the same by its short way)."""
    return {
        "event": "request", "method": method, "route": route, "status": status,
        "duration_ms": duration_ms, "principal": principal, "client": client,
        "request_id": request_id,
    }  # fmt: skip
