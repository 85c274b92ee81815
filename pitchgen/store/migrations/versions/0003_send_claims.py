"""Send claims: the one send of a draft's revision that may be at the SMTP server now.

A claim is a token and the time until which its sender may still be talking to the server.
While it holds, no review step can change the draft, so the send is recorded against the state
it was started from. Drafts whose last event is an unfinished `send_attempt` (a process that
died mid-send under an older pitchgen) get an expired claim: they stay unsendable until a
reviewer reopens them, as before.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("drafts") as batch:
        batch.add_column(sa.Column("send_claim", sa.String(32)))
        batch.add_column(sa.Column("send_claim_expires", sa.DateTime(timezone=True)))
    if not context.is_offline_mode():
        _claim_unfinished_attempts(op.get_bind())


def _claim_unfinished_attempts(conn: sa.Connection) -> None:
    events = sa.table(
        "events",
        sa.column("seq", sa.Integer),
        sa.column("draft_id", sa.String),
        sa.column("action", sa.String),
        sa.column("at", sa.DateTime(timezone=True)),
    )
    drafts = sa.table(
        "drafts",
        sa.column("id", sa.String),
        sa.column("status", sa.String),
        sa.column("send_claim", sa.String),
        sa.column("send_claim_expires", sa.DateTime(timezone=True)),
    )
    last = (
        sa.select(events.c.draft_id, sa.func.max(events.c.seq).label("seq"))
        .group_by(events.c.draft_id)
        .subquery()
    )
    open_attempts = conn.execute(
        sa.select(events.c.draft_id, events.c.at)
        .join(last, events.c.seq == last.c.seq)
        .where(events.c.action == "send_attempt")
    ).all()
    for draft_id, at in open_attempts:
        conn.execute(
            drafts.update()
            .where(drafts.c.id == draft_id, drafts.c.status == "approved")
            .values(send_claim="unfinished", send_claim_expires=at)
        )


def downgrade() -> None:
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("send_claim_expires")
        batch.drop_column("send_claim")
