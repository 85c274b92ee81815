"""The draft store: asks, drafts, their revisions and review events, kept in SQLite or PostgreSQL.

Every public method is one transaction, so a process killed mid-request leaves no half-written
draft, nor a draft set without the `Idempotency-Key` record that replays it. Nothing here
deletes a row: the workflow only ever adds revisions and events. Database errors surface as
`StoreError`, whose message never carries the database password.

Here: opening, migrating and closing the store, and the connections every method runs on.
The methods themselves are in `pitchgen.store.reads` and `pitchgen.store.writes`; the names
other modules import from here (`Store`, `StaleVersion`, `Listing`, the page sizes) stay here.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from pitchgen.errors import StoreError
from pitchgen.store.cache import ChangeCache, cacheable
from pitchgen.store.database import describe_url, error_message, open_engine
from pitchgen.store.newrows import SCHEMA_REVISION
from pitchgen.store.pages import MAX_PAGE, MAX_REVISION_PAGE, REVISION_PAGE, Listing
from pitchgen.store.reads import RAW_DRAFT_BY_ID, DraftReads
from pitchgen.store.rows import StaleVersion, StoredDraft
from pitchgen.store.writes import DraftWrites, _now

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


class Store(DraftReads, DraftWrites):
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
            ChangeCache(path, RAW_DRAFT_BY_ID) if path else None
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

    # --- plumbing: the connections the reads and writes run on ----------------------------

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
        except sa.exc.SQLAlchemyError as exc:
            raise self._store_error(exc) from None

    def _store_error(self, exc: sa.exc.SQLAlchemyError) -> StoreError:
        """What `_errors` raises for `exc` (for a read too frequent for a context manager)."""
        found = exc.orig if isinstance(exc, sa.exc.DBAPIError) else exc
        return StoreError(error_message(self._url, found))
