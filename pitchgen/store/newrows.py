"""The rows a new draft set writes (its ask; each draft with revision 1 and a "created" event),
as plain dicts of Python values: `pitchgen.store.inserts` writes them through SQLAlchemy and
`pitchgen.store.direct` through sqlite3, so both store the same rows. Nothing here imports
SQLAlchemy: a saving `pitchgen draft` on SQLite does not load it (`pitchgen.store.direct`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pitchgen import telemetry
from pitchgen.ask import Ask
from pitchgen.content.models import Draft, DraftSet

__all__ = ["DRAFT_COLUMNS", "SCHEMA_REVISION", "ask_row", "draft_rows"]

# The newest Alembic revision; a database already there is opened without loading Alembic,
# which keeps CLI start-up fast. tests/test_store.py checks it against the migration scripts.
SCHEMA_REVISION = "0007_model_calls"

# The `drafts` table's columns (tests/store/test_direct.py holds them to the schema's).
DRAFT_COLUMNS = (
    "seq", "id", "ask_id", "channel", "source", "fallback_reason", "model", "prompt_version",
    "status", "version", "content", "text", "checks", "rejected_llm_output", "created_at",
    "updated_at", "sent_at", "message_id", "send_error", "send_claim", "send_claim_expires",
    "kind", "model_calls",
)  # fmt: skip
_DRAFT_FIELDS = set(Draft.model_fields) & set(DRAFT_COLUMNS)
_NO_LEDGER = _DRAFT_FIELDS - {"model_calls"}

Row = dict[str, Any]


def ask_row(ask: Ask, draft_set: DraftSet, now: dt.datetime, partner_id: str | None) -> Row:
    # The partner link is written only when there is one: a store not yet migrated to
    # 0004_partners can still take an ask typed by hand.
    linked = {"partner_id": partner_id} if partner_id is not None else {}
    return {
        "id": draft_set.ask_id, "ask": ask.model_dump(mode="json"),
        "partner": ask.partner.organization, "created_at": now, **linked,
    }  # fmt: skip


def draft_rows(
    ask_id: str, new: list[Draft], actor: str, now: dt.datetime
) -> tuple[list[Row], list[Row], list[Row]]:
    """The `drafts`, `revisions` and `events` rows of drafts of a stored ask, each with
    revision 1 and a "created" event."""
    # Only what there is: drafts made without a model write no ledger column (NULL reads back
    # as none), nor an event a request id outside a request, as before migration 0007.
    fields = _DRAFT_FIELDS if any(d.model_calls for d in new) else _NO_LEDGER
    rows = [d.model_dump(mode="json", include=fields) for d in new]
    if rows and all(r["kind"] == "pitch" for r in rows):
        # The column's default: a pitch is written as an older schema (before 0004) takes it.
        rows = [{k: v for k, v in r.items() if k != "kind"} for r in rows]
    stamp = {"ask_id": ask_id, "created_at": now, "updated_at": now}
    revisions = [
        {"draft_id": r["id"], "author": actor, "created_at": now}
        | {k: r[k] for k in ("version", "content", "text", "checks")}
        for r in rows
    ]
    request_id = telemetry.request_id.get()
    events = [
        {"draft_id": r["id"], "at": now, "actor": actor, "action": "created"}
        | ({"request_id": request_id} if request_id else {})
        | {"from_status": None, "to_status": r["status"]}
        | {"detail": {"source": r["source"], "fallback_reason": r["fallback_reason"]}}
        for r in rows
    ]
    return [r | stamp for r in rows], revisions, events
