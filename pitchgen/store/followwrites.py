"""The follow-through's writes beside a step (`FollowStore` calls them inside its own
transaction): the audit event on a draft, cancelling the follow-ups an outcome makes moot,
withdrawing reminders a slip or a kept promise makes moot, opening the commitments."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa

from pitchgen.store import claims
from pitchgen.store.followrows import Commitment, NewCommitment
from pitchgen.store.migrations.schema import (
    commitment_events,
    commitments,
    drafts,
    events,
    follow_drafts,
)
from pitchgen.store.rows import utc

__all__ = ["cancel_follow_ups", "draft_event", "open_commitments", "withdraw_reminders"]

# Follow-through drafts still waiting to go out.
PENDING = ("draft", "approved")


def draft_event(
    conn: sa.Connection,
    draft_id: str,
    status: str,
    action: str,
    actor: str,
    now: dt.datetime,
    reason: str | None,
    detail: dict | None,
    to_status: str | None = None,
) -> None:
    conn.execute(
        events.insert().values(
            draft_id=draft_id, at=now, actor=actor, action=action, from_status=status,
            to_status=to_status or status, reason=reason, detail=detail,
        )
    )  # fmt: skip


def cancel_follow_ups(
    conn: sa.Connection, ask_id: str, outcome: str, actor: str, now: dt.datetime
) -> tuple[list[str], list[str]]:
    """Reject every follow-up of the ask not yet sent; those a send holds right now are left
    (and named), since that message may already be at the partner."""
    pending = conn.execute(
        sa.select(drafts.c.id, drafts.c.status, drafts.c.send_claim, drafts.c.send_claim_expires)
        .join(follow_drafts, follow_drafts.c.draft_id == drafts.c.id)
        .where(
            follow_drafts.c.ask_id == ask_id,
            follow_drafts.c.kind == "follow_up",
            drafts.c.status.in_(PENDING),
        )
    ).all()
    cancelled, held = [], []
    reason = f"cancelled: the pitch's outcome is {outcome.replace('_', ' ')}"
    for row in pending:
        expires = utc(row.send_claim_expires)
        if row.send_claim is not None and expires is not None and expires > now:
            held.append(row.id)
            continue
        conn.execute(
            drafts.update()
            .where(drafts.c.id == row.id)
            .values(status="rejected", updated_at=now, **claims.RELEASED)
        )
        draft_event(conn, row.id, row.status, "cancel", actor, now, reason,
                     {"outcome": outcome}, to_status="rejected")  # fmt: skip
        cancelled.append(row.id)
    return cancelled, held


def withdraw_reminders(
    conn: sa.Connection,
    commitment_id: str,
    due: dt.date | None,
    action: str,
    actor: str,
    now: dt.datetime,
) -> None:
    """A reminder written for a date the commitment no longer has (or for one now kept) is not
    to be sent: reject it, unless a send holds it."""
    stale = conn.execute(
        sa.select(drafts.c.id, drafts.c.status)
        .join(follow_drafts, follow_drafts.c.draft_id == drafts.c.id)
        .where(
            follow_drafts.c.commitment_id == commitment_id,
            drafts.c.status.in_(PENDING),
            claims.unclaimed(now),
        )
    ).all()
    for row in stale:
        if (
            action != "done"
            and conn.execute(
                sa.select(follow_drafts.c.due).where(follow_drafts.c.draft_id == row.id)
            ).scalar()
            == due
        ):
            continue
        conn.execute(
            drafts.update().where(drafts.c.id == row.id).values(status="rejected", updated_at=now)
        )
        moved = f"now falls due {due.isoformat()}" if due else "has no due date now"
        reason = f"withdrawn: the commitment {'is done' if action == 'done' else moved}"
        draft_event(conn, row.id, row.status, "cancel", actor, now, reason, None, "rejected")


def open_commitments(
    conn: sa.Connection, ask_id: str, opens: list[NewCommitment], actor: str, now: dt.datetime
) -> list[Commitment]:
    sources = sa.select(commitments.c.source).where(commitments.c.ask_id == ask_id)
    taken = set(conn.execute(sources).scalars())
    opened = []
    for new in opens:
        if new.source in taken:
            continue
        row = {"id": str(uuid.uuid4()), "ask_id": ask_id, "owner": new.owner, "what": new.what,
               "source": new.source, "due": new.due, "status": "open", "version": 1,
               "created_at": now, "updated_at": now}  # fmt: skip
        conn.execute(commitments.insert().values(**row))
        conn.execute(
            commitment_events.insert().values(
                commitment_id=row["id"], at=now, actor=actor, action="opened", from_status=None,
                to_status="open", due_from=None, due_to=new.due, note=None,
            )
        )  # fmt: skip
        opened.append(Commitment.model_validate(row))
    return opened
