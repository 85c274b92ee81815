"""Idempotency records for `POST /v1/drafts`, kept in the store so every server process sees them.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Early builds of the API created this table themselves; such a database already has it.
    # (An offline SQL script cannot look, and is meant for a database that never ran them.)
    if not context.is_offline_mode() and sa.inspect(op.get_bind()).has_table("api_idempotency"):
        return
    op.create_table(
        "api_idempotency",
        sa.Column("scope", sa.String(64), primary_key=True),
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("api_idempotency")
