"""Batches in the store: one ask to many partners, an item per partner.

An item is `queued`, then `running` under one owner's lease, then `done` (its draft set stored)
or `failed`; `cancelled` when its batch is. Its draft set is written in the same transaction
that marks it done, and only while its `ask_id` is still empty: the column is set once and is
unique, so a rerun, a retry or a duplicate delivery never stores a second set. Every function
here is one transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from pitchgen.ask import Ask
from pitchgen.content.models import DraftSet
from pitchgen.errors import NotFound
from pitchgen.store.inserts import insert_draft_set
from pitchgen.store.migrations.schema import batch_items, batches, drafts
from pitchgen.store.pages import known_form
from pitchgen.store.repository import Store
from pitchgen.store.rows import utc

__all__ = ["STATES", "Batch", "BatchStore", "Item", "NewItem", "queue_conninfo"]

STATES = ("queued", "running", "done", "failed", "cancelled")
UNFINISHED = ("queued", "running")


@dataclass(frozen=True)
class NewItem:
    """A partner block for a new batch, and the line of the file it came from."""

    partner: dict[str, Any]
    line: int | None = None


@dataclass(frozen=True)
class Item:
    id: str
    batch_id: str
    position: int
    partner: dict[str, Any]
    partner_name: str
    source_line: int | None
    state: str
    attempts: int
    ask_id: str | None
    fallbacks: int
    outcome: dict[str, Any] | None
    error: str | None
    updated_at: dt.datetime


@dataclass(frozen=True)
class Batch:
    id: str
    ask: dict[str, Any]
    channels: list[str]
    runner: str
    actor: str
    source: str | None
    total: int
    cancelled_at: dt.datetime | None
    created_at: dt.datetime
    counts: dict[str, int] = field(default_factory=dict)
    fallbacks: int = 0

    @property
    def finished(self) -> bool:
        return not any(self.counts.get(s, 0) for s in UNFINISHED)


def _item(row: sa.Row) -> Item:
    values = {k: getattr(row, k) for k in Item.__dataclass_fields__}
    values["updated_at"] = utc(row.updated_at)
    return Item(**values)


class _Taken(Exception):
    """Rolls back a draft set whose item already has one."""


class BatchStore:
    """The batch tables over an open `Store` (its engine, transactions and error mapping)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _now(self) -> dt.datetime:
        return self.store.clock()

    # --- writes -----------------------------------------------------------------------------

    def create(
        self,
        ask: dict[str, Any],
        channels: list[str],
        items: list[NewItem],
        *,
        runner: str,
        actor: str,
        source: str | None = None,
    ) -> tuple[str, list[str]]:
        """A new batch with every item queued, all or nothing; its id and its items' ids."""
        batch_id = str(uuid.uuid4())
        ids = [str(uuid.uuid4()) for _ in items]
        now = self._now()
        with self.store._write() as conn:
            conn.execute(
                batches.insert().values(
                    id=batch_id, ask=ask, channels=channels, runner=runner, actor=actor,
                    source=source, total=len(items), created_at=now,
                )
            )  # fmt: skip
            conn.execute(
                batch_items.insert(),
                [
                    {
                        "id": item_id,
                        "batch_id": batch_id,
                        "position": n,
                        "partner": item.partner,
                        "partner_name": item.partner["organization"],
                        "source_line": item.line,
                        "state": "queued",
                        "attempts": 0,
                        "fallbacks": 0,
                        "updated_at": now,
                    }
                    for n, (item_id, item) in enumerate(zip(ids, items, strict=True))
                ],
            )
        return batch_id, ids

    def claim(
        self, item_id: str, owner: str, lease: dt.timedelta, *, takeover: bool = False
    ) -> Item | None:
        """Take a queued item (or, with `takeover`, one another owner was running: the queue
        says that owner is gone) for `owner` until the lease ends; None when it is finished,
        cancelled or someone else's."""
        now = self._now()
        states = ("queued", "running", "failed") if takeover else ("queued",)
        with self.store._write() as conn:
            row = conn.execute(
                batch_items.update()
                .where(batch_items.c.id == item_id, batch_items.c.state.in_(states))
                .values(
                    state="running", owner=owner, lease_expires=now + lease, updated_at=now,
                    attempts=batch_items.c.attempts + 1, error=None,
                )
                .returning(*batch_items.c)
            ).first()  # fmt: skip
        return None if row is None else _item(row)

    def claim_next(self, batch_id: str, owner: str, lease: dt.timedelta) -> Item | None:
        """The first queued item of the batch, taken for `owner`; None when none is left."""
        while True:
            with self.store._read() as conn:
                item_id = conn.execute(
                    sa.select(batch_items.c.id)
                    .where(batch_items.c.batch_id == batch_id, batch_items.c.state == "queued")
                    .order_by(batch_items.c.position)
                    .limit(1)
                ).scalar()
            if item_id is None:
                return None
            if (item := self.claim(item_id, owner, lease)) is not None:
                return item
            # Another runner took it between the read and the write: the next one, then.

    def finish(
        self,
        item_id: str,
        ask: Ask,
        draft_set: DraftSet,
        *,
        actor: str,
        outcome: dict[str, Any],
        fallbacks: int,
    ) -> bool:
        """Store the item's draft set and mark it done, in one transaction; False, storing
        nothing, if it has a draft set already (a duplicate delivery, a rerun)."""
        now = self._now()
        try:
            with self.store._write() as conn:
                insert_draft_set(conn, ask, draft_set, actor, now)
                done = conn.execute(
                    batch_items.update()
                    .where(batch_items.c.id == item_id, batch_items.c.ask_id.is_(None))
                    .values(
                        state="done", ask_id=draft_set.ask_id, owner=None, lease_expires=None,
                        fallbacks=fallbacks, outcome=outcome, error=None, updated_at=now,
                    )
                ).rowcount  # fmt: skip
                if done != 1:
                    raise _Taken
        except _Taken:
            return False
        return True

    def fail(self, item_id: str, owner: str, error: str) -> None:
        """Record why the item could not be drafted, if `owner` still holds it."""
        now = self._now()
        with self.store._write() as conn:
            conn.execute(
                batch_items.update()
                .where(
                    batch_items.c.id == item_id,
                    batch_items.c.owner == owner,
                    batch_items.c.state == "running",
                )
                .values(state="failed", owner=None, lease_expires=None, error=error[:2000],
                        updated_at=now)
            )  # fmt: skip

    def release(self, owner: str, item_ids: Iterable[str] | None = None) -> int:
        """Put `owner`'s running items (or just `item_ids`) back in the queue (Ctrl-C, a
        shutdown); how many."""
        query = batch_items.update().where(
            batch_items.c.owner == owner, batch_items.c.state == "running"
        )
        if item_ids is not None:
            query = query.where(batch_items.c.id.in_(list(item_ids)))
        with self.store._write() as conn:
            return conn.execute(
                query.values(state="queued", owner=None, lease_expires=None,
                             updated_at=self._now())
            ).rowcount  # fmt: skip

    def requeue(
        self, batch_id: str, gone: Callable[[str], bool], *, failed: bool = False
    ) -> list[str]:
        """Queue again the running items whose lease ended or whose owner is `gone` (a killed
        run, a server that restarted), and with `failed` the failed ones; their ids."""
        now = self._now()
        with self.store._write() as conn:
            rows = conn.execute(
                sa.select(
                    batch_items.c.id, batch_items.c.state, batch_items.c.owner,
                    batch_items.c.lease_expires,
                ).where(
                    batch_items.c.batch_id == batch_id,
                    batch_items.c.state.in_(("running", "failed") if failed else ("running",)),
                )
            ).all()  # fmt: skip
            ids = [
                r.id
                for r in rows
                if r.state == "failed"
                or r.owner is None
                or gone(r.owner)
                or (r.lease_expires is not None and utc(r.lease_expires) <= now)
            ]
            if ids:
                conn.execute(
                    batch_items.update()
                    .where(batch_items.c.id.in_(ids), batch_items.c.ask_id.is_(None))
                    .values(state="queued", owner=None, lease_expires=None, updated_at=now)
                )
        return ids

    def cancel(self, batch_id: str) -> Batch:
        """Cancel the batch: its queued items will not be drafted (running ones finish)."""
        now = self._now()
        with self.store._write() as conn:
            if conn.execute(
                batches.update()
                .where(batches.c.id == batch_id, batches.c.cancelled_at.is_(None))
                .values(cancelled_at=now)
            ).rowcount:
                conn.execute(
                    batch_items.update()
                    .where(batch_items.c.batch_id == batch_id, batch_items.c.state == "queued")
                    .values(state="cancelled", updated_at=now)
                )
        return self.get(batch_id)

    # --- reads ------------------------------------------------------------------------------

    def get(self, batch_id: str) -> Batch:
        known_form(batch_id, "batch")
        with self.store._read(snapshot=True) as conn:
            row = conn.execute(batches.select().where(batches.c.id == batch_id)).first()
            if row is None:
                raise NotFound(f"no batch with id {batch_id}")
            tally = conn.execute(
                sa.select(
                    batch_items.c.state, sa.func.count(), sa.func.sum(batch_items.c.fallbacks)
                )
                .where(batch_items.c.batch_id == batch_id)
                .group_by(batch_items.c.state)
            ).all()
        values = {k: getattr(row, k) for k in Batch.__dataclass_fields__ if hasattr(row, k)}
        values["created_at"] = utc(row.created_at)
        values["cancelled_at"] = row.cancelled_at and utc(row.cancelled_at)
        return Batch(
            **values,
            counts={state: count for state, count, _ in tally},
            fallbacks=sum(int(f or 0) for *_, f in tally),
        )

    def items(self, batch_id: str, *, states: Iterable[str] | None = None) -> list[Item]:
        """The batch's items in file order (after checking that the batch exists)."""
        self.get(batch_id)
        query = (
            batch_items.select()
            .where(batch_items.c.batch_id == batch_id)
            .order_by(batch_items.c.position)
        )
        if states is not None:
            query = query.where(batch_items.c.state.in_(list(states)))
        with self.store._read() as conn:
            return [_item(r) for r in conn.execute(query).all()]

    def get_item(self, item_id: str) -> Item:
        known_form(item_id, "batch item")
        with self.store._read() as conn:
            row = conn.execute(batch_items.select().where(batch_items.c.id == item_id)).first()
        if row is None:
            raise NotFound(f"no batch item with id {item_id}")
        return _item(row)

    def unfinished(self, runner: str | None = None) -> list[str]:
        """Batches (oldest first) with items still queued or running, not cancelled."""
        query = (
            sa.select(batches.c.id)
            .where(
                batches.c.cancelled_at.is_(None),
                sa.exists().where(
                    batch_items.c.batch_id == batches.c.id,
                    batch_items.c.state.in_(UNFINISHED),
                ),
            )
            .order_by(batches.c.created_at)
        )
        if runner is not None:
            query = query.where(batches.c.runner == runner)
        with self.store._read() as conn:
            return list(conn.execute(query).scalars())

    def queue_depth(self) -> dict[str, int]:
        """Items waiting and being drafted, over every batch (for metrics)."""
        with self.store._read() as conn:
            rows = conn.execute(
                sa.select(batch_items.c.state, sa.func.count())
                .where(batch_items.c.state.in_(UNFINISHED))
                .group_by(batch_items.c.state)
            ).all()
        return {"queued": 0, "running": 0} | {state: count for state, count in rows}

    def draft_ids(self, batch_id: str) -> list[str]:
        """Every draft the batch made, in file order."""
        with self.store._read() as conn:
            return list(
                conn.execute(
                    sa.select(drafts.c.id)
                    .join(batch_items, batch_items.c.ask_id == drafts.c.ask_id)
                    .where(batch_items.c.batch_id == batch_id)
                    .order_by(batch_items.c.position, drafts.c.seq)
                ).scalars()
            )

    def ask_ids(self, batch_id: str) -> list[str]:
        """The asks the batch's items were drafted as, in file order; NotFound for an unknown
        batch."""
        self.get(batch_id)
        with self.store._read() as conn:
            return list(
                conn.execute(self.asks_of(batch_id).order_by(batch_items.c.position)).scalars()
            )

    def asks_of(self, batch_id: str) -> sa.Select:
        """The ask ids of a batch, for a listing filtered by batch."""
        return sa.select(batch_items.c.ask_id).where(
            batch_items.c.batch_id == batch_id, batch_items.c.ask_id.is_not(None)
        )


def queue_conninfo(store: Store) -> str:
    """The store's PostgreSQL URL as libpq takes it (for the batch queue's own connections)."""
    url = store.engine.url
    if url.get_backend_name() != "postgresql":
        from pitchgen.errors import ConfigError

        raise ConfigError(
            "the batch queue needs a PostgreSQL store (PITCHGEN_DATABASE_URL); on SQLite"
            " batches run in process"
        )
    return url.set(drivername="postgresql").render_as_string(hide_password=False)
