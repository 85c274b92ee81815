"""The facts an ask itself states, and where its own words stand in a draft, so `grounded` can
tell a figure copied from the ask from one a model made up. Parsing free text is
`pitchgen.checks.facts`; its public names are importable from here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import get_args

from pitchgen.ask import Ask
from pitchgen.ask.fields import ask_texts
from pitchgen.ask.memo import per_ask
from pitchgen.ask.timeline import answer_by, partner_milestones
from pitchgen.checks.facts import (
    Clock,
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
from pitchgen.checks.figures import counted
from pitchgen.checks.wordstems import stem, words
from pitchgen.content.formats import in_zone

__all__ = [
    "DOLLARS",
    "AskFacts",
    "Clock",
    "Fact",
    "Kind",
    "Money",
    "MonthDay",
    "answer_by",
    "ask_facts",
    "ask_texts",
    "blank",
    "blank_ask_text",
    "fold",
    "lower",
    "parse_facts",
    "partner_milestones",
    "phone_digits",
    "verbatim_spans",
]


# --- the ask's own facts ---------------------------------------------------------------------


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
    times: frozenset[int]  # minutes after midnight
    # What the ask counts, by the stem of the word counted: {"hour": {1}, "reporter": {300}}
    units: dict[str, frozenset[Decimal]]

    def counts_otherwise(self, fact: Fact) -> bool:
        """Whether the ask counts the thing this number counts, but never with this number:
        "two hours" where the ask says a one-hour review, "3,000 reporters" where it says
        300 (and 3,000 is its budget)."""
        if fact.kind != "count":
            return False
        unit = stem(said[-1]) if (said := words(fact.text)) else ""
        known = self.units.get(unit)
        return known is not None and fact.value not in known

    def grounds(self, fact: Fact) -> bool:
        """Whether the ask states this fact, in whatever form it is written. Money must be
        one of the budget's own figures: a figure that only appears in an ask's prose may be
        an injected instruction; "$" may stand for the budget's own dollars (CAD, AUD…)."""
        value = fact.value
        if fact.kind == "date":
            if isinstance(value, MonthDay):
                return value in self.month_days
            return value in self.dates or MonthDay(value.month, value.day) in self.month_days
        if fact.kind == "time":
            evening = (value.minutes + 720) % 1440
            return value.minutes in self.times or (not value.exact and evening in self.times)
        if fact.kind == "money" and value not in self.money and fact.text.startswith("$"):
            return any(m.amount == value.amount and m.currency in DOLLARS for m in self.money)
        if fact.kind == "count" and value not in self.numbers and 1 <= value <= 12:
            # "the room from 6": the hour of an ask's 18:00, said as people say it.
            return value % 12 * 60 in self.times or (value % 12 + 12) * 60 in self.times
        return value in getattr(self, _KNOWN[fact.kind])


_KNOWN = {"money": "money", "percent": "percents", "count": "numbers", "phone": "phones",
          "email": "emails", "url": "urls"}  # fmt: skip
DOLLARS = frozenset(
    {
        "USD",
        "CAD",
        "AUD",
        "NZD",
        "SGD",
        "HKD",
        "TWD",
        "MXN",
        "JMD",
        "BSD",
        "BBD",
        "BZD",
        "FJD",
        "LRD",
        "NAD",
        "SBD",
        "TTD",
        "XCD",
        "GYD",
        "SRD",
        "BND",
    }
)


def _on_named_clocks(ask: Ask) -> list:
    """The proposed times as given, and on the meeting's and the sender's named clocks (the
    same instants, as a draft may write them: "10:00 Pacific Time (19:00 Madrid time)")."""
    times = list(ask.meeting.proposed_times) if ask.meeting else []
    zones = [getattr(ask.meeting, "time_zone", None), getattr(ask.sender, "time_zone", None)]
    return times + [in_zone(t, z) for z in zones if z for t in times]


@per_ask  # three drafts and every edit are checked against one ask
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
    # Money the ask's own prose states ("a $500 gift card") is the ask's too, written in any
    # form; not where that text looks like an instruction ("promise them $1,000,000").
    money += _prose_money(ask_texts(ask))
    # Figures the ask states by its structure: the meeting's length, the years of its dates,
    # how many deliverables, benefits and milestones it has.
    counts = {len(ask.need.deliverables), len(ask.benefits), len(ask.timeline)}
    counts |= {d.year for d in dates}
    clock: tuple[int, ...] = ()
    if ask.meeting:
        counts.add(ask.meeting.duration_minutes)
        moments = _on_named_clocks(ask)
        clock = tuple(t.hour * 60 + t.minute for t in moments)
        dates.extend(t.date() for t in moments)
    duration = ask.meeting.duration_minutes if ask.meeting else None
    return _ask_facts(
        ask_texts(ask),
        tuple(dates),
        money,
        ask.sender.phone or "",
        frozenset(counts),
        clock,
        duration,
    )


def _prose_money(texts: tuple[str, ...]) -> tuple[Money, ...]:
    from pitchgen.ask.suspicious import why_suspicious

    return tuple(
        value
        for text in texts
        for kind, value in text_facts(text)[0]
        if kind == "money" and not why_suspicious(text)
    )


@lru_cache(maxsize=64)
def _ask_facts(
    texts: tuple[str, ...],
    dates: tuple[date, ...],
    money: tuple[Money, ...],
    phone: str,
    counts: frozenset[int],
    clock: tuple[int, ...],
    duration: int | None,
) -> AskFacts:
    # Drafting checks three channels (and every edit) against one ask: parse its text once.
    found: dict[str, set] = {kind: set() for kind in get_args(Kind)}
    numbers: set[Decimal] = set()
    for text in texts:
        facts, text_numbers = text_facts(text)
        for kind, value in facts:
            found[kind].add(value)
        numbers |= text_numbers
    numbers |= {m.amount for m in (*found["money"], *money)} | {Decimal(n) for n in counts}
    times = set(clock)
    for t in found["time"]:
        times |= {t.minutes} if t.exact else {t.minutes, (t.minutes + 720) % 1440}
    full_dates = {d for d in found["date"] if isinstance(d, date)} | set(dates)
    month_days = {d for d in found["date"] if isinstance(d, MonthDay)}
    month_days |= {MonthDay(d.month, d.day) for d in full_dates}
    # An organization's site is named by its email domain as much as by a link.
    urls = found["url"] | {e.rsplit("@", 1)[1] for e in found["email"]}
    phones = found["phone"] | ({phone_digits(phone)} if phone else set())
    units: dict[str, set[Decimal]] = {}
    for text in texts:
        for value, after in counted(text):
            for word in after:
                if root := stem(word.split("-")[-1]):
                    units.setdefault(root, set()).add(value)
    if duration and "minut" in units:
        units["minut"].add(Decimal(duration))
    return AskFacts(
        *map(frozenset, (money, full_dates, month_days, numbers, found["percent"], phones)),
        *map(frozenset, (found["email"], urls, times)),
        {unit: frozenset(values) for unit, values in units.items()},
    )


def verbatim_spans(ask: Ask, folded: str, low: str | None = None) -> list[tuple[int, int]]:
    """Where ask text fields occur verbatim in `folded` (see `fold`), ignoring case; a longer
    field wins over a shorter one inside it, and a field never matches inside a word. `low`
    is `lower(folded)`, when the caller has it."""
    low = lower(folded) if low is None else low
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
