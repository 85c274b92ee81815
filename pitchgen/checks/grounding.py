"""The facts an ask itself states, and where its own words stand in a draft, so `grounded` can
tell a figure copied from the ask from one a model made up. Parsing free text is
`pitchgen.checks.facts`; its public names are importable from here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import get_args

from pydantic import BaseModel

from pitchgen.ask import Ask
from pitchgen.checks.facts import (
    Fact,
    Kind,
    Money,
    MonthDay,
    fold,
    lower,
    parse_facts,
    phone_digits,
    text_facts,
)

__all__ = [
    "AskFacts",
    "Fact",
    "Kind",
    "Money",
    "MonthDay",
    "ask_facts",
    "ask_texts",
    "blank",
    "blank_ask_text",
    "fold",
    "lower",
    "parse_facts",
    "phone_digits",
    "verbatim_spans",
]


# --- the ask's own facts ---------------------------------------------------------------------


# Asks are frozen: one walk per ask object serves every draft and edit checked against it.
# The memo holds the ask itself, so its id cannot be reused while the entry lives.
_texts_memo: dict[int, tuple[Ask, tuple[str, ...]]] = {}


def ask_texts(ask: Ask) -> tuple[str, ...]:
    """Every free-text field of the ask (names, descriptions, contacts), in document order."""
    hit = _texts_memo.get(id(ask))
    if hit and hit[0] is ask:
        return hit[1]
    out: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name))
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and not isinstance(value, Enum):
            out.append(value)

    walk(ask)
    if len(_texts_memo) >= 64:
        _texts_memo.clear()
    _texts_memo[id(ask)] = (ask, tuple(out))
    return tuple(out)


@dataclass(frozen=True)
class AskFacts:
    money: frozenset[Money]
    dates: frozenset[date]
    month_days: frozenset[MonthDay]
    numbers: frozenset[Decimal]
    percents: frozenset[Decimal]
    phones: frozenset[str]
    emails: frozenset[str]
    urls: frozenset[str]

    def grounds(self, fact: Fact) -> bool:
        """Whether the ask states this fact. Money must be one of the budget's own figures:
        a figure that only appears in an ask's prose may be an injected instruction."""
        value = fact.value
        if fact.kind != "date":
            return value in getattr(self, _KNOWN[fact.kind])
        if isinstance(value, MonthDay):
            return value in self.month_days
        return value in self.dates or MonthDay(value.month, value.day) in self.month_days


_KNOWN = {"money": "money", "percent": "percents", "count": "numbers", "phone": "phones",
          "email": "emails", "url": "urls"}  # fmt: skip


def ask_facts(ask: Ask) -> AskFacts:
    dates = [m.date for m in ask.timeline]
    if ask.respond_by:
        dates.append(ask.respond_by)
    if ask.meeting:
        dates.extend(t.date() for t in ask.meeting.proposed_times)
    money: tuple[Money, ...] = ()
    if ask.budget:
        b = ask.budget
        money = (Money(b.amount, b.currency), Money(b.partner_contribution, b.currency))
    return _ask_facts(ask_texts(ask), tuple(dates), money, ask.sender.phone or "")


@lru_cache(maxsize=64)
def _ask_facts(
    texts: tuple[str, ...], dates: tuple[date, ...], money: tuple[Money, ...], phone: str
) -> AskFacts:
    # Drafting checks three channels (and every edit) against one ask: parse its text once.
    found: dict[str, set] = {kind: set() for kind in get_args(Kind)}
    numbers: set[Decimal] = set()
    for text in texts:
        facts, text_numbers = text_facts(text)
        for kind, value in facts:
            found[kind].add(value)
        numbers |= text_numbers
    numbers |= {m.amount for m in (*found["money"], *money)}
    full_dates = {d for d in found["date"] if isinstance(d, date)} | set(dates)
    month_days = {d for d in found["date"] if isinstance(d, MonthDay)}
    month_days |= {MonthDay(d.month, d.day) for d in full_dates}
    # An organization's site is named by its email domain as much as by a link.
    urls = found["url"] | {e.rsplit("@", 1)[1] for e in found["email"]}
    phones = found["phone"] | ({phone_digits(phone)} if phone else set())
    return AskFacts(
        *map(frozenset, (money, full_dates, month_days, numbers, found["percent"], phones)),
        *map(frozenset, (found["email"], urls)),
    )


def verbatim_spans(ask: Ask, folded: str) -> list[tuple[int, int]]:
    """Where ask text fields occur verbatim in `folded` (see `fold`), ignoring case; a longer
    field wins over a shorter one inside it, and a field never matches inside a word."""
    low = lower(folded)
    size = len(low)
    spans: list[tuple[int, int]] = []
    covered = bytearray(size)
    for needle, word_start, word_end, mark in _needles(ask_texts(ask)):
        at = low.find(needle)
        while at != -1:
            end = at + len(needle)
            inside_word = (word_start and at and low[at - 1].isalnum()) or (
                word_end and end < size and low[end].isalnum()
            )
            if not inside_word and covered.find(1, at, end) == -1:
                covered[at:end] = mark
                spans.append((at, end))
            at = low.find(needle, at + 1)
    return sorted(spans)


@lru_cache(maxsize=64)
def _needles(texts: tuple[str, ...]) -> tuple[tuple[str, bool, bool, bytes], ...]:
    """Each field's text, longest first, with whether it starts and ends with a letter or digit
    (so cannot match inside a word there), and the mark of its span in `covered`."""
    needles = sorted({lower(fold(t)) for t in texts if t.strip()}, key=len, reverse=True)
    return tuple((n, n[0].isalnum(), n[-1].isalnum(), b"\x01" * len(n)) for n in needles)


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each of the (sorted, disjoint) spans replaced by spaces, offsets kept."""
    pieces, last = [], 0
    for start, end in spans:
        pieces += [text[last:start], " " * (end - start)]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def blank_ask_text(ask: Ask, text: str) -> str:
    """`text`, whitespace folded, with every ask text field blanked out (ignoring case): copied
    verbatim, the ask's own words are data, not claims and not placeholders."""
    folded = fold(text)
    return blank(folded, verbatim_spans(ask, folded))
