"""Who is reviewing, and proof that a form came from our own page.

With API keys configured, a reviewer signs in once with a key and gets a random session id kept
here, in memory and bounded (see `Sessions`): a restart signs everyone out, which is the safe
direction. Every form then
carries that session's synchronizer token. Without keys (a loopback-only server) there is no
sign-in, and forms are protected by a double-submit cookie instead.

The reviewer is named in the audit log by a short fingerprint of their key, never the key
(`pitchgen.service.keys`, shared with the API).
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from pitchgen.service.keys import LOCAL_REVIEWER, fingerprint, matching_key

__all__ = [
    "IDLE_SECONDS",
    "LOCAL_REVIEWER",
    "MAX_SESSIONS",
    "SESSIONS_PER_KEY",
    "SESSION_SECONDS",
    "Session",
    "Sessions",
    "fingerprint",
    "matching_key",
    "new_token",
    "same_token",
]

# A reviewer's sign-in lasts a working day, or an hour left alone; a key may be signed in on
# five browsers at once, and the server keeps at most 1,000 sessions in all.
SESSION_SECONDS = 12 * 60 * 60
IDLE_SECONDS = 60 * 60
SESSIONS_PER_KEY = 5
MAX_SESSIONS = 1000


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same_token(expected: str | None, given: str | None) -> bool:
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


@dataclass(frozen=True)
class Session:
    reviewer: str
    csrf: str
    expires: float


@dataclass
class _Held:
    session: Session
    seen: float


@dataclass
class Sessions:
    """Signed-in reviewers by session id; ids are random, so holding one is the proof.

    Bounded three ways: a session ends `lifetime` after sign-in, or `idle` after its last
    use; each key holds at most `per_key` (a new sign-in ends that key's oldest); and the
    server holds at most `limit` in all (a new one ends the oldest anyone's). Sessions are kept
    in sign-in order, so the expired and the oldest are at the front: each sign-in costs O(1)
    amortized, however many came before."""

    lifetime: float = SESSION_SECONDS
    idle: float = IDLE_SECONDS
    per_key: int = SESSIONS_PER_KEY
    limit: int = MAX_SESSIONS
    clock: Callable[[], float] = time.monotonic
    _by_id: OrderedDict[str, _Held] = field(default_factory=OrderedDict)
    _by_reviewer: dict[str, deque[str]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self._by_id)

    def start(self, reviewer: str) -> tuple[str, Session]:
        now = self.clock()
        while self._by_id and next(iter(self._by_id.values())).session.expires <= now:
            self.end(next(iter(self._by_id)))
        mine = self._by_reviewer.setdefault(reviewer, deque())
        while len(mine) >= self.per_key:
            self.end(mine[0])
        while len(self._by_id) >= self.limit:
            self.end(next(iter(self._by_id)))
        session_id = new_token()
        session = Session(reviewer=reviewer, csrf=new_token(), expires=now + self.lifetime)
        self._by_id[session_id] = _Held(session, now)
        self._by_reviewer.setdefault(reviewer, deque()).append(session_id)
        return session_id, session

    def get(self, session_id: str | None) -> Session | None:
        held = self._by_id.get(session_id) if session_id else None
        if held is None:
            return None
        now = self.clock()
        if held.session.expires <= now or now - held.seen >= self.idle:
            self.end(session_id)
            return None
        held.seen = now
        return held.session

    def end(self, session_id: str | None) -> None:
        held = self._by_id.pop(session_id, None) if session_id else None
        if held is None:
            return
        mine = self._by_reviewer.get(held.session.reviewer)
        if mine is not None:
            mine.remove(session_id)  # at most `per_key` long
            if not mine:
                del self._by_reviewer[held.session.reviewer]
