"""Batches: one ask to many partners, as the CLI (`pitchgen batch`), the API (`/v1/batches`) and
the queue worker (`pitchgen worker`) run them, over `Service.batches`.

Here: creating a batch (its ask validated once, an item queued per partner), reading it and
its items, approving its passing drafts, cancelling it, and how a batch and an item read (as
JSON, and in a line). Running the items, in process or on the queue, is in
`pitchgen.service.batchruns`, mixed into `Batches`; its `ItemDone` is importable from here too.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pitchgen.ask import Ask, Channel
from pitchgen.ask.roster import PartnerRow, validate_batch_ask
from pitchgen.errors import Conflict, InvalidInput, Problem
from pitchgen.service.batchruns import NOT_FALLBACKS, BatchRuns, ItemDone

if TYPE_CHECKING:
    from pitchgen.content.ledger import AskUsage
    from pitchgen.service.core import Service
    from pitchgen.store.batches import Batch, BatchStore, Item

__all__ = [
    "Approved",
    "Batches",
    "Created",
    "ItemDone",
    "batch_json",
    "item_json",
    "item_summary",
]


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


class Batches(BatchRuns):
    """The batch use cases of one `Service` (its settings, store and model client)."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.settings = service.settings
        # What every item of a batch shares (its ask, channels, actor), read once per batch.
        self._batches: dict[str, Batch] = {}
        # The in-process runs started in a server (see `BatchRuns.start`).
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
