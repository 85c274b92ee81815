"""Running a batch's items: one function drafts every item (`run_item`/`_draft`): claim it,
draft the batch's ask addressed to its partner with the service's shared model client (one
circuit breaker, one rate-limit pause for the whole batch), and store the draft set in the
transaction that marks it done, which the database lets happen once per item. The in-process
runner (`run`) and the Procrastinate worker (`queue`) only differ in who hands out the items;
a server starts in-process runs in the background and picks up those a previous run left.

`BatchRuns` is mixed into `Batches` (`pitchgen.service.batches`), which creates and reads the
batches and gives these methods its store, lease and shared state.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pitchgen.errors import Conflict, PitchgenError
from pitchgen.service.threads import in_thread

if TYPE_CHECKING:
    from pitchgen.content.models import DraftSet
    from pitchgen.store.batches import Batch, BatchStore, Item

__all__ = ["NOT_FALLBACKS", "BatchRuns", "ItemDone", "owner_gone", "owner_id"]

# A template draft for these reasons was asked for, not a model failing: not a fallback.
NOT_FALLBACKS = frozenset({None, "llm_off", "llm_not_configured"})
_HOST = socket.gethostname()[:60]
log = logging.getLogger("pitchgen.batch")


def owner_id() -> str:
    """Who is drafting an item: this host and process, and a run of its own."""
    return f"{_HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def owner_gone(owner: str) -> bool:
    """Whether the process that claimed an item is known to be dead: on this host, no process
    with its id. Another host's owner is judged by its lease (or the queue's heartbeats)."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != _HOST or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


@dataclass(frozen=True)
class ItemDone:
    """What came of one item, for a progress bar."""

    item: Item
    stored: bool
    fallbacks: int
    failed: bool = False


_Call = Callable[..., Awaitable[Any]]


def _outcome(draft_set: DraftSet) -> dict[str, Any]:
    return {
        "drafts": [
            {
                "id": d.id,
                "channel": d.channel.value,
                "source": d.source,
                "fallback_reason": d.fallback_reason,
                "failed_musts": [c.id for c in d.checks if c.level == "must" and not c.passed],
            }
            for d in draft_set.drafts
        ]
    }


class BatchRuns:
    """The running methods of `Batches`."""

    # --- drafting -----------------------------------------------------------------------------

    async def run_item(
        self, item_id: str, owner: str, *, takeover: bool = False
    ) -> ItemDone | None:
        """Claim and draft one item (the queue's job); None when it is not there to draft
        (done already: a duplicate delivery; cancelled; another runner's)."""
        store = await in_thread(self.store)
        if (client := self.service.llm()) is not None:
            await client.pause.wait()  # as in `run`: no deadline starts while we are told to wait
        item = await in_thread(store.claim, item_id, owner, self.lease, takeover=takeover)
        if item is None:
            return None
        return await self._draft(store, item, owner)

    async def _draft(
        self, store: BatchStore, item: Item, owner: str, call: _Call = in_thread
    ) -> ItemDone:
        batch = self._batches.get(item.batch_id)
        if batch is None:
            batch = self._batches[item.batch_id] = await call(store.get, item.batch_id)
        try:
            ask = self.ask_for(batch, item)
            draft_set = await self.service.adraft(ask, batch.channels)
        except PitchgenError as error:
            await call(store.fail, item.id, owner, error.message)
            return ItemDone(item, stored=False, fallbacks=0, failed=True)
        fallbacks = sum(d.fallback_reason not in NOT_FALLBACKS for d in draft_set.drafts)
        stored = await call(
            store.finish,
            item.id,
            ask,
            draft_set,
            actor=batch.actor,
            outcome=_outcome(draft_set),
            fallbacks=fallbacks,
        )
        return ItemDone(item, stored=stored, fallbacks=fallbacks)

    async def run(
        self,
        batch_id: str,
        *,
        concurrency: int | None = None,
        on_item: Callable[[ItemDone], None] | None = None,
    ) -> Batch:
        """Draft the batch's queued items in this process, `concurrency` at a time (default:
        PITCHGEN_BATCH_CONCURRENCY). Interrupted (Ctrl-C, cancelled), it puts the items it was
        drafting back in the queue, so `resume` finds them."""
        store = await in_thread(self.store)
        batch = await in_thread(store.get, batch_id)
        if batch.cancelled_at is not None:
            raise Conflict(f"batch {batch_id} was cancelled")
        owner = owner_id()
        client = self.service.llm()
        pause = client.pause if client is not None else None
        width = min(concurrency or self.settings.batch_concurrency, max(1, batch.total))
        # The run's own threads for the store: a cancelled await leaves its thread running, and
        # the release below must come after every claim it might make.
        threads = ThreadPoolExecutor(max_workers=width, thread_name_prefix="batch")

        async def call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
            return await asyncio.wrap_future(threads.submit(fn, *args, **kwargs))

        async def drafter() -> None:
            while True:
                if pause is not None:
                    # The endpoint asked for quiet: no new item starts its deadline meanwhile.
                    await pause.wait()
                item = await call(store.claim_next, batch_id, owner, self.lease)
                if item is None:
                    return
                done = await self._draft(store, item, owner, call)
                if on_item is not None:
                    on_item(done)

        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(width):
                    group.create_task(drafter())
        finally:
            # Whatever stopped us, our unfinished claims go back to the queue at once. Plain
            # calls: a cancelled task's next await would be cancelled too.
            threads.shutdown(wait=True)
            store.release(owner)
        return await in_thread(store.get, batch_id)

    def resume(self, batch_id: str) -> list[str]:
        """Queue again what a killed or interrupted run left: items whose runner is gone or
        whose lease ran out, and failed items. With the queue runner, their jobs too."""
        store = self.store()
        batch = store.get(batch_id)
        if batch.cancelled_at is not None:
            raise Conflict(f"batch {batch_id} was cancelled; it cannot be resumed")
        ids = store.requeue(batch_id, owner_gone, failed=True)
        if batch.runner == "queue":
            from pitchgen.service.queue import defer_items

            queued = [i.id for i in store.items(batch_id) if i.state == "queued"]
            defer_items(self.service, queued)
        return ids

    # --- in a server --------------------------------------------------------------------------

    def start(self, batch_id: str) -> None:
        """Draft an in-process batch in the background of the running event loop (the API)."""
        task = asyncio.get_running_loop().create_task(self.run(batch_id))
        self._background.add(task)
        task.add_done_callback(self._ended)

    def _ended(self, task: asyncio.Task) -> None:
        self._background.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            # Its items stay queued or failed in the store: `batch resume` or a restart goes on.
            log.error("a background batch stopped: %s", getattr(error, "message", error))

    def recovering(self) -> list[str]:
        """At a server's start: the in-process batches a previous run left unfinished, their
        abandoned items queued again (then `start_all` drafts them)."""
        store = self.store()
        resumed = store.unfinished(runner="local")
        for batch_id in resumed:
            store.requeue(batch_id, owner_gone)
        return resumed

    def start_all(self, batch_ids: Iterable[str]) -> None:
        for batch_id in batch_ids:
            self.start(batch_id)

    async def drain(self) -> None:
        """Wait for the background batches to finish."""
        while self._background:
            await asyncio.gather(*self._background, return_exceptions=True)

    async def aclose(self) -> None:
        """Stop background batches; their items go back to the queue for the next start."""
        for task in list(self._background):
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
