"""Follow-through (issue 14): what each draft is for (`drafts.kind`), what came of a pitch
(`outcomes`), the commitments both ways and their history (`commitments`,
`commitment_events`), and the drafts the follow-through wrote, each under a unique key so that
no run writes one twice (`follow_drafts`). Every existing draft is a pitch.

Revision ID: 0005_follow
Revises: 0004_partners
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_follow"
down_revision = "0004_partners"
branch_labels = None
depends_on = None

_When = sa.DateTime(timezone=True)
_Seq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("drafts") as batch:
        batch.add_column(sa.Column("kind", sa.String(12), nullable=False, server_default="pitch"))
    op.create_table(
        "outcomes",
        sa.Column("seq", _Seq, primary_key=True, autoincrement=True),
        sa.Column("draft_id", sa.String(36), sa.ForeignKey("drafts.id"), nullable=False),
        sa.Column("ask_id", sa.String(36), sa.ForeignKey("asks.id"), nullable=False),
        sa.Column("outcome", sa.String(12), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("at", _When, nullable=False),
        sa.Column("recorded_at", _When, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
    )
    op.create_index("ix_outcomes_draft_id", "outcomes", ["draft_id"])
    op.create_index("ix_outcomes_ask_id", "outcomes", ["ask_id"])
    op.create_table(
        "commitments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("ask_id", sa.String(36), sa.ForeignKey("asks.id"), nullable=False),
        sa.Column("owner", sa.String(4), nullable=False),
        sa.Column("what", sa.Text, nullable=False),
        sa.Column("source", sa.String(60), nullable=False),
        sa.Column("due", sa.Date),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", _When, nullable=False),
        sa.Column("updated_at", _When, nullable=False),
        sa.UniqueConstraint("ask_id", "source", name="uq_commitments_ask_source"),
    )
    op.create_index("ix_commitments_status_due", "commitments", ["status", "due"])
    op.create_table(
        "commitment_events",
        sa.Column("seq", _Seq, primary_key=True, autoincrement=True),
        sa.Column("commitment_id", sa.String(36), sa.ForeignKey("commitments.id"), nullable=False),
        sa.Column("at", _When, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("action", sa.String(12), nullable=False),
        sa.Column("from_status", sa.String(8)),
        sa.Column("to_status", sa.String(8), nullable=False),
        sa.Column("due_from", sa.Date),
        sa.Column("due_to", sa.Date),
        sa.Column("note", sa.Text),
    )
    op.create_index("ix_commitment_events_commitment_id", "commitment_events", ["commitment_id"])
    op.create_table(
        "follow_drafts",
        sa.Column("key", sa.String(120), primary_key=True),
        sa.Column(
            "draft_id", sa.String(36), sa.ForeignKey("drafts.id"), nullable=False, unique=True
        ),
        sa.Column("ask_id", sa.String(36), sa.ForeignKey("asks.id"), nullable=False),
        sa.Column("pitch_id", sa.String(36), sa.ForeignKey("drafts.id")),
        sa.Column("commitment_id", sa.String(36), sa.ForeignKey("commitments.id")),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("step", sa.String(12), nullable=False),
        sa.Column("due", sa.Date),
        sa.Column("created_at", _When, nullable=False),
    )
    op.create_index("ix_follow_drafts_ask_id", "follow_drafts", ["ask_id"])


def downgrade() -> None:
    op.drop_table("follow_drafts")
    op.drop_table("commitment_events")
    op.drop_table("commitments")
    op.drop_table("outcomes")
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("kind")
