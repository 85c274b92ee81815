"""What a template draft says, decided from the ask before any words are chosen: whom it
greets, which dates bind the partner, when it asks for an answer, which items it names and
which it summarises, and on which clock it gives proposed times. The words live in
`prompts/fallback/`; every fact here is the ask's own.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from pitchgen.ask import Ask, Milestone
from pitchgen.phrasing import (
    bare,
    greeting_name,
    is_no_contact,
    lower_case_words,
    lower_first,
    needs_pronunciation,
    relationship_clause,
    shape,
)
from pitchgen.suspicious import suspicious_fields
from pitchgen.textfacts import Money, parse_facts
from pitchgen.wording import clock, in_zone, money, written_date, zone_name

__all__ = ["EMAIL_ITEMS", "Outline", "Slot", "outline", "partner_milestones"]

# An email names up to this many deliverables, benefits or dates; past it, it summarises.
EMAIL_ITEMS = 3
# A call script names this many of each aloud, the ones that matter most; the rest in writing.
SPOKEN_ITEMS = 2
# Milestones that are the partner's answer, not an event they take part in.
_DECISION_WORDS = ("confirm", "decision", "decide", "reply", "respond", "answer", "sign-off",
                   "approval", "approve", "commit", "rsvp", "deadline")  # fmt: skip


def partner_milestones(ask: Ask) -> list[Milestone]:
    """Milestones the partner takes part in: every one but those that are only their answer."""
    return [m for m in ask.timeline if not any(w in m.milestone.lower() for w in _DECISION_WORDS)]


_OURS = re.compile(
    r"\b(?:sent|shared|delivered|given|circulated|published) (?:to|with)\b|\byou\b", re.IGNORECASE
)


_PAYMENT = re.compile(r"\b(?:pay|payment|paid|grant|funds|contribution|sponsorship)\b", re.I)


def milestone_owner(ask: Ask, m: Milestone) -> str:
    """Who a milestone falls to: "partner" for their answer (and their payment, when money is
    asked of them), "sender" for what we hand them, "both" for the rest (the event itself)."""
    if any(w in m.milestone.lower() for w in _DECISION_WORDS):
        return "partner"
    if ask.budget and ask.budget.partner_contribution > 0 and _PAYMENT.search(m.milestone):
        return "partner"
    return "sender" if _OURS.search(m.milestone) else "both"


@dataclass(frozen=True)
class Slot:
    """A proposed time on the meeting's clock, and on ours where that differs."""

    day: str
    time: str
    zone: str
    ours: str | None


# An organization named by what it is ("Institute for…") takes "the" inside a sentence.
_GENERIC_HEADS = frozenset(
    """institute center centre coalition association alliance society council foundation
    league network federation union office department university college committee
    campaign chamber fund board museum library commission""".split()  # noqa: SIM905
)


def with_article(org: str) -> str:
    """`the Institute for Land Use Studies`, but `Main Street Business Alliance` as it is."""
    first = org.split()[0] if org.split() else ""
    return f"the {org}" if first.lower() in _GENERIC_HEADS and first[:1].isupper() else org


@dataclass(frozen=True)
class Outline:
    org: str
    org_name: str
    short: str
    contact: str | None
    greet: str | None
    pronounce: list[str]
    history: str | None
    history_note: str | None
    new_partner: bool
    focus: str | None
    project: str
    summary: str | None
    summary_shape: str
    need: str | None
    need_shape: str
    deliverables: list[str]
    benefits: list[str]
    benefit_sentences: list[str]
    milestones: list[tuple[str, str]]
    partner_dates: list[tuple[str, str]]
    reply_day: str
    reply_before: bool
    slots: list[Slot]
    sender_name: str
    sender_org: str
    covers: str | None
    covers_shape: str
    location: str | None
    vocabulary: frozenset[str]


def _clean(ask: Ask, path: str, value: str | None) -> str | None:
    """The ask's text, or None where it looks like markup or an instruction (written around)."""
    if value is None or path in suspicious_fields(ask):
        return None
    return _money_in_our_form(ask, value)


# Money needs a digit and a currency: a symbol, a code or a word ("4000 dollars").
_MONEY_HINT = re.compile(r"\d(?=.*(?:[$€£¥₹]|\b[A-Z]{3}\b|(?i:dollar|euro|pound)))|[$€£¥₹]\s?\d")


def _money_in_our_form(ask: Ask, text: str) -> str:
    """Money in ask text written the draft's one way ("4000 dollars" → "$4,000")."""
    if not _MONEY_HINT.search(text):
        return text
    facts = [f for f in parse_facts(text) if f.kind == "money" and isinstance(f.value, Money)]
    for fact in reversed(facts):
        start, end = fact.span
        written = money(fact.value.amount, fact.value.currency, ask.locale_tag)
        text = text[:start] + written + text[end:]
    return text


def reply_date(ask: Ask) -> tuple[dt.date, bool]:
    """The day we ask for an answer, and whether it is asked *before* that day: `respond_by`
    when it falls before every event the partner takes part in, else before the first one."""
    events = partner_milestones(ask)
    first = events[0].date if events else None
    if ask.respond_by and (first is None or ask.respond_by < first):
        return ask.respond_by, False
    if first is None:
        return ask.reply_date, ask.respond_by is None
    return first, True


def _slots(ask: Ask) -> list[Slot]:
    meeting = ask.meeting
    if not meeting or not meeting.proposed_times:
        return []
    zone, locale = meeting.time_zone, ask.locale_tag
    # With no named zone, the meeting's clock is the first proposed time's offset.
    anchor = meeting.proposed_times[0].tzinfo
    slots = []
    for moment in meeting.proposed_times:
        here = in_zone(moment, zone) if zone else moment.astimezone(anchor)
        ours = ask.sender.time_zone
        theirs = None
        if ours and (mine := in_zone(moment, ours)).utcoffset() != here.utcoffset():
            theirs = f"{clock(mine, locale)} {zone_name(mine, ours, locale)}"
            if mine.date() != here.date():
                theirs = f"{written_date(mine.date(), locale)}, {theirs}"
        slots.append(
            Slot(
                day=written_date(here.date(), locale),
                time=clock(here, locale),
                zone=zone_name(here, zone, locale),
                ours=theirs,
            )
        )
    return slots


def _items(ask: Ask, path: str, texts: list[str]) -> list[str]:
    """The listed texts that are not written around; `path` has `{}` for the index."""
    return [t for i, x in enumerate(texts) if (t := _clean(ask, path.format(i), x))]


def outline(ask: Ask) -> Outline:
    p, locale = ask.partner, ask.locale_tag
    org = with_article(_clean(ask, "partner.organization", p.organization) or "") or (
        "your organization"
    )
    contact = _clean(ask, "partner.contact_name", p.contact_name)
    greet_as = _clean(ask, "partner.greet_as", p.greet_as)
    relationship = _clean(ask, "partner.relationship", p.relationship)
    new_partner = is_no_contact(relationship)
    history = None if new_partner else relationship_clause(relationship, contact)
    benefits = _items(ask, "benefits[{}].description", [b.description for b in ask.benefits])
    day = partial_day(locale)
    reply, before = reply_date(ask)
    need = _clean(ask, "need.description", ask.need.description)
    summary = _clean(ask, "project.summary", ask.project.summary)
    covers = _clean(ask, "budget.covers", ask.budget.covers) if ask.budget else None
    vocab = lower_case_words(_texts(ask))
    return Outline(
        org=org,
        org_name=_clean(ask, "partner.organization", p.organization) or "your organization",
        short=with_article(_clean(ask, "partner.short_name", p.short_name) or "") or org,
        contact=contact,
        greet=greeting_name(contact, ask.tone.value, greet_as) if contact else None,
        pronounce=[n for n in (contact, org) if n and needs_pronunciation(n)],
        history=history,
        history_note=None if new_partner or history else bare(relationship),
        new_partner=new_partner,
        focus=_clean(ask, "partner.focus", p.focus),
        project=_clean(ask, "project.name", ask.project.name) or "our project",
        summary=summary,
        summary_shape=shape(summary) if summary else "noun",
        need=need,
        need_shape=shape(need) if need else "noun",
        deliverables=_items(ask, "need.deliverables[{}]", ask.need.deliverables),
        benefits=[b for b in benefits if shape(b) != "sentence"],
        benefit_sentences=[b for b in benefits if shape(b) == "sentence"],
        milestones=_dated(ask, ask.timeline, day, vocab),
        partner_dates=_dated(ask, partner_milestones(ask), day, vocab),
        reply_day=day(reply),
        reply_before=before,
        slots=_slots(ask),
        sender_name=_clean(ask, "sender.name", ask.sender.name) or "",
        sender_org=_clean(ask, "sender.organization", ask.sender.organization) or "",
        covers=covers,
        covers_shape=shape(covers) if covers else "noun",
        location=_clean(ask, "meeting.location", ask.meeting.location) if ask.meeting else None,
        vocabulary=vocab,
    )


def _texts(ask: Ask) -> list[str]:
    """The ask's prose, for the words it writes in lower case."""
    texts = [ask.project.summary, ask.need.description, *ask.need.deliverables]
    texts += [b.description for b in ask.benefits] + [m.milestone for m in ask.timeline]
    texts += [t for t in (ask.partner.focus, ask.partner.relationship) if t]
    return texts + ([ask.budget.covers] if ask.budget and ask.budget.covers else [])


def _dated(ask: Ask, milestones: list[Milestone], day, vocab) -> list[tuple[str, str]]:
    index = {id(m): i for i, m in enumerate(ask.timeline)}
    return [
        (
            day(m.date),
            lower_first(
                _clean(ask, f"timeline[{index[id(m)]}].milestone", m.milestone)
                or "a step of the plan",
                vocab,
            ),
        )
        for m in milestones
    ]


def partial_day(locale: str):
    return lambda d: written_date(d, locale)


def amount(ask: Ask, value: Decimal) -> str:
    currency = ask.budget.currency if ask.budget else "USD"
    return money(value, currency, ask.locale_tag)
