"""Deadlines uvicorn lacks: for request headers, and for a client to read its response. A client
that trickles its request line and headers a byte at a time (slowloris), or that asks for a
large response and stops reading it, would otherwise hold its connection (and that response's
buffer) for as long as it likes, and a thousand of them would fill `limit_concurrency`.

`pitchgen serve` runs uvicorn's httptools protocol (the fast parser of `uvicorn[standard]`)
with this one small addition, or its h11 protocol where httptools is not installed; bodies have
their own deadline in the app (`guard.Guard`). The classes are module-level so that
`--workers` can hand them to its worker processes by name.
"""

from __future__ import annotations

import asyncio
import importlib.util

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = [
    "HEADER_SECONDS",
    "MAX_HEAD_BYTES",
    "WRITE_SECONDS",
    "H11Deadlines",
    "HttpToolsDeadlines",
    "default_protocol",
    "with_header_deadline",
]

HEADER_SECONDS = 10.0
# How long a response may sit with the client's buffers full and nothing read.
WRITE_SECONDS = 30.0
# The most a request line and headers may hold (h11's limit, as `pitchgen serve` sets it).
MAX_HEAD_BYTES = 16 * 1024


class _Deadlines:
    """Closes a connection whose next request has not fully arrived `header_seconds` after the
    connection opened or its last response ended. A request being handled is never cut: its
    head is in. A response the client stops reading is aborted after `write_seconds`."""

    header_seconds = HEADER_SECONDS
    write_seconds = WRITE_SECONDS
    _header_timer: asyncio.TimerHandle | None = None
    _write_timer: asyncio.TimerHandle | None = None
    _head_due = 0.0
    transport: asyncio.Transport
    loop: asyncio.AbstractEventLoop

    def _awaiting_head(self) -> bool:
        raise NotImplementedError

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)  # type: ignore[misc]
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()  # type: ignore[misc]
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        self._reading_resumed()
        super().connection_lost(exc)  # type: ignore[misc]

    def pause_writing(self) -> None:
        super().pause_writing()  # type: ignore[misc]
        if self._write_timer is None:
            self._write_timer = self.loop.call_later(self.write_seconds, self._not_reading)

    def resume_writing(self) -> None:
        super().resume_writing()  # type: ignore[misc]
        self._reading_resumed()

    def _reading_resumed(self) -> None:
        if self._write_timer is not None:
            self._write_timer.cancel()
            self._write_timer = None

    def _not_reading(self) -> None:
        # abort, not close: close would wait for the buffer to drain, which it never will.
        self._write_timer = None
        self.transport.abort()

    def _arm(self) -> None:
        # One timer per connection, moved lazily: a response only notes when its deadline is
        # (a timer cancelled and made afresh on each of thousands of keep-alive requests a
        # second cost more than the check), and the timer, when it fires early, waits again.
        self._head_due = self.loop.time() + self.header_seconds
        if self._header_timer is None and not self.transport.is_closing():
            self._header_timer = self.loop.call_at(self._head_due, self._headers_due)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_due(self) -> None:
        self._header_timer = None
        if self.transport.is_closing():
            return
        if self.loop.time() < self._head_due:
            self._header_timer = self.loop.call_at(self._head_due, self._headers_due)
        elif self._awaiting_head():
            self.transport.close()


class H11Deadlines(_Deadlines, H11Protocol):
    def _awaiting_head(self) -> bool:
        return self.conn.their_state is h11.IDLE


if importlib.util.find_spec("httptools") is not None:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class HttpToolsDeadlines(_Deadlines, HttpToolsProtocol):
        """With the limit h11 has (`h11_max_incomplete_event_size`) and httptools lacks: a
        request head still unfinished past `max_head_bytes` gets 400 and the connection
        closes, rather than buffering for as long as the header deadline allows."""

        max_head_bytes = MAX_HEAD_BYTES
        # Bytes received since the last request head was complete or response ended.
        _pending = 0

        def _awaiting_head(self) -> bool:
            # A cycle starts when a request's head is complete (a pipelined one's too).
            return self.cycle is None or self.cycle.response_complete

        def data_received(self, data: bytes) -> None:
            self._pending += len(data)
            super().data_received(data)
            if (
                self._pending > self.max_head_bytes
                and self._awaiting_head()
                and not self.transport.is_closing()
            ):
                self.send_400_response("Request line and headers too large.")

        def on_headers_complete(self) -> None:
            self._pending = 0
            super().on_headers_complete()

        def on_response_complete(self) -> None:
            self._pending = 0
            super().on_response_complete()


else:  # pragma: no cover - the serve extra installs httptools
    HttpToolsDeadlines = None  # type: ignore[assignment,misc]


def default_protocol() -> type[_Deadlines]:
    """httptools when installed, else h11."""
    return HttpToolsDeadlines or H11Deadlines


def with_header_deadline(
    seconds: float, write_seconds: float = WRITE_SECONDS, base: type[_Deadlines] | None = None
) -> type[_Deadlines]:
    """The protocol with other deadlines (tests use short ones)."""
    deadlines = {"header_seconds": seconds, "write_seconds": write_seconds}
    return type("Deadlines", (base or default_protocol(),), deadlines)
