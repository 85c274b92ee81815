"""`Idempotency-Key` for `POST /v1/drafts`: the first response is kept, and replayed for a retry
with the same body instead of drafting again.

Records live in the store's database (table `api_idempotency`, created by its migrations), so
every server process behind a load balancer sees them. The store writes each in the transaction
that stores its drafts (`Store.save_draft_set`), so a crash cannot keep one without the other.
Keys are scoped by API key: one client cannot replay another's drafts. A record lasts one
window (a day by default); expired ones are deleted as they are met, and all of them about
once an hour per server process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa

from pitchgen.errors import Conflict, InvalidInput, Problem, StoreError
from pitchgen.migrations.schema import api_idempotency as _records
from pitchgen.records import IdempotencyRecord

__all__ = ["DEFAULT_WINDOW", "MAX_KEY_LENGTH", "Idempotency", "check_key", "fingerprint"]

MAX_KEY_LENGTH = 255
# How long a retry replays the first response (PITCHGEN_IDEMPOTENCY_WINDOW_HOURS); after it the
# key is new again. Clients retry within minutes; a day covers a client that was down overnight.
DEFAULT_WINDOW = dt.timedelta(hours=24)
PURGE_EVERY = dt.timedelta(hours=1)


def _utc(value: dt.datetime) -> dt.datetime:
    # SQLite hands timestamps back without their offset; every one we write is UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def fingerprint(payload: Any) -> str:
    """The same JSON body, however it is spaced or ordered, gives the same fingerprint."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_key(key: str) -> str:
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise InvalidInput(
            [
                Problem(
                    "Idempotency-Key",
                    f"must be 1 to {MAX_KEY_LENGTH} printable ASCII characters",
                )
            ]
        )
    return key


class Idempotency:
    """Reads the kept records (the store writes them), and holds the keys this process is
    working on right now."""

    def __init__(
        self,
        engine: sa.Engine,
        window: dt.timedelta = DEFAULT_WINDOW,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self._engine = engine
        self._window = window
        self._clock = clock
        self._in_flight: set[tuple[str, str]] = set()
        self._purged_at: dt.datetime | None = None

    @contextmanager
    def claim(self, scope: str, key: str) -> Iterator[None]:
        """Hold `key` for one request; a concurrent retry gets 409 rather than a second draft."""
        slot = (scope, check_key(key))
        if slot in self._in_flight:
            raise Conflict(
                "a request with this Idempotency-Key is still being processed; retry shortly"
            )
        self._in_flight.add(slot)
        try:
            yield
        finally:
            self._in_flight.discard(slot)

    def get(self, scope: str, key: str) -> IdempotencyRecord | None:
        """The record kept under `key`, unless it is older than the window: an expired key is
        a new one, and its old record goes (with, once in a while, every other expired one)."""
        columns = (_records.c.fingerprint, _records.c.status, _records.c.body)
        this = (_records.c.scope == scope, _records.c.key == key)
        cutoff = self._clock() - self._window
        with self._errors(), self._engine.begin() as conn:
            self._purge_now_and_then(conn, cutoff)
            row = conn.execute(sa.select(*columns, _records.c.created_at).where(*this)).first()
            if row is not None and _utc(row.created_at) < cutoff:
                conn.execute(_records.delete().where(*this))
                return None
        return IdempotencyRecord(scope, key, *row[:3]) if row else None

    def _purge_now_and_then(self, conn: sa.Connection, cutoff: dt.datetime) -> None:
        # Once per process and hour is enough to keep the table to about one window of
        # records; a scan per request would cost more than the records themselves.
        now = self._clock()
        if self._purged_at is None or now - self._purged_at >= PURGE_EVERY:
            self._purged_at = now
            conn.execute(_records.delete().where(_records.c.created_at < cutoff))

    @staticmethod
    def replay(record: IdempotencyRecord, payload_fingerprint: str) -> IdempotencyRecord:
        if record.fingerprint != payload_fingerprint:
            raise InvalidInput(
                [
                    Problem(
                        "Idempotency-Key",
                        "already used with a different body; use a new key for a new request",
                    )
                ]
            )
        return record

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"idempotency records: {type(exc).__name__}") from exc
