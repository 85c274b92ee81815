"""The ledger of model calls on each draft, and the request id on each audit event.

`drafts.model_calls`: every model attempt behind the draft (model, latency, tokens, retries,
re-ask, outcome, estimated cost), read with the draft itself; drafts stored before have none.
`events.request_id`: the HTTP request (its `X-Request-ID`) that wrote the event; null for the
CLI and for events written before.

Revision ID: 0007_model_calls
Revises: 0006_batches
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0007_model_calls"
down_revision = "0006_batches"
branch_labels = None
depends_on = None

_Json = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("drafts") as batch:
        batch.add_column(sa.Column("model_calls", _Json))
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("request_id", sa.String(64)))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("request_id")
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("model_calls")
