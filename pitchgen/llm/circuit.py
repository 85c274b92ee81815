"""The circuit breaker in front of the model endpoint: after enough failed calls in a row,
drafts go straight to the template instead of each waiting out its own retries."""

from __future__ import annotations

import time
from collections.abc import Callable

from pitchgen.errors import CircuitOpen

__all__ = ["Circuit"]


class Circuit:
    """Opens after `threshold` failed calls in a row; after `cool_down` one probe may pass,
    and its success closes the circuit (its failure reopens it for another cool-down)."""

    def __init__(
        self,
        threshold: int,
        cool_down: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.threshold = threshold
        self.cool_down = cool_down
        self.clock = clock
        self.failures = 0
        self.opened_at: float | None = None
        self.probing = False

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "half_open" if self.clock() - self.opened_at >= self.cool_down else "open"

    def before_call(self) -> None:
        state = self.state
        if state == "closed":
            return
        if state == "half_open" and not self.probing:
            self.probing = True
            return
        wait = max(0.0, self.cool_down - (self.clock() - (self.opened_at or 0.0)))
        raise CircuitOpen(
            f"the model endpoint failed {self.failures} times; next try in {wait:.0f} s"
        )

    def succeeded(self) -> None:
        self.failures = 0
        self.opened_at = None
        self.probing = False

    def abandoned(self) -> None:
        """A call that ended neither way (cancelled, say): let the next caller probe."""
        self.probing = False

    def failed(self) -> None:
        self.failures += 1
        if self.probing or self.failures >= self.threshold:
            self.opened_at = self.clock()
        self.probing = False
