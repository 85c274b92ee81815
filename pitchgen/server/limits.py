"""Token buckets: the per-key request rate, and the failed-key limit per address.

The table is a fixed-size LRU: touching a bucket moves it to the end, and a new client past the
cap evicts the least recently seen one, so memory is bounded and each request costs O(1)
however many addresses have come and gone. Evicting a bucket forgives its client, which is why
the cap is large: to wipe out one limited bucket an attacker has to bring `max_clients` other
addresses (IPv6 ones count per /64, see `peers.limit_key`) in between.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

__all__ = ["FAILED_KEYS", "RateLimit", "TokenBuckets"]


@dataclass(frozen=True)
class RateLimit:
    """A token bucket per API key (per client address when no keys are configured):
    `burst` requests at once, refilled at `per_second`."""

    per_second: float = 5.0
    burst: int = 60


# Wrong keys from one address, at /v1 or the review sign-in: ten at once, then one a minute.
FAILED_KEYS = RateLimit(per_second=1 / 60, burst=10)


@dataclass
class TokenBuckets:
    limit: RateLimit
    max_clients: int = 10_000
    _buckets: OrderedDict[str, tuple[float, float]] = field(default_factory=OrderedDict)

    def __len__(self) -> int:
        return len(self._buckets)

    def _tokens(self, client: str, now: float) -> float:
        tokens, then = self._buckets.get(client, (self.limit.burst, now))
        return min(self.limit.burst, tokens + (now - then) * self.limit.per_second)

    def due(self, client: str, now: float) -> float:
        """Seconds until `client` has a token again; 0 when it has one now (nothing spent)."""
        tokens = self._tokens(client, now)
        return 0.0 if tokens >= 1 else (1 - tokens) / self.limit.per_second

    def take(self, client: str, now: float) -> float:
        """Spend one token for `client`; 0 when allowed, else the seconds until one is due.
        A refused request costs nothing."""
        tokens = self._tokens(client, now)
        allowed = tokens >= 1
        self._keep(client, tokens - 1 if allowed else tokens, now)
        return 0.0 if allowed else (1 - tokens) / self.limit.per_second

    def _keep(self, client: str, tokens: float, now: float) -> None:
        buckets = self._buckets
        buckets[client] = (tokens, now)
        buckets.move_to_end(client)
        if len(buckets) > self.max_clients:
            buckets.popitem(last=False)
