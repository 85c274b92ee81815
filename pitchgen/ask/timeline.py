"""The ask's plan as the partner reads it: which milestones they take part in, and by when
their answer is asked for. The vagueness warnings, the template drafts and the checks all
read it this one way."""

from __future__ import annotations

import re
from datetime import date

from pitchgen import patterns
from pitchgen.ask.memo import per_ask
from pitchgen.ask.model import Ask, Milestone

__all__ = [
    "PLAINLY_OURS",
    "THEIR_ANSWER",
    "answer_by",
    "is_ours",
    "our_milestones",
    "partner_milestones",
]

# A milestone is plainly ours when its text says we do it, or that something goes to them.
# The template drafts (`pitchgen.drafting.dates`) read whose a milestone is by these two too.
PLAINLY_OURS = patterns.compile(
    r"\b(?:we|our|ours|us)\b|\b(?:sent|send|shared|share|delivered|mailed|emailed|given)\b"
    r"[^.;]{0,40}\b(?:to|with)\b",
    re.IGNORECASE,
)
# A milestone that is the partner's answer itself (a decision, a confirmation) is what we ask
# for, not an event they take part in.
THEIR_ANSWER = patterns.compile(
    r"\b(?:decision|decide|confirm\w*|repl\w*|respon\w*|answer|rsvp|commit\w*|sign[- ]?off|"
    r"approv\w*|agree\w*|go/no-go)\b",
    re.IGNORECASE,
)


@per_ask
def partner_milestones(ask: Ask) -> list[Milestone]:
    """The milestones the partner is part of: every milestone that is not plainly ours (its
    text names us, "we" or "our", or says something is sent or shared to or with them) and
    is not their answer itself (a decision, a confirmation, a reply). An answer is never
    asked for on or after the day of one of these: "before April 22" when April 22 is the
    town hall, never "by April 22"."""
    return [m for m in ask.timeline if not is_ours(ask, m) and not THEIR_ANSWER.search(m.milestone)]


@per_ask
def answer_by(ask: Ask) -> tuple[str, date]:
    """How a draft asks for the answer: ("by", the reply date), or ("before", the first
    milestone the partner is part of) when the reply date falls on or after it."""
    theirs = partner_milestones(ask)
    if theirs and ask.reply_date >= theirs[0].date:
        return "before", theirs[0].date
    return "by", ask.reply_date


def our_milestones(ask: Ask) -> list[Milestone]:
    """The milestones that are plainly ours (see `partner_milestones`): what we owe by a date."""
    return [m for m in ask.timeline if is_ours(ask, m)]


def is_ours(ask: Ask, m: Milestone) -> bool:
    """Whether a milestone is plainly ours: its text says "we" or "our", or that something is
    sent or shared to or with them, or names our organization in any case."""
    return bool(PLAINLY_OURS.search(m.milestone)) or (
        ask.sender.organization.lower() in m.milestone.lower()
    )
