"""What is worked out from one ask, worked out once: asks are frozen, and one ask is drafted
for three channels, checked three times, and re-checked on every edit.

`per_ask` keeps a function's result per ask object (not per equal ask: a new object, from a new
request or file, is worked out afresh). Each entry holds the ask itself, so its id cannot be
reused by another object while the entry lives; a few dozen entries at most.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from pitchgen.ask.model import Ask

__all__ = ["per_ask"]

T = TypeVar("T")
LIMIT = 64


def per_ask(function: Callable[[Ask], T]) -> Callable[[Ask], T]:
    memo: dict[int, tuple[Ask, T]] = {}

    @wraps(function)
    def once(ask: Ask) -> T:
        hit = memo.get(id(ask))
        if hit is not None and hit[0] is ask:
            return hit[1]
        value = function(ask)
        if len(memo) >= LIMIT:
            memo.clear()
        memo[id(ask)] = (ask, value)
        return value

    once.cache_clear = memo.clear  # type: ignore[attr-defined]
    return once
