"""The draft store's tables as they are after the newest migration.

`pitchgen.store` queries them; Alembic's autogenerate compares a database against them, and
tests/test_store.py checks that the migrations build exactly these. Nothing is ever deleted
from them by the workflow: drafts change state, revisions and events only accumulate.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

__all__ = [
    "Json",
    "api_idempotency",
    "asks",
    "batch_items",
    "batches",
    "commitment_events",
    "commitments",
    "drafts",
    "events",
    "follow_drafts",
    "include_object",
    "metadata",
    "outcomes",
    "partners",
    "render_item",
    "revisions",
]


class Json(sa.TypeDecorator[Any]):
    """JSON, stored as JSONB on PostgreSQL: what `sa.JSON().with_variant(JSONB(), ...)` (the
    migrations' own spelling) declares, except that the PostgreSQL dialect, a tenth of a
    second to import, loads only for a PostgreSQL store. Python's None is JSON `null`, not SQL
    NULL, as with `sa.JSON`: rows read and compare the same whichever wrote them."""

    impl = sa.JSON
    cache_ok = True
    should_evaluate_none = True

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import JSONB

            return dialect.type_descriptor(JSONB())
        return dialect.type_descriptor(sa.JSON())


_Json = Json()
_When = sa.DateTime(timezone=True)
# SQLite only auto-numbers a column declared exactly INTEGER PRIMARY KEY.
_Seq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

metadata = sa.MetaData()
asks = sa.Table(
    "asks",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("ask", _Json, nullable=False),
    sa.Column("partner", sa.String(200), nullable=False, index=True),
    sa.Column("created_at", _When, nullable=False),
    # The directory entry the ask was drafted for (migration 0004_partners), if any.
    sa.Column("partner_id", sa.String(36), index=True),
)
drafts = sa.Table(
    "drafts",
    metadata,
    # `seq` orders the listing (newest first) and its keyset cursor; `id` is what users see.
    sa.Column("seq", _Seq, primary_key=True, autoincrement=True),
    sa.Column("id", sa.String(36), nullable=False, unique=True),
    sa.Column("ask_id", sa.String(36), sa.ForeignKey("asks.id"), nullable=False, index=True),
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
    # The send that may be at the SMTP server now, and until when (migration 0003).
    sa.Column("send_claim", sa.String(32)),
    sa.Column("send_claim_expires", _When),
    # What the draft is for: a pitch, or a follow-through step (migration 0005).
    sa.Column("kind", sa.String(12), nullable=False, server_default="pitch"),
    # Every model attempt behind the draft (migration 0007); null for drafts stored before.
    sa.Column("model_calls", _Json),
    sa.Index("ix_drafts_status_seq", "status", "seq"),
    sa.Index("ix_drafts_channel_seq", "channel", "seq"),
)
revisions = sa.Table(
    "revisions",
    metadata,
    sa.Column("draft_id", sa.String(36), sa.ForeignKey("drafts.id"), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("content", _Json, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("checks", _Json, nullable=False),
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("created_at", _When, nullable=False),
    sa.Column("note", sa.Text),
)
events = sa.Table(
    "events",
    metadata,
    sa.Column("seq", _Seq, primary_key=True, autoincrement=True),
    sa.Column("draft_id", sa.String(36), sa.ForeignKey("drafts.id"), nullable=False, index=True),
    sa.Column("at", _When, nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("action", sa.String(30), nullable=False),
    sa.Column("from_status", sa.String(10)),
    sa.Column("to_status", sa.String(10), nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("detail", _Json),
    # The HTTP request that wrote it (its X-Request-ID; migration 0007); null from the CLI.
    sa.Column("request_id", sa.String(64)),
)
# The API's `Idempotency-Key` records (pitchgen.api.idempotency): scoped by API key.
api_idempotency = sa.Table(
    "api_idempotency",
    metadata,
    sa.Column("scope", sa.String(64), primary_key=True),
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("status", sa.Integer, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("created_at", _When, nullable=False),
)
# The partner directory (migration 0004_partners): `identity` is the organization's name
# normalized (pitchgen.partners.model.identity), so a re-import updates rather than duplicates.
partners = sa.Table(
    "partners",
    metadata,
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
    sa.Column("created_at", _When, nullable=False),
    sa.Column("updated_at", _When, nullable=False),
)

# --- follow-through (migration 0005) ---------------------------------------------------------
# What came of a pitch: every outcome recorded, the newest one standing; the audit event of
# each is in `events`, on the pitch's draft.
outcomes = sa.Table(
    "outcomes",
    metadata,
    sa.Column("seq", _Seq, primary_key=True, autoincrement=True),
    sa.Column("draft_id", sa.String(36), sa.ForeignKey("drafts.id"), nullable=False, index=True),
    sa.Column("ask_id", sa.String(36), sa.ForeignKey("asks.id"), nullable=False, index=True),
    sa.Column("outcome", sa.String(12), nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("at", _When, nullable=False),
    sa.Column("recorded_at", _When, nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
)
# The ledger both ways: one row per promise, opened from the ask when a pitch is accepted.
commitments = sa.Table(
    "commitments",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("ask_id", sa.String(36), sa.ForeignKey("asks.id"), nullable=False),
    sa.Column("owner", sa.String(4), nullable=False),
    sa.Column("what", sa.Text, nullable=False),
    # Where in the ask it comes from ("need.deliverables[0]"): opening twice opens nothing new.
    sa.Column("source", sa.String(60), nullable=False),
    sa.Column("due", sa.Date),
    sa.Column("status", sa.String(8), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created_at", _When, nullable=False),
    sa.Column("updated_at", _When, nullable=False),
    sa.UniqueConstraint("ask_id", "source", name="uq_commitments_ask_source"),
    sa.Index("ix_commitments_status_due", "status", "due"),
)
commitment_events = sa.Table(
    "commitment_events",
    metadata,
    sa.Column("seq", _Seq, primary_key=True, autoincrement=True),
    sa.Column(
        "commitment_id", sa.String(36), sa.ForeignKey("commitments.id"), nullable=False, index=True
    ),
    sa.Column("at", _When, nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("action", sa.String(12), nullable=False),
    sa.Column("from_status", sa.String(8)),
    sa.Column("to_status", sa.String(8), nullable=False),
    sa.Column("due_from", sa.Date),
    sa.Column("due_to", sa.Date),
    sa.Column("note", sa.Text),
)
# Every draft the follow-through wrote, under the key of what it is for ("<ask>:follow_up:1",
# "<commitment>:reminder:<due>"): the key is unique, so no run, however many at once, writes
# the same one twice.
follow_drafts = sa.Table(
    "follow_drafts",
    metadata,
    sa.Column("key", sa.String(120), primary_key=True),
    sa.Column("draft_id", sa.String(36), sa.ForeignKey("drafts.id"), nullable=False, unique=True),
    sa.Column("ask_id", sa.String(36), sa.ForeignKey("asks.id"), nullable=False, index=True),
    sa.Column("pitch_id", sa.String(36), sa.ForeignKey("drafts.id")),
    sa.Column("commitment_id", sa.String(36), sa.ForeignKey("commitments.id")),
    sa.Column("kind", sa.String(12), nullable=False),
    sa.Column("step", sa.String(12), nullable=False),
    sa.Column("due", sa.Date),
    sa.Column("created_at", _When, nullable=False),
)

# One ask to many partners (migration 0006_batches): the batch keeps the ask without its partner
# block;
# each item one partner, its state, and the draft set made for it. `ask_id` is unique and set
# once, in the transaction that stores the draft set, so an item never has two.
batches = sa.Table(
    "batches",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("ask", _Json, nullable=False),
    sa.Column("channels", _Json, nullable=False),
    sa.Column("runner", sa.String(10), nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("source", sa.Text),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("cancelled_at", _When),
    sa.Column("created_at", _When, nullable=False),
)
batch_items = sa.Table(
    "batch_items",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("batch_id", sa.String(36), sa.ForeignKey("batches.id"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    # Where the partner came from: a row of a file (its line) or, later, a directory entry.
    sa.Column("partner", _Json, nullable=False),
    sa.Column("partner_name", sa.String(200), nullable=False),
    sa.Column("source_line", sa.Integer),
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("owner", sa.String(120)),
    sa.Column("lease_expires", _When),
    sa.Column("ask_id", sa.String(36), sa.ForeignKey("asks.id"), unique=True),
    sa.Column("fallbacks", sa.Integer, nullable=False),
    sa.Column("outcome", _Json),
    sa.Column("error", sa.Text),
    sa.Column("updated_at", _When, nullable=False),
    sa.UniqueConstraint("batch_id", "position", name="uq_batch_items_position"),
    sa.Index("ix_batch_items_state", "batch_id", "state"),
)


def include_object(obj: object, name: str | None, type_: str, *_: object) -> bool:
    """What Alembic compares with these tables: not the batch queue's own (`procrastinate_*`,
    applied by migration 0006_batches from Procrastinate's schema)."""
    table = getattr(obj, "table", obj)
    return not str(getattr(table, "name", name) or "").startswith("procrastinate_")


def render_item(type_: str, obj: object, autogen_context: Any) -> str | bool:
    """How `alembic revision --autogenerate` writes a `Json` column: in the migrations' own
    spelling, so a migration never imports pitchgen's code, which moves on after it."""
    if type_ == "type" and isinstance(obj, Json):
        autogen_context.imports.add("from sqlalchemy.dialects import postgresql")
        return 'sa.JSON().with_variant(postgresql.JSONB(), "postgresql")'
    return False
