"""The header deadline counts from the end of the last response, on a clock the test drives."""

from __future__ import annotations

from pitchgen.server.deadlines import _Deadlines


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.timers: list[tuple[float, object]] = []

    def time(self) -> float:
        return self.now

    def call_at(self, when: float, callback):
        self.timers.append((when, callback))
        return self

    def call_later(self, delay: float, callback):
        return self.call_at(self.now + delay, callback)

    def cancel(self) -> None:
        self.timers.clear()

    def run_until(self, when: float) -> None:
        self.now = when
        while self.timers and self.timers[0][0] <= when:
            _, callback = self.timers.pop(0)
            callback()


class Transport:
    closed = False

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True


class Base:
    def connection_made(self, transport) -> None:
        self.transport = transport

    def on_response_complete(self) -> None:
        pass


class Connection(_Deadlines, Base):
    header_seconds = 10.0
    head_pending = True

    def _awaiting_head(self) -> bool:
        return self.head_pending


def connected(clock: Clock) -> Connection:
    connection = Connection()
    connection.loop = clock
    connection.connection_made(Transport())
    return connection


def test_a_connection_that_sends_no_request_is_closed_at_the_deadline() -> None:
    clock = Clock()
    connection = connected(clock)
    clock.run_until(9.9)
    assert not connection.transport.closed
    clock.run_until(10.0)
    assert connection.transport.closed


def test_each_response_gives_the_next_request_the_full_deadline() -> None:
    clock = Clock()
    connection = connected(clock)
    clock.now = 6.0
    connection.on_response_complete()  # a keep-alive request answered at 6 s
    clock.run_until(15.9)
    assert not connection.transport.closed
    clock.run_until(16.0)
    assert connection.transport.closed


def test_a_request_being_answered_at_the_deadline_is_never_cut() -> None:
    clock = Clock()
    connection = connected(clock)
    connection.head_pending = False  # its head is in; the app is working on it
    clock.run_until(30.0)
    assert not connection.transport.closed
    connection.head_pending = True
    connection.on_response_complete()
    clock.run_until(40.0)
    assert connection.transport.closed
