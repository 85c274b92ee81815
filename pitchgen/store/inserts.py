"""The rows a new draft set writes (its ask; each draft with revision 1 and a "created" event)
and the `Idempotency-Key` record kept beside them, in the caller's transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

import sqlalchemy as sa

from pitchgen.ask import Ask
from pitchgen.content.models import Draft, DraftSet
from pitchgen.store.migrations.schema import api_idempotency, asks, drafts, events, revisions
from pitchgen.store.newrows import ask_row, draft_rows
from pitchgen.store.rows import IdempotencyRecord

__all__ = ["KeyTaken", "insert_draft_set", "insert_drafts", "keep"]


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
    conn.execute(asks.insert().values(**ask_row(ask, draft_set, now, partner_id)))
    insert_drafts(conn, draft_set.ask_id, draft_set.drafts, actor, now)


def insert_drafts(
    conn: sa.Connection, ask_id: str, new: list[Draft], actor: str, now: dt.datetime
) -> None:
    """Drafts of a stored ask, each with revision 1 and a "created" event."""
    if not new:
        return
    written = draft_rows(ask_id, new, actor, now)
    for table, rows in zip((drafts, revisions, events), written, strict=True):
        conn.execute(table.insert(), rows)
