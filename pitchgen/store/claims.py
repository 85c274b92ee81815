"""Send claims: at most one send of a draft may be at the SMTP server, and while it is, nothing
else may change the draft.

`Store.claim_send` takes the claim in the same compare-and-set that every review step uses, on
the draft's own row: a claim is taken only from an approved draft at the version read and with
no claim on it, and every other step (`Store.apply`) requires that no live claim is on it. A
claim lives until `send_claim_expires`, the sender's overall SMTP deadline plus a margin; after
that its sender has finished or died, and a reviewer may reopen the draft (which clears the
claim), but a new send is still refused until someone has, since it might have been delivered.

The outcome is settled by `Store.settle_send`: a delivery is always recorded as sent, whatever
happened to the draft meanwhile; a failure releases the claim only if it is still the sender's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from pitchgen import telemetry
from pitchgen.errors import Conflict
from pitchgen.store.migrations.schema import drafts, events
from pitchgen.store.rows import Change, StoredDraft, utc

__all__ = ["SendInProgress", "claim", "refusal", "settle", "unclaimed"]


class SendInProgress(Conflict):
    """A send holds the draft: it may be at the server now (`live`), or its sender stopped
    without saying how it ended (not `live`)."""

    def __init__(self, draft_id: str, until: dt.datetime, *, live: bool) -> None:
        self.until = until
        self.live = live
        when = until.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        if live:
            message = (
                f"draft {draft_id} is being sent now and cannot change until that send finishes"
                f" or gives up (by {when} at the latest); it may already have been sent"
            )
        else:
            message = (
                f"draft {draft_id} may already have been sent: a send started and never"
                f" finished (it gave up by {when}); check the mailbox, and if it never arrived,"
                " reopen and approve the draft again to allow another attempt"
            )
        super().__init__(message)


def unclaimed(now: dt.datetime) -> sa.ColumnElement[bool]:
    """No send is at the server: no claim, or one whose sender has given up by now."""
    return sa.or_(drafts.c.send_claim.is_(None), drafts.c.send_claim_expires <= now)


RELEASED: dict[str, Any] = {"send_claim": None, "send_claim_expires": None}


def refusal(conn: sa.Connection, draft: StoredDraft, now: dt.datetime) -> SendInProgress | None:
    """Why a step on `draft` as read was refused, if a claim (not a newer version) refused it."""
    row = conn.execute(_row(draft.id)).first()
    if row is None or row.send_claim is None:
        return None
    if (row.version, row.status) != (draft.version, draft.status):
        return None
    expires = utc(row.send_claim_expires)
    return SendInProgress(draft.id, expires, live=expires > now)


def claim(
    conn: sa.Connection,
    draft: StoredDraft,
    change: Change,
    token: str,
    until: dt.datetime,
    now: dt.datetime,
) -> sa.Row | None:
    """Take the send claim on the approved `draft` as read; None when it moved on or is held."""
    row = conn.execute(
        drafts.update()
        .where(
            drafts.c.id == draft.id,
            drafts.c.version == draft.version,
            drafts.c.status == "approved",
            drafts.c.send_claim.is_(None),
        )
        .values(send_claim=token, send_claim_expires=until, updated_at=now)
        .returning(*drafts.c)
    ).first()
    if row is not None:
        _event(conn, draft.id, change, "approved", now)
    return row


def settle(conn: sa.Connection, draft_id: str, token: str, change: Change, now: dt.datetime):
    """Record how the send holding `token` ended; returns the draft row as it then is, or None
    for a failure whose claim had already been released (the draft moved on: nothing to say)."""
    row = conn.execute(_row(draft_id).with_for_update()).first()
    if change.to_status != "sent":
        if row.send_claim != token:
            return None
        values = RELEASED | {"send_error": change.send_error, "updated_at": now}
    elif row.status == "sent":
        # Delivered after its claim was given up and another copy recorded: say so, change nothing.
        _event(conn, draft_id, change, row.status, now)
        return row
    else:
        values = RELEASED | {
            "status": "sent",
            "sent_at": change.sent_at,
            "message_id": change.message_id,
            "send_error": None,
            "updated_at": now,
        }
    updated = conn.execute(
        drafts.update().where(drafts.c.id == draft_id).values(**values).returning(*drafts.c)
    ).first()
    _event(conn, draft_id, change, row.status, now)
    return updated


def _row(draft_id: str) -> sa.Select:
    return drafts.select().where(drafts.c.id == draft_id)


def _event(
    conn: sa.Connection, draft_id: str, change: Change, from_status: str, now: dt.datetime
) -> None:
    conn.execute(
        events.insert().values(
            draft_id=draft_id, at=now, actor=change.actor, action=change.action,
            from_status=from_status, to_status=change.to_status, reason=change.reason,
            detail=change.detail, request_id=telemetry.request_id.get(),
        )
    )  # fmt: skip
