"""The store's reads: a draft by id (through the change cache), its ask, its revisions and
audit log (whole or a page at a time), the ledgers of asks' drafts, and the filtered listing.

`DraftReads` is mixed into `Store` (`pitchgen.store.repository`), whose `_read` and `_errors`
open the connections; the writes (`pitchgen.store.writes`) read a draft back with `_one`.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import dialect as sqlite_dialect

from pitchgen.ask import Ask
from pitchgen.ask.text import STORED
from pitchgen.errors import InvalidInput, NotFound, Problem
from pitchgen.store.ledgers import DraftLedger, ledgers_of
from pitchgen.store.migrations.schema import asks, batch_items, drafts, events, revisions
from pitchgen.store.pages import (
    MAX_PAGE,
    REVISION_PAGE,
    Listing,
    decode_cursor,
    encode_cursor,
    filter_problems,
    known_form,
)
from pitchgen.store.rows import Event, Revision, StoredDraft, draft_row, row_model

__all__ = ["RAW_DRAFT_BY_ID", "DraftReads"]

# Reads by id are built once: a statement built per call costs more to construct, and to
# match to SQLAlchemy's compiled cache, than SQLite takes to run it.
_DRAFT_BY_ID = drafts.select().where(drafts.c.id == sa.bindparam("id"))
# What a cached draft is made from, read raw on the cache's own connection (see `cache`).
RAW_DRAFT_BY_ID = str(_DRAFT_BY_ID.compile(dialect=sqlite_dialect()))
_ASK_BY_ID = sa.select(asks.c.ask).where(asks.c.id == sa.bindparam("id"))
_REVISIONS_OF = (
    revisions.select()
    .where(revisions.c.draft_id == sa.bindparam("id"))
    .order_by(revisions.c.version)
)
_EVENTS_OF = events.select().where(events.c.draft_id == sa.bindparam("id")).order_by(events.c.seq)


class DraftReads:
    """The reading methods of `Store`."""

    def get_draft(self, draft_id: str) -> StoredDraft:
        """The draft as stored (the same object until the database changes: treat it as read
        only)."""
        known_form(draft_id, "draft")
        if self._cache is not None:
            # As `with self._errors()`, without a generator's frame on each cached read.
            try:
                return self._cache.get(draft_id, lambda: self._read_draft(draft_id))
            except sa.exc.SQLAlchemyError as exc:
                raise self._store_error(exc) from None
        return self._read_draft(draft_id)

    def _read_draft(self, draft_id: str) -> StoredDraft:
        with self._read() as conn:
            return self._one(conn, draft_id)

    def ledgers(self, ask_ids: list[str]) -> list[DraftLedger]:
        """Each draft of the asks, oldest first, with its model calls; NotFound for an ask
        that is not stored."""
        for ask_id in ask_ids:
            known_form(ask_id, "ask")
        with self._read(snapshot=True) as conn:
            return ledgers_of(conn, ask_ids)

    def get_ask(self, ask_id: str) -> Ask:
        known_form(ask_id, "ask")
        with self._read() as conn:
            data = conn.execute(_ASK_BY_ID, {"id": ask_id}).scalar()
        if data is None:
            raise NotFound(f"no ask with id {ask_id}")
        return Ask.model_validate(data, context=STORED)

    def list_drafts(
        self,
        *,
        status: str | None = None,
        channel: str | None = None,
        partner: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
        batch: str | None = None,
    ) -> Listing:
        """Drafts newest first, filtered by exact status and channel, by partner organization
        (case-insensitive substring) and by the batch that made them, each with its partner's
        name, in one query."""
        problems = filter_problems(status, channel, limit, partner, batch)
        if problems:
            raise InvalidInput(problems)
        query = (
            sa.select(drafts, asks.c.partner.label("partner_name"))
            .join(asks, asks.c.id == drafts.c.ask_id)
            .order_by(drafts.c.seq.desc())
            .limit(limit + 1)
        )
        if status:
            query = query.where(drafts.c.status == status)
        if channel:
            query = query.where(drafts.c.channel == str(channel))
        if partner:
            query = query.where(asks.c.partner.icontains(partner, autoescape=True))
        if batch:
            of_batch = sa.select(batch_items.c.ask_id).where(batch_items.c.batch_id == batch)
            query = query.where(drafts.c.ask_id.in_(of_batch))
        if cursor:
            query = query.where(drafts.c.seq < decode_cursor(cursor))
        with self._read() as conn:
            rows = conn.execute(query).all()
        more = len(rows) > limit
        rows = rows[:limit]
        return Listing(
            drafts=[draft_row(r) for r in rows],
            partners={r.ask_id: r.partner_name for r in rows},
            next_cursor=encode_cursor(rows[-1].seq) if more else None,
        )

    def revisions(self, draft_id: str) -> list[Revision]:
        """Every revision of a draft, oldest first."""
        rows = self._history(_REVISIONS_OF, draft_id)
        return [row_model(Revision, r, "created_at") for r in rows]

    def events(self, draft_id: str) -> list[Event]:
        """The draft's audit log, oldest first: who did what, when, and why."""
        return [row_model(Event, r, "at") for r in self._history(_EVENTS_OF, draft_id)]

    def _history(self, query: sa.Select, draft_id: str) -> list[sa.Row]:
        """The draft's rows of `query`, in one snapshot; NotFound if there is no such draft
        (a stored draft always has its first revision and event)."""
        known_form(draft_id, "draft")
        with self._read(snapshot=True) as conn:
            rows = conn.execute(query, {"id": draft_id}).all()
            if not rows:
                self._one(conn, draft_id)
        return list(rows)

    def revision_page(
        self, draft_id: str, *, limit: int = REVISION_PAGE, cursor: str | None = None
    ) -> tuple[list[Revision], str | None]:
        """A page of a draft's revisions, oldest first, and the cursor of the next or None."""
        rows, next_cursor = self._page(revisions, revisions.c.version, draft_id, limit, cursor)
        return [row_model(Revision, r, "created_at") for r in rows], next_cursor

    def event_page(
        self, draft_id: str, *, limit: int = MAX_PAGE, cursor: str | None = None
    ) -> tuple[list[Event], str | None]:
        """A page of a draft's audit log, oldest first, and the cursor of the next or None."""
        rows, next_cursor = self._page(events, events.c.seq, draft_id, limit, cursor)
        return [row_model(Event, r, "at") for r in rows], next_cursor

    def _page(
        self, table: sa.Table, order: sa.Column, draft_id: str, limit: int, cursor: str | None
    ) -> tuple[list[sa.Row], str | None]:
        # Keyset pagination on a column that only grows: a page is never skewed by rows added
        # while a client walks the pages, and a deep page costs no more than the first.
        known_form(draft_id, "draft")
        if not 1 <= limit <= MAX_PAGE:
            raise InvalidInput([Problem("limit", f"must be between 1 and {MAX_PAGE}")])
        query = table.select().where(table.c.draft_id == draft_id).order_by(order)
        if cursor:
            query = query.where(order > decode_cursor(cursor))
        with self._read(snapshot=True) as conn:
            rows = conn.execute(query.limit(limit + 1)).all()
            if not rows:
                self._one(conn, draft_id)
        more = len(rows) > limit
        rows = rows[:limit]
        return rows, encode_cursor(getattr(rows[-1], order.name)) if more else None

    @staticmethod
    def _one(conn: sa.Connection, draft_id: str) -> StoredDraft:
        row = conn.execute(_DRAFT_BY_ID, {"id": draft_id}).first()
        if row is None:
            raise NotFound(f"no draft with id {draft_id}")
        return draft_row(row)
