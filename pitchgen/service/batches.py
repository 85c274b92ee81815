"""Batches: one ask to many partners, as the CLI (`pitchgen batch`), the API (`/v1/batches`) and
the queue worker (`pitchgen worker`) run them, over `Service.batches`.

Every item is drafted by one function, `run_item`/`_draft`: claim it, draft the batch's ask
addressed to its partner with the service's shared model client (one circuit breaker, one
rate-limit pause for the whole batch), and store the draft set in the transaction that marks it
done, which the database lets happen once per item. The in-process runner (`run`) and the
Procrastinate worker (`queue`) only differ in who hands out the items.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pitchgen.ask import Ask, Channel
from pitchgen.ask.roster import PartnerRow, validate_batch_ask
from pitchgen.errors import Conflict, InvalidInput, PitchgenError, Problem

if TYPE_CHECKING:
    from pitchgen.content.ledger import AskUsage
    from pitchgen.content.models import DraftSet
    from pitchgen.service.core import Service
    from pitchgen.store.batches import Batch, BatchStore, Item

__all__ = [
    "NOT_FALLBACKS",
    "Approved",
    "Batches",
    "Created",
    "ItemDone",
    "batch_json",
    "item_json",
    "item_summary",
    "owner_gone",
    "owner_id",
]

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
class Created:
    batch_id: str
    total: int
    runner: str
    warnings: list[Problem]


@dataclass(frozen=True)
class Approved:
    """What approving a batch's passing drafts did: the drafts approved, and those refused
    with why (their failing must checks)."""

    approved: list[str]
    refused: list[tuple[str, str]]


@dataclass(frozen=True)
class ItemDone:
    """What came of one item, for a progress bar."""

    item: Item
    stored: bool
    fallbacks: int
    failed: bool = False


_Call = Callable[..., Awaitable[Any]]


async def _blocking(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    from anyio import to_thread

    return await to_thread.run_sync(lambda: fn(*args, **kwargs))


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


class Batches:
    """The batch use cases of one `Service` (its settings, store and model client)."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.settings = service.settings
        # What every item of a batch shares (its ask, channels, actor), read once per batch.
        self._batches: dict[str, Batch] = {}
        self._background: set[asyncio.Task] = set()

    def store(self) -> BatchStore:
        from pitchgen.store.batches import BatchStore

        return BatchStore(self.service.store())

    @property
    def lease(self) -> dt.timedelta:
        # An item takes its channels' model calls at once, each within the deadline, then the
        # checks and one write: a lease past that means its runner is gone.
        return dt.timedelta(seconds=self.settings.llm_deadline_seconds + 120)

    def runner(self) -> str:
        """Where this store's batches run: `queue` (Procrastinate) on PostgreSQL, unless
        PITCHGEN_BATCH_RUNNER says otherwise; `local` (in process) on SQLite."""
        chosen = self.settings.batch_runner
        if chosen != "auto":
            return chosen
        postgres = self.service.store().engine.url.get_backend_name() == "postgresql"
        return "queue" if postgres else "local"

    # --- creating -----------------------------------------------------------------------------

    def create(
        self,
        ask: dict[str, Any],
        partners: list[PartnerRow],
        channels: Iterable[Channel | str] | None,
        actor: str,
        *,
        source: str | None = None,
    ) -> Created:
        """Validate the ask the partners share and store the batch, every item queued (with
        the queue runner, a job per item too). Nothing is drafted here."""
        from pitchgen.drafting.pipeline import ordered_channels
        from pitchgen.store.batches import NewItem

        if not partners:
            raise InvalidInput([Problem("partners", "no partners: give at least one")])
        partners = self.service.partners.fill_rows(ask, partners)
        shared, warnings = validate_batch_ask(ask, partners[0].partner)
        wanted = [c.value for c in ordered_channels(shared, channels)]
        runner = self.runner()
        items = [
            NewItem(row.partner.model_dump(mode="json", exclude_none=True), row.line)
            for row in partners
        ]
        kept = shared.model_dump(mode="json", exclude={"partner"})
        batch_id, item_ids = self.store().create(
            kept, wanted, items, runner=runner, actor=actor, source=source
        )
        if runner == "queue":
            from pitchgen.service.queue import defer_items

            defer_items(self.service, item_ids, fresh=True)
        return Created(batch_id, len(items), runner, warnings)

    # --- reading ------------------------------------------------------------------------------

    def get(self, batch_id: str) -> Batch:
        return self.store().get(batch_id)

    def items(self, batch_id: str) -> list[Item]:
        return self.store().items(batch_id)

    def usage(self, batch_id: str) -> AskUsage:
        """The ledger of the batch's drafts so far, summed (`Service.usage` over its asks), with
        each draft's own; NotFound for an unknown batch."""
        return self.service.usage(self.store().ask_ids(batch_id))

    def queue_depth(self) -> dict[str, int]:
        """Items queued and running over every batch: `{"queued": n, "running": m}`."""
        return self.store().queue_depth()

    def draft_ids(self, batch_id: str) -> list[str]:
        self.store().get(batch_id)
        return self.store().draft_ids(batch_id)

    def approve_passing(self, batch_id: str, actor: str) -> Approved:
        """Approve, as one action, every draft of the batch still in review whose must checks
        all pass; the others are refused (each needs a person's look and, to approve it anyway,
        a reason) and left as they are."""
        self.store().get(batch_id)
        approved: list[str] = []
        refused: list[tuple[str, str]] = []
        for draft_id in self.store().draft_ids(batch_id):
            draft = self.service.get_draft(draft_id)
            if draft.status != "draft":
                continue
            failing = [c.id for c in draft.checks if c.level == "must" and not c.passed]
            if failing:
                refused.append((draft_id, ", ".join(failing)))
                continue
            try:
                self.service.decide("approve", draft_id, actor, None, draft.version)
            except Conflict as error:  # changed meanwhile: a person is on it
                refused.append((draft_id, error.message))
                continue
            approved.append(draft_id)
        return Approved(approved, refused)

    def cancel(self, batch_id: str) -> Batch:
        """Stop drafting the batch's queued items; those being drafted finish."""
        return self.store().cancel(batch_id)

    def ask_for(self, batch: Batch, item: Item) -> Ask:
        """The batch's ask addressed to the item's partner."""
        from pitchgen.ask.text import STORED

        return Ask.model_validate({**batch.ask, "partner": item.partner}, context=STORED)

    # --- drafting -----------------------------------------------------------------------------

    async def run_item(
        self, item_id: str, owner: str, *, takeover: bool = False
    ) -> ItemDone | None:
        """Claim and draft one item (the queue's job); None when it is not there to draft
        (done already: a duplicate delivery; cancelled; another runner's)."""
        store = await _blocking(self.store)
        if (client := self.service.llm()) is not None:
            await client.pause.wait()  # as in `run`: no deadline starts while we are told to wait
        item = await _blocking(store.claim, item_id, owner, self.lease, takeover=takeover)
        if item is None:
            return None
        return await self._draft(store, item, owner)

    async def _draft(
        self, store: BatchStore, item: Item, owner: str, call: _Call = _blocking
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
        store = await _blocking(self.store)
        batch = await _blocking(store.get, batch_id)
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
        return await _blocking(store.get, batch_id)

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


# --- how a batch reads (the same for `batch status --format json` and the API) --------------------


def item_summary(item: Item) -> tuple[str, str]:
    """An item in two short texts: its drafts ("email: llm, call_script: template") and a note
    ("ok", the fallbacks, failed must checks, or the error)."""
    if item.outcome is None:
        return "-", item.error or ("ok" if item.state == "done" else item.state)
    drafts = item.outcome["drafts"]
    listed = ", ".join(f"{d['channel']}: {d['source']}" for d in drafts)
    notes = [
        f"{d['channel']} fell back ({d['fallback_reason']})"
        for d in drafts
        if d["fallback_reason"] not in NOT_FALLBACKS
    ] + [
        f"{d['channel']} fails {', '.join(d['failed_musts'])}" for d in drafts if d["failed_musts"]
    ]
    return listed, "; ".join(notes) or "ok"


def item_json(item: Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "position": item.position + 1,
        "partner": item.partner,
        "line": item.source_line,
        "state": item.state,
        "attempts": item.attempts,
        "ask_id": item.ask_id,
        "fallbacks": item.fallbacks,
        "drafts": (item.outcome or {}).get("drafts", []),
        "error": item.error,
        "updated_at": item.updated_at.isoformat(),
    }


def batch_json(batch: Batch, items: list[Item] | None = None) -> dict[str, Any]:
    """A batch's progress (and its items) as `GET /v1/batches/{id}` and `batch status
    --format json` show it."""
    from pitchgen.store.batches import STATES

    counts = {state: batch.counts.get(state, 0) for state in STATES}
    body: dict[str, Any] = {
        "id": batch.id,
        "status": "cancelled" if batch.cancelled_at else "done" if batch.finished else "running",
        "runner": batch.runner,
        "channels": batch.channels,
        "total": batch.total,
        "counts": counts,
        "done": counts["done"],
        "fallbacks": batch.fallbacks,
        "source": batch.source,
        "created_at": batch.created_at.isoformat(),
        "cancelled_at": batch.cancelled_at.isoformat() if batch.cancelled_at else None,
    }
    if items is not None:
        body["items"] = [item_json(i) for i in items]
    return body
