"""Loading what lives as long as the process (its code, an open store) with the cyclic garbage
collector paused.

Importing the CLI, or SQLAlchemy and the store, creates tens of thousands of objects that are
never garbage, and the collector walked them again and again while they loaded: about a tenth
of the CPU of `pitchgen draft --llm off`, and more for a draft that is saved. Inside `lasting()`
it waits; what loaded is then left out of every later pass (`gc.freeze`), and it runs as usual
for what follows, which may be a server.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["lasting", "resume"]

# For each `lasting()` block open, whether the collector ran before it.
_ran_before: list[bool] = []


@contextmanager
def lasting() -> Iterator[None]:
    """Pause the collector while the block runs; then freeze what exists and resume it."""
    was_enabled = gc.isenabled()
    _ran_before.append(was_enabled)
    gc.disable()
    try:
        yield
    finally:
        _ran_before.pop()
        gc.freeze()
        if was_enabled:
            gc.enable()


def resume() -> None:
    """Let the collector run again inside `lasting()` where it ran before the block: for work
    that is not loading and may take long (a model's answer). A collector its caller had
    paused stays paused."""
    if _ran_before and _ran_before[0]:
        gc.enable()
