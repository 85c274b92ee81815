"""A deadline for request headers, which uvicorn lacks: a client that opens a connection and
trickles its request line and headers a byte at a time would otherwise hold it for as long as
it likes (slowloris), and a thousand of them would fill `limit_concurrency`.

`pitchgen serve` runs uvicorn's h11 protocol with this one small addition; bodies have their
own deadline in the app (`security.Guard`).
"""

from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["HEADER_SECONDS", "HeaderDeadline", "with_header_deadline"]

HEADER_SECONDS = 10.0


class HeaderDeadline(H11Protocol):
    """Closes a connection whose next request has not fully arrived `header_seconds` after the
    connection opened or its last response ended. A request being handled is never cut: its
    head is in, so h11 no longer waits for one."""

    header_seconds = HEADER_SECONDS
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        if not self.transport.is_closing():
            self._header_timer = self.loop.call_later(self.header_seconds, self._headers_due)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_due(self) -> None:
        self._header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def with_header_deadline(seconds: float) -> type[HeaderDeadline]:
    """The protocol with another deadline (tests use a short one)."""
    return type("HeaderDeadline", (HeaderDeadline,), {"header_seconds": seconds})
