"""The dates and times of a template draft, as the ask gives them: whose each milestone is (the
partner's answer or payment, what we hand them, or both sides'), the day an answer is asked
by, whether dates write their year, and the proposed meeting times on each side's clock.
`pitchgen.drafting.outline` puts them in the outline; the next steps read the milestones here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pitchgen import patterns
from pitchgen.ask import Ask, Milestone
from pitchgen.ask.timeline import THEIR_ANSWER, is_ours
from pitchgen.checks.grounding import answer_by
from pitchgen.content.formats import (
    clock,
    full_date,
    in_zone,
    spoken_clock,
    written_date,
    years_shown,
    zone_label,
    zone_name,
)

__all__ = [
    "PAYMENT",
    "THEIR_ANSWER",
    "Slot",
    "meeting_slots",
    "milestone_owner",
    "partial_day",
    "reply_date",
    "with_year",
]

# Whose a milestone is: by `is_ours` and `THEIR_ANSWER`, the one reading of it the ask's plan
# (`pitchgen.ask.timeline`) and so the checks use too; only money is read here alone.
PAYMENT = patterns.compile(r"\b(?:pay|payment|paid|grant|funds|contribution|sponsorship)\b", re.I)


def milestone_owner(ask: Ask, m: Milestone) -> str:
    """Who a milestone falls to: "partner" for their answer (and their payment, when money is
    asked of them), "sender" for what we hand them, "both" for the rest (the event itself)."""
    if THEIR_ANSWER.search(m.milestone):
        return "partner"
    if ask.budget and ask.budget.partner_contribution > 0 and PAYMENT.search(m.milestone):
        return "partner"
    return "sender" if is_ours(ask, m) else "both"


@dataclass(frozen=True)
class Slot:
    """A proposed time on the meeting's clock (its zone named only where someone's clock
    differs), ours in brackets where it differs, and the time as said aloud."""

    day: str
    time: str
    spoken: str
    zone: str | None
    ours: str | None
    ours_spoken: str | None


def reply_date(ask: Ask) -> tuple[dt.date, bool]:
    """The day we ask for an answer, and whether it is asked *before* that day: the reply
    date, or the first milestone the partner takes part in when the reply falls on or after it
    (`pitchgen.grounding.answer_by`, the rule the checks hold drafts to)."""
    how, day = answer_by(ask)
    return day, how == "before"


def meeting_slots(ask: Ask) -> list[Slot]:
    """The meeting's proposed times, each as the drafts give it (see `Slot`)."""
    meeting = ask.meeting
    if not meeting or not meeting.proposed_times:
        return []
    zone, ours, locale = meeting.time_zone, ask.sender.time_zone, ask.locale_tag
    year = with_year(ask)
    # With no named zone each time keeps its own offset: a converted time is no fact of the ask.
    offsets = {t.utcoffset() for t in meeting.proposed_times}
    slots = []
    for moment in meeting.proposed_times:
        here = in_zone(moment, zone) if zone else moment
        mine = in_zone(moment, ours) if ours else None
        theirs = spoken = None
        if mine is not None and mine.utcoffset() != here.utcoffset():
            theirs = f"{clock(mine, locale)} {zone_label(ours, locale)}"
            spoken = f"{spoken_clock(mine, locale)} {zone_label(ours, locale)}"
            if mine.date() != here.date():
                theirs = f"{written_date(mine.date(), locale, year)}, {theirs}"
                spoken = f"{written_date(mine.date(), locale, year)}, {spoken}"
        named = zone_label(zone, locale) if zone else zone_name(here, None, locale)
        slots.append(
            Slot(
                day=full_date(here.date(), locale, year),
                time=clock(here, locale),
                spoken=spoken_clock(here, locale),
                zone=named if theirs or len(offsets) > 1 else None,
                ours=theirs,
                ours_spoken=spoken,
            )
        )
    return slots


def partial_day(locale: str, year: bool = True):
    return lambda d: written_date(d, locale, year)


def with_year(ask: Ask) -> bool:
    """Whether the drafts of `ask` write each date's year: only where its dates (milestones,
    reply date, proposed times) fall in more than one year (`years_shown`)."""
    days = [m.date for m in ask.timeline]
    days += [ask.respond_by] if ask.respond_by else []
    days += [t.date() for t in ask.meeting.proposed_times] if ask.meeting else []
    return years_shown(days)
