"""The draft store: asks, drafts, revisions and review events.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_Json = sa.JSON().with_variant(JSONB(), "postgresql")
_When = sa.DateTime(timezone=True)
_Seq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "asks",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("ask", _Json, nullable=False),
        sa.Column("partner", sa.String(200), nullable=False),
        sa.Column("created_at", _When, nullable=False),
    )
    op.create_index("ix_asks_partner", "asks", ["partner"])
    op.create_table(
        "drafts",
        sa.Column("seq", _Seq, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(36), nullable=False, unique=True),
        sa.Column("ask_id", sa.String(36), sa.ForeignKey("asks.id"), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("fallback_reason", sa.String(30)),
        sa.Column("model", sa.Text),
        sa.Column("prompt_version", sa.String(100), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("content", _Json, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("checks", _Json, nullable=False),
        sa.Column("rejected_llm_output", _Json),
        sa.Column("created_at", _When, nullable=False),
        sa.Column("updated_at", _When, nullable=False),
        sa.Column("sent_at", _When),
        sa.Column("message_id", sa.Text),
        sa.Column("send_error", sa.Text),
    )
    op.create_index("ix_drafts_ask_id", "drafts", ["ask_id"])
    op.create_index("ix_drafts_status_seq", "drafts", ["status", "seq"])
    op.create_index("ix_drafts_channel_seq", "drafts", ["channel", "seq"])
    op.create_table(
        "revisions",
        sa.Column("draft_id", sa.String(36), sa.ForeignKey("drafts.id"), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("content", _Json, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("checks", _Json, nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("created_at", _When, nullable=False),
        sa.Column("note", sa.Text),
    )
    op.create_table(
        "events",
        sa.Column("seq", _Seq, primary_key=True, autoincrement=True),
        sa.Column("draft_id", sa.String(36), sa.ForeignKey("drafts.id"), nullable=False),
        sa.Column("at", _When, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("from_status", sa.String(10)),
        sa.Column("to_status", sa.String(10), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("detail", _Json),
    )
    op.create_index("ix_events_draft_id", "events", ["draft_id"])


def downgrade() -> None:
    op.drop_table("events")
    op.drop_table("revisions")
    op.drop_table("drafts")
    op.drop_table("asks")
