"""A directory made ready for ranking, once per directory version: the lexical index (bm25s)
and, as arrays, what each part of a score reads of an entry, so that a score for every one of
10,000 entries is a few array operations; `rank` explains in words only those it returns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from pitchgen.ask import NeedType
from pitchgen.checks.wordstems import stem, words
from pitchgen.partners.model import PartnerFields, identity
from pitchgen.partners.places import groups_in

__all__ = ["NEVER", "Index", "document", "seats", "terms"]

# A head count is a number with "seats", "a room for", "people"... beside it. Numbers are found
# first and only their surroundings matched: one pattern over the whole text was the slowest
# step of building an index.
_NUMBER = re.compile(r"\d[\d,]*")
_BEFORE = re.compile(
    r"(?:seats?|(?:room|hall|auditorium|space|venue|boardroom)s?\s+(?:\w+\s+)?for)"
    r"\s+(?:up to\s+)?$",
    re.IGNORECASE,
)
_AFTER = re.compile(
    r"(?:[- ]seat|\s+(?:people|guests|attendees|participants|seats))", re.IGNORECASE
)
# A day ordinal no recency window reaches.
NEVER = -(10**9)


def document(partner: PartnerFields) -> str:
    return " ".join([partner.organization, partner.focus or "", *partner.tags])


def terms(text: str) -> list[str]:
    return [t for t in map(stem, words(text)) if t]


def seats(text: str | None) -> int | None:
    """The largest head count a text gives a room ("a room for 100", "120-seat", "seats 80")."""
    found = [
        int(m.group().replace(",", "").strip() or 0)
        for m in _NUMBER.finditer(text or "")
        if _AFTER.match(text, m.end()) or _BEFORE.search(text[max(0, m.start() - 40) : m.start()])
    ]
    return max(found) if found else None


class Index:
    """A directory's entries with what ranking needs of each."""

    def __init__(self, partners: Sequence[PartnerFields]) -> None:
        import bm25s

        self.partners = list(partners)
        n = len(self.partners)
        tokens = [terms(document(p)) for p in self.partners]
        self.groups = [groups_in(p.focus) for p in self.partners]
        self.notes = [identity(p.relationship) if p.relationship else "" for p in self.partners]
        self.offers = {
            t: np.fromiter((t in p.can_offer for p in self.partners), bool, n) for t in NeedType
        }
        self.seats = np.fromiter((seats(p.focus) or -1 for p in self.partners), np.int64, n)
        self.last_asked = np.fromiter(
            (p.last_asked.toordinal() if p.last_asked else NEVER for p in self.partners),
            np.int64,
            n,
        )
        # Each entry's (region, groups its focus names): few distinct ones, scored once each.
        keys = [(p.region or "", g) for p, g in zip(self.partners, self.groups, strict=True)]
        self.places = sorted(set(keys))
        where = {key: i for i, key in enumerate(self.places)}
        self.place_of = np.fromiter((where[key] for key in keys), np.int64, n)
        kinds = sorted({p.kind for p in self.partners if p.kind})
        self.kinds = kinds
        self.kind_of = np.fromiter(
            (kinds.index(p.kind) if p.kind else -1 for p in self.partners), np.int64, n
        )
        self.known = np.fromiter(
            (bool(p.relationship) or p.last_asked is not None for p in self.partners), bool, n
        )
        self.noted = [i for i, note in enumerate(self.notes) if note]
        # Ties go by name: ranking sorts this order, stably, by score.
        self.by_name = np.array(
            sorted(range(n), key=lambda i: self.partners[i].organization.casefold()), np.int64
        )
        self._bm25 = bm25s.BM25()
        self._empty = not any(tokens)
        if not self._empty:
            # bm25s wants every document non-empty; a placeholder term no query has.
            self._bm25.index([t or ["\x00"] for t in tokens], show_progress=False)

    def __len__(self) -> int:
        return len(self.partners)

    def scores(self, query: list[str]) -> np.ndarray:
        """BM25 of `query` (terms) against every entry."""
        vocab = {} if self._empty else self._bm25.vocab_dict
        known = [t for t in dict.fromkeys(query) if t in vocab]
        if not known:
            return np.zeros(len(self.partners))
        return np.asarray(self._bm25.get_scores(known), dtype=float)
