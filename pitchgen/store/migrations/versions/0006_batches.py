"""Batches: one ask to many partners, each partner an item with its state and its draft set.

On PostgreSQL the batch queue's own tables (Procrastinate's schema) are applied here too, when
Procrastinate is installed (`pitchgen[postgres]`), so a worker needs no separate set-up step.

Revision ID: 0006_batches
Revises: 0005_follow
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0006_batches"
down_revision = "0005_follow"
branch_labels = None
depends_on = None

_When = sa.DateTime(timezone=True)


def _json() -> sa.types.TypeEngine:
    from sqlalchemy.dialects.postgresql import JSONB

    return sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "batches",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("ask", _json(), nullable=False),
        sa.Column("channels", _json(), nullable=False),
        sa.Column("runner", sa.String(10), nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("cancelled_at", _When),
        sa.Column("created_at", _When, nullable=False),
    )
    op.create_table(
        "batch_items",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("batch_id", sa.String(36), sa.ForeignKey("batches.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("partner", _json(), nullable=False),
        sa.Column("partner_name", sa.String(200), nullable=False),
        sa.Column("source_line", sa.Integer),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("owner", sa.String(120)),
        sa.Column("lease_expires", _When),
        sa.Column("ask_id", sa.String(36), sa.ForeignKey("asks.id"), unique=True),
        sa.Column("fallbacks", sa.Integer, nullable=False),
        sa.Column("outcome", _json()),
        sa.Column("error", sa.Text),
        sa.Column("updated_at", _When, nullable=False),
        sa.UniqueConstraint("batch_id", "position", name="uq_batch_items_position"),
    )
    op.create_index("ix_batch_items_state", "batch_items", ["batch_id", "state"])
    if not context.is_offline_mode() and op.get_bind().dialect.name == "postgresql":
        apply_queue_schema(op.get_bind())


def apply_queue_schema(conn: sa.Connection) -> None:
    """Procrastinate's tables, functions and triggers, unless they are there or it is not
    installed (then `pitchgen worker` says to install `pitchgen[postgres]`)."""
    try:
        from procrastinate.schema import SchemaManager
    except ImportError:
        return
    if sa.inspect(conn).has_table("procrastinate_jobs"):
        return
    # Through the driver's cursor without parameters: the schema's own '%' are not placeholders.
    with conn.connection.dbapi_connection.cursor() as cursor:  # type: ignore[union-attr]
        cursor.execute(SchemaManager.get_schema())


def downgrade() -> None:
    op.drop_index("ix_batch_items_state", "batch_items")
    op.drop_table("batch_items")
    op.drop_table("batches")
