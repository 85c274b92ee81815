"""What a running process tells about its work, without knowing who listens.

`request_id`: the id of the request in hand (a context variable, so it follows the request
into its tasks and threads): the guard sets it, the store writes it on audit events, the model
client sends it with the call and the model-call log line carries it.

`observer()`: who hears of model calls, drafts, sends and the circuit's state. By default
nobody (each event costs a call that does nothing); the server installs its metrics.
May import: nothing of pitchgen: every part may tell it things.
"""

from __future__ import annotations

from contextvars import ContextVar

__all__ = ["Observer", "install", "observer", "request_id"]

request_id: ContextVar[str | None] = ContextVar("pitchgen_request_id", default=None)


class Observer:
    """The events, each a no-op here; an observer overrides what it counts."""

    def model_call(
        self,
        *,
        channel: str,
        outcome: str,
        reason: str | None,
        model: str | None,
        seconds: float,
        prompt_tokens: int,
        completion_tokens: int,
        retries: int,
        reask: bool,
        cost: float | None,
    ) -> None:
        """One model attempt: accepted, rejected (judged and failed) or failed (no answer)."""

    def drafted(self, *, channel: str, source: str, fallback_reason: str | None) -> None:
        """A draft came out of drafting."""

    def sent(self, *, channel: str, outcome: str) -> None:
        """A send (or a call or meeting marked done): sent, done, failed or refused."""

    def circuit(self, state: str) -> None:
        """The model circuit's state after a call: closed, half_open or open."""


_observer: list[Observer] = [Observer()]


def observer() -> Observer:
    return _observer[0]


def install(new: Observer) -> Observer:
    """Make `new` the process's observer; returns the one it replaces."""
    old, _observer[0] = _observer[0], new
    return old
