"""The partner directory (issue 16): one row per organization, keyed by its identity (the
name normalized: see `pitchgen.partners.model.identity`), and on each ask the directory entry
it was drafted for, so an entry's history is a query.

Revision ID: 0004_partners
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_partners"
down_revision = "0003"
branch_labels = None
depends_on = None

_Json = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "partners",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("identity", sa.String(200), nullable=False, unique=True),
        sa.Column("organization", sa.String(200), nullable=False),
        sa.Column("contact_name", sa.String(200)),
        sa.Column("contact_role", sa.String(200)),
        sa.Column("email", sa.String(200)),
        sa.Column("focus", sa.Text),
        sa.Column("can_offer", _Json, nullable=False),
        sa.Column("region", sa.String(20)),
        sa.Column("relationship", sa.Text),
        sa.Column("last_asked", sa.Date),
        sa.Column("tags", _Json, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    # A plain column, no foreign key: SQLite cannot add one to a table in place, and an ask
    # keeps its own copy of the partner block anyway.
    op.add_column("asks", sa.Column("partner_id", sa.String(36)))
    op.create_index("ix_asks_partner_id", "asks", ["partner_id"])


def downgrade() -> None:
    op.drop_index("ix_asks_partner_id", "asks")
    with op.batch_alter_table("asks") as batch:
        batch.drop_column("partner_id")
    op.drop_table("partners")
