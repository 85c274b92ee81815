"""Sends run on a small pool of their own, never on the thread pool every other request uses:
a mail server that accepts connections and never answers can hold at most `smtp_concurrency`
threads, each for at most the SMTP deadline, while drafts, pages and health checks go on.

As many sends again may wait for a worker; beyond that a send is refused at once (503,
`SendersBusy`) rather than queued behind a server that may never answer.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from pitchgen.errors import SendersBusy

__all__ = ["SendPool"]

T = TypeVar("T")


class SendPool:
    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="pitchgen-send")
        # Running plus waiting; released when the work ends, not when its caller stops waiting
        # (a client that hangs up does not stop a send already at the server).
        self._slots = threading.BoundedSemaphore(2 * workers)

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        if not self._slots.acquire(blocking=False):
            raise SendersBusy(
                f"{2 * self.workers} sends are already running or waiting"
                f" (PITCHGEN_SMTP_CONCURRENCY is {self.workers}); the mail server may be slow:"
                " try again shortly"
            )
        try:
            future = self._executor.submit(fn, *args)
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(lambda _: self._slots.release())
        return await asyncio.wrap_future(future)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
