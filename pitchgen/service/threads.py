"""Blocking work off the event loop: the service's one way to run a store write, a template
draft or anything else that may wait, in a worker thread.

As anyio's `to_thread.run_sync` runs it (the caller's context variables go with it, and a
caller cancelled meanwhile still waits for the thread to finish, so a write is never left
running unawaited), but on an executor of our own: anyio's capacity limiter and checkpoints
take several turns of the event loop per hop, which cost about 0.15 ms of CPU on each
`POST /v1/drafts` (bench/post_overhead.py, docs/performance.md "Serving, one hop").
"""

from __future__ import annotations

import contextvars
import functools
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

    run = functools.partial(contextvars.copy_context().run, fn, *args, **kwargs)
    future = asyncio.get_running_loop().run_in_executor(_pool(), run)
    cancelled: asyncio.CancelledError | None = None
    while not future.done():
        try:
            await asyncio.shield(future)
        except asyncio.CancelledError as exc:
            cancelled = exc  # delivered once the thread is done, as anyio delivers it
    if cancelled is not None:
        raise cancelled
    return future.result()
