"""The rows a new draft set writes (its ask; each draft with revision 1 and a "created" event)
and the `Idempotency-Key` record kept beside them, in the caller's transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

import sqlalchemy as sa

from pitchgen.ask import Ask
from pitchgen.content.models import Draft, DraftSet
from pitchgen.store.migrations.schema import api_idempotency, asks, drafts, events, revisions
from pitchgen.store.rows import IdempotencyRecord

__all__ = ["KeyTaken", "insert_draft_set", "insert_drafts", "keep"]

_DRAFT_FIELDS = set(Draft.model_fields) & set(drafts.c.keys())


class KeyTaken(Exception):
    """Rolls back a draft set whose `Idempotency-Key` record another request kept first."""


def keep(conn: sa.Connection, record: IdempotencyRecord, now: dt.datetime) -> None:
    # First in the transaction: on PostgreSQL a concurrent request with the same key waits
    # here, on the key, until the first commits (then is refused) or rolls back (then goes on).
    try:
        conn.execute(api_idempotency.insert().values(**asdict(record), created_at=now))
    except sa.exc.IntegrityError:
        raise KeyTaken from None


def insert_draft_set(
    conn: sa.Connection,
    ask: Ask,
    draft_set: DraftSet,
    actor: str,
    now: dt.datetime,
    partner_id: str | None = None,
) -> None:
    # Written only when there is one: a store not yet migrated to 0004_partners can still take
    # an ask typed by hand.
    linked = {"partner_id": partner_id} if partner_id is not None else {}
    conn.execute(
        asks.insert().values(
            id=draft_set.ask_id, ask=ask.model_dump(mode="json"),
            partner=ask.partner.organization, created_at=now, **linked,
        )
    )  # fmt: skip
    insert_drafts(conn, draft_set.ask_id, draft_set.drafts, actor, now)


def insert_drafts(
    conn: sa.Connection, ask_id: str, new: list[Draft], actor: str, now: dt.datetime
) -> None:
    """Drafts of a stored ask, each with revision 1 and a "created" event."""
    rows = [d.model_dump(mode="json", include=_DRAFT_FIELDS) for d in new]
    if not rows:
        return
    if all(r["kind"] == "pitch" for r in rows):
        # The column's default: a pitch is written as an older schema (before 0004) takes it.
        rows = [{k: v for k, v in r.items() if k != "kind"} for r in rows]
    stamp = {"ask_id": ask_id, "created_at": now, "updated_at": now}
    conn.execute(drafts.insert(), [r | stamp for r in rows])
    conn.execute(
        revisions.insert(),
        [
            {"draft_id": r["id"], "author": actor, "created_at": now}
            | {k: r[k] for k in ("version", "content", "text", "checks")}
            for r in rows
        ],
    )
    conn.execute(
        events.insert(),
        [
            {"draft_id": r["id"], "at": now, "actor": actor, "action": "created"}
            | {"from_status": None, "to_status": r["status"]}
            | {"detail": {"source": r["source"], "fallback_reason": r["fallback_reason"]}}
            for r in rows
        ],
    )
