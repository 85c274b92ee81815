"""Who is acting: an API key checked against the configured ones, and the audit name it gives.

The HTTP API and the review pages both take keys; each face asks here, so a key means the same
reviewer everywhere. The audit log names a reviewer by a short fingerprint, never the key.
"""

from __future__ import annotations

import hashlib
import hmac

from pydantic import SecretStr

__all__ = ["LOCAL_REVIEWER", "KeyRing", "fingerprint", "matching_key"]

# The reviewer on a server without keys, which only listens on loopback.
LOCAL_REVIEWER = "reviewer:local"


def fingerprint(key: str) -> str:
    """The audit name for a key: enough to tell reviewers apart, useless for signing in."""
    return "reviewer:" + hashlib.sha256(key.encode()).hexdigest()[:8]


def matching_key(keys: list[SecretStr], candidate: str) -> str | None:
    """The configured key equal to `candidate`, compared in constant time against every key so
    that timing tells an attacker neither which key nor how much of it matched."""
    return KeyRing(keys).matching_key(candidate)


class KeyRing:
    """The configured keys, each hashed once, for a check on every request: `matching_key`
    hashes every configured key again on each call, which the server's guard cannot afford."""

    def __init__(self, keys: list[SecretStr]) -> None:
        secrets = [key.get_secret_value() for key in keys]
        self._keys = [(hashlib.sha256(s.encode()).digest(), s, fingerprint(s)) for s in secrets]

    def __bool__(self) -> bool:
        return bool(self._keys)

    def matching_key(self, candidate: str) -> str | None:
        """As `matching_key` answers for these keys."""
        found = self._found(candidate)
        return None if found is None else found[0]

    def audit_name(self, candidate: str) -> str | None:
        """The `fingerprint` of the matching key; None when no key (or only an empty one)
        matches."""
        found = self._found(candidate)
        return found[1] if found is not None and found[0] else None

    def _found(self, candidate: str) -> tuple[str, str] | None:
        # Compared in constant time against every key's digest, each one: see `matching_key`.
        given = hashlib.sha256(candidate.encode()).digest()
        found = None
        for digest, secret, name in self._keys:
            if hmac.compare_digest(given, digest):
                found = (secret, name)
        return found
