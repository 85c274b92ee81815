"""The pause every caller of one model endpoint shares after it says "too many requests".

A 429 (or 503) with `Retry-After` means the endpoint as a whole is saturated, not one request:
when one call is told to wait, every call of the client (every item of a batch) waits until
the same moment, and each then adds its own random jitter so they do not all return at once.
Time is a parameter (`clock`, `sleep`) so tests drive it without sleeping.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable

__all__ = ["Pause"]


class Pause:
    """Until when the endpoint asked everyone to wait; `jitter` is the most a waiter adds at
    random after it, as a fraction of its wait."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        jitter: float = 0.25,
        rng: random.Random | None = None,
    ) -> None:
        self.clock = clock
        self.sleep = sleep
        self.jitter = jitter
        self.until = 0.0
        self.pauses = 0  # how many times the endpoint asked us to wait, for progress and bench
        self.waited = 0.0
        self._rng = rng or random.Random()  # noqa: S311 - spreading retries, not a secret

    def hold(self, seconds: float) -> None:
        """The endpoint asked for `seconds` of quiet: nobody calls before then."""
        until = self.clock() + seconds
        if until > self.until:
            self.until = until
            self.pauses += 1

    def remaining(self) -> float:
        return max(0.0, self.until - self.clock())

    async def wait(self, deadline: float | None = None) -> bool:
        """Wait out the pause plus a jitter of this caller's own (up to `jitter` of the wait);
        False at once if that would end after `deadline` (on `clock`): the caller gives up
        rather than wait in vain."""
        left = self.remaining()
        if left <= 0:
            return True
        wait = left + self._rng.uniform(0, self.jitter * left)
        if deadline is not None and self.clock() + wait > deadline:
            return False
        self.waited += wait
        await self.sleep(wait)
        return True
