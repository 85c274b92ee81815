"""Who is reviewing, and proof that a form came from our own page.

With API keys configured, a reviewer signs in once with a key and gets a random session id kept
here, in memory: a restart signs everyone out, which is the safe direction. Every form then
carries that session's synchronizer token. Without keys (a loopback-only server) there is no
sign-in, and forms are protected by a double-submit cookie instead.

The reviewer is named in the audit log by a short fingerprint of their key, never the key
(`pitchgen.service.keys`, shared with the API).
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass, field

from pitchgen.service.keys import LOCAL_REVIEWER, fingerprint, matching_key

__all__ = [
    "LOCAL_REVIEWER",
    "SESSION_SECONDS",
    "Session",
    "Sessions",
    "fingerprint",
    "matching_key",
    "new_token",
    "same_token",
]

SESSION_SECONDS = 12 * 60 * 60


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
class Sessions:
    """Signed-in reviewers by session id; ids are random, so holding one is the proof."""

    lifetime: float = SESSION_SECONDS
    _by_id: dict[str, Session] = field(default_factory=dict)

    def start(self, reviewer: str) -> tuple[str, Session]:
        now = time.monotonic()
        self._by_id = {k: s for k, s in self._by_id.items() if s.expires > now}
        session_id = new_token()
        session = Session(reviewer=reviewer, csrf=new_token(), expires=now + self.lifetime)
        self._by_id[session_id] = session
        return session_id, session

    def get(self, session_id: str | None) -> Session | None:
        session = self._by_id.get(session_id) if session_id else None
        if session is None or session.expires <= time.monotonic():
            return None
        return session

    def end(self, session_id: str | None) -> None:
        if session_id:
            self._by_id.pop(session_id, None)
