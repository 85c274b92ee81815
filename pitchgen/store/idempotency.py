"""`Idempotency-Key` for `POST /v1/drafts`: the first response is kept, and replayed for a retry
with the same body instead of drafting again.

Records live in the store's database (table `api_idempotency`, created by its migrations), so
every server process behind a load balancer sees them. The store writes each in the transaction
that stores its drafts (`Store.save_draft_set`) and reads it back (`Store.kept_response`), so a
crash cannot keep one without the other. This module holds the rest: the key's form, the body's
fingerprint, and the keys this process is working on right now. Keys are scoped by API key:
one client cannot replay another's drafts. A record lasts one window (a day by default);
expired ones are deleted as they are met, and all of them about once an hour per process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pitchgen.errors import Conflict, InvalidInput, Problem
from pitchgen.store.rows import IdempotencyRecord

__all__ = [
    "DEFAULT_WINDOW",
    "MAX_KEY_LENGTH",
    "PURGE_EVERY",
    "InFlight",
    "check_key",
    "fingerprint",
    "replayable",
]

MAX_KEY_LENGTH = 255
# How long a retry replays the first response (PITCHGEN_IDEMPOTENCY_WINDOW_HOURS); after it the
# key is new again. Clients retry within minutes; a day covers a client that was down overnight.
DEFAULT_WINDOW = dt.timedelta(hours=24)
# Once per process and hour is enough to keep the table to about one window of records; a
# scan per request would cost more than the records themselves.
PURGE_EVERY = dt.timedelta(hours=1)


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


def replayable(record: IdempotencyRecord, payload_fingerprint: str) -> IdempotencyRecord:
    """The kept record, if the retry sent the same body; a different body is refused."""
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


class InFlight:
    """The keys this process is working on right now."""

    def __init__(self) -> None:
        self._in_flight: set[tuple[str, str]] = set()

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
