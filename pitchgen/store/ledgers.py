"""The model-call ledgers of an ask's drafts (or a batch's asks'), for the sums the service
makes of them: one query over the drafts of those asks, without their content."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from pitchgen.ask.text import STORED
from pitchgen.content.ledger import ModelCall
from pitchgen.errors import NotFound
from pitchgen.store.migrations.schema import asks, drafts

__all__ = ["DraftLedger", "ledgers_of"]


@dataclass(frozen=True)
class DraftLedger:
    draft_id: str
    ask_id: str
    channel: str
    source: str
    fallback_reason: str | None
    model_calls: list[ModelCall]


def ledgers_of(conn: sa.Connection, ask_ids: list[str]) -> list[DraftLedger]:
    wanted = set(ask_ids)
    found = set(conn.execute(sa.select(asks.c.id).where(asks.c.id.in_(wanted))).scalars())
    if missing := sorted(wanted - found):
        raise NotFound(f"no ask with id {missing[0]}")
    columns = (drafts.c.id, drafts.c.ask_id, drafts.c.channel, drafts.c.source,
               drafts.c.fallback_reason, drafts.c.model_calls)  # fmt: skip
    rows = conn.execute(
        sa.select(*columns).where(drafts.c.ask_id.in_(wanted)).order_by(drafts.c.seq)
    )
    return [
        DraftLedger(
            draft_id=row.id,
            ask_id=row.ask_id,
            channel=row.channel,
            source=row.source,
            fallback_reason=row.fallback_reason,
            model_calls=[ModelCall.model_validate(c, context=STORED) for c in calls],
        )
        for row in rows
        for calls in [row.model_calls or []]
    ]
