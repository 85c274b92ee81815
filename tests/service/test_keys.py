"""A key ring answers as `matching_key` and `fingerprint` do, with each configured key hashed
once rather than on every request."""

from __future__ import annotations

import hashlib

import pytest
from pydantic import SecretStr

from pitchgen.service.keys import KeyRing, fingerprint, matching_key

KEYS = ["key-one-0123456789abcdef", "key-two-é-0123456789abcd", "key-one-0123456789abcdef", ""]
CANDIDATES = [*KEYS, "key-one-0123456789abcde", "key-one-0123456789abcdefg", "KEY-ONE", " ", "x"]


@pytest.mark.parametrize("keys", [KEYS, KEYS[:1], KEYS[1:], []])
@pytest.mark.parametrize("candidate", CANDIDATES)
def test_a_key_ring_answers_as_matching_key_and_its_fingerprint(keys, candidate) -> None:
    secrets = [SecretStr(k) for k in keys]
    ring = KeyRing(secrets)
    key = matching_key(secrets, candidate)
    assert ring.matching_key(candidate) == key
    assert ring.audit_name(candidate) == (fingerprint(key) if key else None)
    assert bool(ring) == bool(keys)


def test_a_key_ring_hashes_its_keys_once(monkeypatch) -> None:
    ring = KeyRing([SecretStr(k) for k in KEYS])
    expected = fingerprint(KEYS[1])
    hashed = []
    sha256 = hashlib.sha256
    monkeypatch.setattr(
        "pitchgen.service.keys.hashlib.sha256", lambda b: hashed.append(b) or sha256(b)
    )
    assert ring.audit_name(KEYS[1]) == expected
    assert hashed == [KEYS[1].encode()]  # the candidate only
