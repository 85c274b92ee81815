"""The draft store: asks, drafts, their revisions and review events, kept in SQLite or PostgreSQL.

Every public method is one transaction, so a process killed mid-request leaves no half-written
draft, nor a draft set without the `Idempotency-Key` record that replays it. Nothing here
deletes a row: the workflow only ever adds revisions and events. Database errors surface as
`StoreError`, whose message never carries the database password.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import dialect as sqlite_dialect

from pitchgen import telemetry
from pitchgen.ask import Ask
from pitchgen.ask.text import STORED
from pitchgen.content.models import CheckResult, DraftSet
from pitchgen.errors import InvalidInput, NotFound, Problem, StoreError
from pitchgen.store import claims
from pitchgen.store.cache import ChangeCache, cacheable
from pitchgen.store.database import describe_url, error_message, open_engine
from pitchgen.store.idempotency import DEFAULT_WINDOW, PURGE_EVERY
from pitchgen.store.inserts import KeyTaken, insert_draft_set, keep
from pitchgen.store.ledgers import DraftLedger, ledgers_of
from pitchgen.store.migrations.schema import (
    api_idempotency,
    asks,
    batch_items,
    drafts,
    events,
    revisions,
)
from pitchgen.store.newrows import SCHEMA_REVISION
from pitchgen.store.pages import (
    MAX_PAGE,
    MAX_REVISION_PAGE,
    REVISION_PAGE,
    Listing,
    decode_cursor,
    encode_cursor,
    filter_problems,
    known_form,
)
from pitchgen.store.rows import (
    Change,
    Event,
    IdempotencyRecord,
    Revision,
    StaleVersion,
    StoredDraft,
    draft_row,
    row_model,
    utc,
)

__all__ = [
    "MAX_PAGE",
    "MAX_REVISION_PAGE",
    "REVISION_PAGE",
    "SCHEMA_REVISION",
    "Listing",
    "StaleVersion",
    "Store",
    "describe_url",
]

_MIGRATIONS = Path(__file__).with_name("migrations")


# Reads by id are built once: a statement built per call costs more to construct, and to
# match to SQLAlchemy's compiled cache, than SQLite takes to run it.
_DRAFT_BY_ID = drafts.select().where(drafts.c.id == sa.bindparam("id"))
# What a cached draft is made from, read raw on the cache's own connection (see `cache`).
_RAW_DRAFT_BY_ID = str(_DRAFT_BY_ID.compile(dialect=sqlite_dialect()))
_ASK_BY_ID = sa.select(asks.c.ask).where(asks.c.id == sa.bindparam("id"))
_REVISIONS_OF = (
    revisions.select()
    .where(revisions.c.draft_id == sa.bindparam("id"))
    .order_by(revisions.c.version)
)
_KEPT = (api_idempotency.c.fingerprint, api_idempotency.c.status, api_idempotency.c.body)
_EVENTS_OF = events.select().where(events.c.draft_id == sa.bindparam("id")).order_by(events.c.seq)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _checks_json(checks: list[CheckResult]) -> list[dict]:
    return [c.model_dump(mode="json") for c in checks]


class Store:
    """The repository over one database; build it with `Store.from_url`."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._url = engine.url
        self._sqlite = engine.url.get_backend_name() == "sqlite"
        # SQLite takes one writer at a time. Writers of this process queue here, in order and
        # without a connection, rather than each holding one while SQLite's busy handler polls
        # and sleeps; other processes' writers still wait on the busy timeout.
        self._writer: AbstractContextManager[Any] = (
            threading.Lock() if self._sqlite else nullcontext()
        )
        # When expired idempotency records were last swept (see `kept_response`).
        self._purged_at: dt.datetime | None = None
        # Whether a read may wait: on a server across the network, yes. On SQLite in WAL mode a
        # reader never waits for a writer, so a read is only this process's CPU and page cache.
        self.reads_wait = not self._sqlite
        # Whether a send claim has lapsed is judged by this clock; tests move it forward.
        self.clock = _now
        path = cacheable(engine.url)
        self._cache: ChangeCache[StoredDraft] | None = (
            ChangeCache(path, _RAW_DRAFT_BY_ID) if path else None
        )

    @classmethod
    def from_url(cls, url: str, *, upgrade: bool = True) -> Store:
        """Open the store at a SQLAlchemy URL and, unless told not to, migrate it to the newest
        schema. A malformed URL, a missing driver or an unreachable server is a `StoreError`."""
        store = cls(open_engine(url))
        if upgrade:
            store.upgrade()
        return store

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()
        self.engine.dispose()

    def upgrade(self) -> None:
        """Apply any pending Alembic migrations, one process at a time."""
        with self._write() as conn:
            if conn.dialect.name == "postgresql":
                # Two servers starting together must not both create the tables.
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('pitchgen.upgrade'))"))
            if self._schema_revision(conn) == SCHEMA_REVISION:
                return
            from alembic import command
            from alembic.config import Config

            config = Config()
            config.set_main_option("script_location", str(_MIGRATIONS).replace("%", "%%"))
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    def ping(self) -> None:
        """Raise `StoreError` unless the database answers (readiness)."""
        with self._read() as conn:
            conn.execute(sa.text("SELECT 1"))

    # --- writes -----------------------------------------------------------------------------

    def save_draft_set(
        self,
        ask: Ask,
        draft_set: DraftSet,
        *,
        actor: str = "pitchgen",
        idempotency: IdempotencyRecord | None = None,
        partner_id: str | None = None,
    ) -> bool:
        """Store the ask and its drafts, each with revision 1 and a "created" event, and in the
        same transaction the `idempotency` record that replays them, if one is given.

        False, with nothing stored, if a record under that key was kept first: another server
        process took the same retry, and its record is the response to replay. `partner_id`:
        the directory entry the ask was drafted for.

        `pitchgen.store.direct` writes the same rows for a saving CLI draft on SQLite without
        this class: what is added here (a statement, a check) is added there too."""
        now = _now()
        try:
            with self._write() as conn:
                if idempotency is not None:
                    keep(conn, idempotency, now)
                insert_draft_set(conn, ask, draft_set, actor, now, partner_id)
        except KeyTaken:
            return False
        return True

    def apply(self, draft: StoredDraft, change: Change) -> StoredDraft:
        """Write one workflow step, with its event and (for an edit) its revision, only if the
        draft is still at the version and status it was read with; else `StaleVersion`.

        This compare-and-set is what keeps concurrent edits from losing an update. It also
        refuses (`claims.SendInProgress`) while a send is at the SMTP server, and clears a claim
        whose sender gave up, so that a reopened draft can be approved and sent again."""
        now = self.clock()
        values: dict[str, Any] = {
            "status": change.to_status,
            "updated_at": now,
            "send_error": change.send_error,
            **claims.RELEASED,
        }
        if change.sent_at is not None:
            values["sent_at"] = change.sent_at
        if change.message_id is not None:
            values["message_id"] = change.message_id
        rev = change.revision
        if rev is not None:
            values |= {
                "version": draft.version + 1,
                "content": rev.content,
                "text": rev.text,
                "checks": _checks_json(rev.checks),
            }
        with self._write() as conn:
            updated = conn.execute(
                drafts.update()
                .where(
                    drafts.c.id == draft.id,
                    drafts.c.version == draft.version,
                    drafts.c.status == draft.status,
                    claims.unclaimed(now),
                )
                .values(**values)
                .returning(*drafts.c)
            ).first()
            if updated is None:
                if held := claims.refusal(conn, draft, now):
                    raise held
                current = self._one(conn, draft.id)
                raise StaleVersion(draft.id, current.version, current.status)
            if rev is not None:
                conn.execute(
                    revisions.insert().values(
                        draft_id=draft.id, version=values["version"], content=rev.content,
                        text=rev.text, checks=values["checks"], author=change.actor,
                        created_at=now, note=rev.note,
                    )
                )  # fmt: skip
            conn.execute(
                events.insert().values(
                    draft_id=draft.id, at=now, actor=change.actor, action=change.action,
                    from_status=draft.status, to_status=change.to_status, reason=change.reason,
                    detail=change.detail, request_id=telemetry.request_id.get(),
                )
            )  # fmt: skip
            return draft_row(updated)

    def claim_send(
        self, draft: StoredDraft, change: Change, token: str, until: dt.datetime
    ) -> StoredDraft:
        """Claim the approved `draft` as read for one send until `until` (see `claims`), with
        its `send_attempt` event; `SendInProgress` while another send holds it, else
        `StaleVersion` when it moved on."""
        now = self.clock()
        with self._write() as conn:
            row = claims.claim(conn, draft, change, token, until, now)
            if row is None:
                if held := claims.refusal(conn, draft, now):
                    raise held
                current = self._one(conn, draft.id)
                raise StaleVersion(draft.id, current.version, current.status)
            return draft_row(row)

    def settle_send(self, draft_id: str, token: str, change: Change) -> StoredDraft | None:
        """Record how the send holding `token` ended (see `claims.settle`)."""
        with self._write() as conn:
            row = claims.settle(conn, draft_id, token, change, self.clock())
            return None if row is None else draft_row(row)

    # --- reads ------------------------------------------------------------------------------

    def get_draft(self, draft_id: str) -> StoredDraft:
        """The draft as stored (the same object until the database changes: treat it as read
        only)."""
        known_form(draft_id, "draft")
        if self._cache is not None:
            with self._errors():
                return self._cache.get(draft_id, lambda: self._read_draft(draft_id))
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

    def kept_response(
        self, scope: str, key: str, window: dt.timedelta = DEFAULT_WINDOW
    ) -> IdempotencyRecord | None:
        """The response kept under an `Idempotency-Key` (see `save_draft_set`), unless it is
        older than `window`: an expired key is a new one, and its record goes (with, about once
        an hour, every other expired one)."""
        now = _now()
        cutoff = now - window
        this = (api_idempotency.c.scope == scope, api_idempotency.c.key == key)
        with self._read() as conn:
            row = conn.execute(sa.select(*_KEPT, api_idempotency.c.created_at).where(*this)).first()
        expired = row is not None and utc(row.created_at) < cutoff
        purge = self._purged_at is None or now - self._purged_at >= PURGE_EVERY
        if expired or purge:
            with self._write() as conn:
                if purge:
                    self._purged_at = now
                    conn.execute(
                        api_idempotency.delete().where(api_idempotency.c.created_at < cutoff)
                    )
                if expired:
                    conn.execute(api_idempotency.delete().where(*this))
        return IdempotencyRecord(scope, key, *row[:3]) if row and not expired else None

    def revisions(self, draft_id: str) -> list[Revision]:
        """Every revision of a draft, oldest first."""
        known_form(draft_id, "draft")
        with self._read(snapshot=True) as conn:
            rows = conn.execute(_REVISIONS_OF, {"id": draft_id}).all()
            if not rows:
                self._one(conn, draft_id)
        return [row_model(Revision, r, "created_at") for r in rows]

    def events(self, draft_id: str) -> list[Event]:
        """The draft's audit log, oldest first: who did what, when, and why."""
        known_form(draft_id, "draft")
        with self._read(snapshot=True) as conn:
            rows = conn.execute(_EVENTS_OF, {"id": draft_id}).all()
            if not rows:
                self._one(conn, draft_id)
        return [row_model(Event, r, "at") for r in rows]

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

    # --- plumbing ---------------------------------------------------------------------------

    @staticmethod
    def _one(conn: sa.Connection, draft_id: str) -> StoredDraft:
        row = conn.execute(_DRAFT_BY_ID, {"id": draft_id}).first()
        if row is None:
            raise NotFound(f"no draft with id {draft_id}")
        return draft_row(row)

    @staticmethod
    def _schema_revision(conn: sa.Connection) -> str | None:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()

    @contextmanager
    def _read(self, *, snapshot: bool = False) -> Iterator[sa.Connection]:
        """A read: one statement is its own transaction; `snapshot` holds one transaction across
        several, so that they see the same moment."""
        with self._errors(), self.engine.connect() as conn:
            if snapshot and self._sqlite:
                conn.exec_driver_sql("BEGIN")
            yield conn

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        with self._writer, self._errors(), self.engine.connect() as conn, conn.begin():
            if self._sqlite:
                # IMMEDIATE: two writers queue on the busy timeout instead of one failing
                # mid-transaction when it finds it cannot upgrade its read lock.
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            yield conn

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sa.exc.DBAPIError as exc:
            raise StoreError(error_message(self._url, exc.orig)) from None
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(error_message(self._url, exc)) from None
