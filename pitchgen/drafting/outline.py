"""What a template draft says, decided from the ask before any words are chosen: whom it
greets, which dates bind the partner, when it asks for an answer, which items it names and
which it summarises, and on which clock it gives proposed times. The words live in
`prompts/fallback/`; every fact here is the ask's own. The dates and times are worked out in
`pitchgen.drafting.dates`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from pitchgen.ask import Ask, Milestone
from pitchgen.ask.suspicious import plain_part, suspicious_fields
from pitchgen.checks.grounding import partner_milestones
from pitchgen.content.formats import gist, money
from pitchgen.drafting.asktext import in_our_form
from pitchgen.drafting.dates import (
    PAYMENT,
    THEIR_ANSWER,
    Slot,
    meeting_slots,
    milestone_owner,
    partial_day,
    reply_date,
    with_year,
)
from pitchgen.drafting.phrasing import (
    bare,
    greeting_name,
    is_no_contact,
    lower_case_words,
    lower_first,
    needs_pronunciation,
    relationship_clause,
    shape,
)

# The names of `dates` stay importable from here, where the email plan, the next steps, the
# template draft and the follow-ups import them.
__all__ = [
    "EMAIL_ITEMS",
    "NEED_WORDS",
    "PAYMENT",
    "SPOKEN_ITEMS",
    "THEIR_ANSWER",
    "Outline",
    "amount",
    "milestone_owner",
    "outline",
    "reply_date",
    "with_year",
]

# An email names up to this many deliverables, benefits or dates; past it, it summarises.
EMAIL_ITEMS = 3
# A call script names this many of each aloud, the ones that matter most; the rest in writing.
SPOKEN_ITEMS = 2
# An organization named by what it is ("Institute for…") takes "the" inside a sentence.
_GENERIC_HEADS = frozenset(
    """institute center centre coalition association alliance society council foundation
    league network federation union office department university college committee campaign
    chamber fund board museum library commission""".split()  # noqa: SIM905
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
    # By the ask's own index, None where written around: an email names the first few.
    deliverables_at: list[str | None]
    benefits_at: list[str | None]
    benefits: list[str]
    benefit_sentences: list[str]
    milestones: list[tuple[str, str]]
    partner_dates: list[tuple[str, str]]
    reply_day: str
    reply_index: int  # how many milestones fall on or before the reply day
    reply_before: bool
    slots: list[Slot]
    sender_name: str
    sender_org: str
    covers: str | None
    covers_shape: str
    # A second clause of `covers` ("the reception costs $4,000"), said as its own sentence.
    covers_more: str | None
    location: str | None
    vocabulary: frozenset[str]
    # Aloud: a caller may not read a name in another script, so the card asks for a role.
    ask_for: str
    spoken_greet: str | None
    spoken_org: str


# Names keep their plain part when markup or an instruction is mixed in ("<b>Greenway</b>
# Neighbors"): the partner is still greeted by name. Other texts are written around whole.
_NAMES = frozenset(
    """partner.organization partner.short_name partner.contact_name partner.greet_as
    sender.name sender.organization project.name""".split()  # noqa: SIM905
)


def _clean(ask: Ask, path: str, value: str | None) -> str | None:
    """The ask's text, or None where it looks like markup or an instruction (written around);
    a name, its plain part (`plain_part`)."""
    if value is None:
        return None
    if path in suspicious_fields(ask):
        value = plain_part(value) if path in _NAMES else None
        if value is None:
            return None
    return in_our_form(ask, value)


# Every draft states the need by at least its first this many words (an email's gist of it).
NEED_WORDS = 25


def _once(ask: Ask, need: str | None, item: str | None) -> str | None:
    """A deliverable without the budget figure the need already states ("A $4,000 sponsorship
    payment by April 1" after "sponsor the reception with $4,000" is "A sponsorship payment by
    April 1"): a fact said twice in two sentences reads like a mail merge. Only where the
    figure reads as a modifier ("a $4,000 payment", "the payment of $4,000")."""
    if not item or not need or ask.budget is None:
        return item
    said = gist(need, NEED_WORDS)
    for value in (ask.budget.partner_contribution, ask.budget.amount):
        figure = money(value, ask.budget.currency, ask.locale_tag)
        if value <= 0 or figure not in said or figure not in item:
            continue
        f = re.escape(figure)
        lead = re.match(rf"(?i)(an?|the)\s+{f}\s+(?=\w)", item)
        if lead:
            rest = item[lead.end() :]
            article = lead[1] if lead[1].lower() == "the" else _article(rest)
            article = article[0].upper() + article[1:] if item[0].isupper() else article
            return f"{article} {rest}"
        trimmed = re.sub(rf"\s+of\s+{f}(?=[\s.,;]|$)", "", item, count=1)
        if trimmed != item:
            return trimmed
    return item


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


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
    day = partial_day(locale, with_year(ask))
    reply, before = reply_date(ask)
    need = _clean(ask, "need.description", ask.need.description)
    summary = _clean(ask, "project.summary", ask.project.summary)
    covers = _clean(ask, "budget.covers", ask.budget.covers) if ask.budget else None
    covers = _without_our_payment(covers, ask.sender.organization) if covers else None
    vocab = lower_case_words(_texts(ask))
    return Outline(
        org=org,
        org_name=_clean(ask, "partner.organization", p.organization) or "your organization",
        short=with_article(_clean(ask, "partner.short_name", p.short_name) or "") or org,
        contact=contact,
        greet=greeting_name(
            contact, ask.tone.value, greet_as, _clean(ask, "partner.contact_role", p.contact_role)
        )
        if contact
        else None,
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
        deliverables=[
            _once(ask, need, d) for d in _items(ask, "need.deliverables[{}]", ask.need.deliverables)
        ],
        deliverables_at=[
            _once(ask, need, _clean(ask, f"need.deliverables[{i}]", d))
            for i, d in enumerate(ask.need.deliverables)
        ],
        benefits_at=[
            _as_theirs(_clean(ask, f"benefits[{i}].description", b.description), p.organization)
            for i, b in enumerate(ask.benefits)
        ],
        benefits=[b for b in benefits if shape(b) != "sentence"],
        benefit_sentences=[b for b in benefits if shape(b) == "sentence"],
        milestones=_dated(ask, ask.timeline, day, vocab),
        partner_dates=_dated(ask, partner_milestones(ask), day, vocab),
        reply_day=day(reply),
        reply_index=sum(1 for m in ask.timeline if m.date <= reply),
        reply_before=before,
        slots=meeting_slots(ask),
        sender_name=_clean(ask, "sender.name", ask.sender.name) or "",
        sender_org=_clean(ask, "sender.organization", ask.sender.organization) or "",
        covers=covers.split("; ", 1)[0] if covers else None,
        covers_shape=shape(covers) if covers else "noun",
        covers_more=covers.split("; ", 1)[1] if covers and "; " in covers else None,
        location=_clean(ask, "meeting.location", ask.meeting.location) if ask.meeting else None,
        vocabulary=vocab,
        ask_for=_ask_for(ask, contact),
        spoken_greet=None
        if needs_pronunciation(contact)
        else _spoken_greet(ask, contact, greet_as),
        spoken_org="your organization" if needs_pronunciation(org) else with_article(org),
    )


_LINK_WORDS = frozenset("of for and the on in at de du la le el los las der die und".split())  # noqa: SIM905


def _as_theirs(text: str | None, org: str) -> str | None:
    """A benefit told to the partner names them as "you": "co-sponsor credit for Buckeye
    Institute for Education" is "co-sponsor credit for your institute" in a letter to it."""
    # Only a name of capitalised words, in a benefit that says enough without it: the name's
    # words are the benefit's own words too, which the draft must still carry.
    named = len(org.split()) > 1 and all(w[:1].isupper() or w in _LINK_WORDS for w in org.split())
    if not text or not named or org not in text or len(text.replace(org, "").split()) < 4:
        return text
    head = next((w.lower() for w in org.split() if w.lower() in _GENERIC_HEADS), "organization")
    text = re.sub(rf"\b(?:[Tt]he\s+)?{re.escape(org)}(?=['’]s\b|\W|$)", f"your {head}", text)
    return text[0].upper() + text[1:] if text.startswith("your ") else text


def _ask_for(ask: Ask, contact: str | None) -> str:
    """Whom a caller asks for: the contact by name, or by role where the name is in a script
    the caller may not read, else whoever looks after partnerships."""
    if contact and not needs_pronunciation(contact):
        return _said(contact)
    role = ask.partner.contact_role
    if contact and role and not needs_pronunciation(role):
        return f"your {role[0].lower()}{role[1:]}"
    if contact:
        # A name and a role the caller cannot read: whoever answers can still find them.
        return "the person in charge, or whoever looks after partnerships"
    name = _clean(ask, "partner.organization", ask.partner.organization)
    org = with_article(name or "")
    if contact or not name or needs_pronunciation(org):
        return "whoever looks after partnerships"
    return f"whoever looks after partnerships at {org}"


def _spoken_greet(ask: Ask, contact: str | None, greet_as: str | None) -> str | None:
    """A greeting said aloud: a first name or a title; a bare full name is too stiff."""
    if not contact or needs_pronunciation(contact):
        return None
    name = greeting_name(contact, ask.tone.value, greet_as)
    return None if name == contact and len(contact.split()) > 1 else _said(name)


def _said(name: str) -> str:
    """A name as a caller reads it aloud: "Prof. Whitfield" is "Professor Whitfield"."""
    return re.sub(r"^Prof\.?(?= )", "Professor", name)


def _without_our_payment(covers: str, sender: str) -> str | None:
    """`covers` without a closing "paid by us": the drafts say who pays in their own words
    ("We're covering …", "we're asking you for …"), so the ask's own clause would repeat it."""
    pattern = rf",?\s*(?:all\s+)?paid(?: for)?(?: in full)? by (?:us|{re.escape(sender)})\s*\.?$"
    trimmed = re.sub(pattern, "", covers.strip(), flags=re.IGNORECASE).strip()
    return trimmed or None


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


def amount(ask: Ask, value: Decimal) -> str:
    currency = ask.budget.currency if ask.budget else "USD"
    return money(value, currency, ask.locale_tag)
