"""Follow-through test helpers: the example asks and a pitch that went out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa

from pitchgen.ask import Ask, Channel
from pitchgen.review import workflow
from pitchgen.service import Service
from pitchgen.store.migrations.schema import drafts
from pitchgen.store.rows import StoredDraft

ASKS = Path(__file__).resolve().parent.parent / "fixtures" / "asks"
SUMMIT = ASKS / "summit-venue.yaml"
SPONSOR = ASKS / "sponsorship-negotiable.yaml"
EXPERTISE = ASKS / "expertise-no-budget.json"


def send_pitch(
    service: Service,
    ask: Ask,
    channel: Channel = Channel.email,
    sent_at: dt.datetime | None = None,
) -> StoredDraft:
    """Draft `ask` for `channel` from the templates, approve it and record it as sent (at
    `sent_at`, when given)."""
    drafted = service.draft(ask, [channel], llm="off")
    service.save(ask, drafted, "tester")
    (made,) = drafted.drafts
    assert not made.must_failures
    store = service.store()
    workflow.approve(store, made.id, "tester")
    message_id = "<pitch@example.org>" if channel == Channel.email else None
    done = None if message_id else "call made"
    sent = workflow.mark_sent(store, made.id, "tester", message_id, done=done)
    return sent if sent_at is None else sent_on(service, sent.id, sent_at)


def send(service: Service, draft_id: str, at: dt.datetime) -> StoredDraft:
    """Approve a follow-through draft and record it as sent at `at`."""
    store = service.store()
    workflow.approve(store, draft_id, "tester")
    workflow.mark_sent(store, draft_id, "tester", "<follow@example.org>")
    return sent_on(service, draft_id, at)


def sent_on(service: Service, draft_id: str, at: dt.datetime) -> StoredDraft:
    """Move a sent draft's send time: the workflow stamps the real clock, and these tests
    need the dates the asks plan around."""
    store = service.store()
    with store.engine.begin() as conn:
        conn.execute(sa.update(drafts).where(drafts.c.id == draft_id).values(sent_at=at))
    return store.get_draft(draft_id)


def at(day: str, hour: int = 15) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=dt.UTC)
