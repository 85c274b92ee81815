"""Who is acting: an API key checked against the configured ones, and the audit name it gives.

The HTTP API and the review pages both take keys; each face asks here, so a key means the same
reviewer everywhere. The audit log names a reviewer by a short fingerprint, never the key.
"""

from __future__ import annotations

import hashlib
import hmac

from pydantic import SecretStr

__all__ = ["LOCAL_REVIEWER", "fingerprint", "matching_key"]

# The reviewer on a server without keys, which only listens on loopback.
LOCAL_REVIEWER = "reviewer:local"


def fingerprint(key: str) -> str:
    """The audit name for a key: enough to tell reviewers apart, useless for signing in."""
    return "reviewer:" + hashlib.sha256(key.encode()).hexdigest()[:8]


def matching_key(keys: list[SecretStr], candidate: str) -> str | None:
    """The configured key equal to `candidate`, compared in constant time against every key so
    that timing tells an attacker neither which key nor how much of it matched."""
    given = hashlib.sha256(candidate.encode()).digest()
    found = None
    for key in keys:
        secret = key.get_secret_value()
        if hmac.compare_digest(given, hashlib.sha256(secret.encode()).digest()):
            found = secret
    return found
