"""Blocking work off the event loop: the service's one way to run a store write, a template
draft or anything else that may wait, in a worker thread.

As anyio's `to_thread.run_sync` runs it (the caller's context variables go with it, and a
caller cancelled meanwhile still waits for the thread to finish, so a write is never left
running unawaited), but on an executor of our own and with one loop future: anyio's capacity
limiter and checkpoints take several turns of the event loop per hop (271 K instructions a
hop against 119 K here; `POST /v1/drafts` went from 1.84 M to 0.72 M instructions over its
work: docs/performance.md "Serving, one hop").
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # asyncio and the executor on first use: `pitchgen draft` needs neither
    from concurrent.futures import ThreadPoolExecutor

__all__ = ["in_thread"]

T = TypeVar("T")

# As many as anyio's default limiter allows: a request whose write waits on another process's
# lock holds its thread, and the others must not queue behind it.
WORKERS = 40

_executor: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        from concurrent.futures import ThreadPoolExecutor

        _executor = ThreadPoolExecutor(WORKERS, thread_name_prefix="pitchgen-worker")
    return _executor


def _forget_pool() -> None:
    # A forked child has the pool's bookkeeping but none of its threads: work queued there would
    # wait for ever. It makes its own on first use.
    global _executor
    _executor = None


os.register_at_fork(after_in_child=_forget_pool)


async def in_thread(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`fn(*args, **kwargs)` in a worker thread, awaited until it is done."""
    import asyncio

    loop = asyncio.get_running_loop()
    hop = _Hop(loop.create_future())
    context = contextvars.copy_context()

    def work() -> None:
        try:
            outcome: tuple[bool, Any] = (True, context.run(fn, *args, **kwargs))
        except BaseException as exc:  # the caller's to raise
            outcome = (False, exc)
        loop.call_soon_threadsafe(hop.settle, outcome)

    _pool().submit(work)
    cancelled: BaseException | None = None
    while hop.outcome is None:
        try:
            await hop.waiter
        except asyncio.CancelledError as exc:
            # Delivered once the work is done, as anyio delivers it. The cancelled waiter is
            # replaced: the work settles whichever one is waiting then.
            cancelled = exc
            if hop.outcome is None:
                hop.waiter = loop.create_future()
    if cancelled is not None:
        raise cancelled
    done, value = hop.outcome
    if not done:
        raise value
    return value


class _Hop:
    """One call's outcome, set on the event loop's thread (so no lock), and the future its
    caller awaits. One future set from the thread, not the executor's future chained to the
    loop's and shielded: about 100 K instructions less a hop."""

    __slots__ = ("outcome", "waiter")

    def __init__(self, waiter: Any) -> None:
        self.waiter = waiter
        self.outcome: tuple[bool, Any] | None = None

    def settle(self, outcome: tuple[bool, Any]) -> None:
        self.outcome = outcome
        if not self.waiter.done():
            self.waiter.set_result(None)
