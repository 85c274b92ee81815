"""The follow-through's drafts, from templates: deterministic, written as a thoughtful person
would write them to this partner, every fact from the ask (or, for a reminder, the ledger).

- A first follow-up is a short note: it points at the pitch (when, which channel, the project)
  rather than restating it, asks the one question again with the reply date, and offers a call.
- A second is shorter still, and says it is the last.
- After a "no", at most a gracious close: thanks, no question, no date.
- The kick-off thanks them and restates who does what by when, then names the next date.
- A reminder to us names the promise, its date and what to do; a nudge to them asks, kindly,
  whether their part is still on track.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from pitchgen.ask import Ask, Channel
from pitchgen.ask.suspicious import suspicious_fields
from pitchgen.checks.kinds import FollowContext, run_kind_checks
from pitchgen.content.formats import gist, written_date
from pitchgen.content.models import Draft, Email
from pitchgen.content.render import to_text
from pitchgen.drafting.outline import Outline, amount, outline, with_year
from pitchgen.drafting.phrasing import lower_first
from pitchgen.follow.ledger import stated_day
from pitchgen.store.followrows import Commitment, NewCommitment

__all__ = [
    "WRITING_VERSION",
    "Written",
    "close",
    "follow_up",
    "kickoff",
    "reminder",
    "to_ourselves",
]

# The version of this wording, as `prompt_version` of every draft it writes.
WRITING_VERSION = "follow-templates-1"

_SIGN_OFF = {"formal": "Sincerely,", "warm": "Best,", "concise": "Thanks,"}
# What they would be doing, said of the partner by name: "whether X could host it".
_THEIR_PART = {
    "expertise": "could lend its expertise",
    "workspace": "could host it",
    "connections": "could make some introductions for it",
    "sponsorship": "could sponsor it",
    "funding": "could help fund it",
    "volunteers": "could lend some volunteers",
    "other": "could take part",
}
_PITCHED_BY = {
    Channel.email: "my email",
    Channel.call_script: "our call",
    Channel.meeting_agenda: "our meeting",
}


@dataclass(frozen=True)
class Written:
    draft: Draft
    step: str


def _day(ask: Ask, day: dt.date) -> str:
    """A date as the pitch writes it: without its year where the ask's dates all fall in one
    year and this one does too (a slipped date can move past it)."""
    year = with_year(ask) or day.year != ask.timeline[0].date.year
    return written_date(day, ask.locale_tag, year)


def _greeting(ask: Ask, o: Outline) -> str:
    if o.greet:
        return f"{'Dear' if ask.tone.value == 'formal' else 'Hi'} {o.greet},"
    return "Dear colleagues," if ask.tone.value == "formal" else "Hello,"


def _signature(ask: Ask, o: Outline) -> str:
    role = f"{ask.sender.role}, " if ask.sender.role else ""
    lines = [o.sender_name, role + o.sender_org, ask.sender.email, ask.sender.phone]
    return "\n".join(line for line in lines if line)


def _letter(ask: Ask, o: Outline, *paragraphs: str) -> str:
    closing = f"{_SIGN_OFF[ask.tone.value]}\n{_signature(ask, o)}"
    return "\n\n".join([_greeting(ask, o), *paragraphs, closing])


def _our_project(o: Outline) -> str:
    first = o.project.split()[0].lower() if o.project.split() else ""
    return o.project if first in ("the", "a", "an", "our") else f"our {o.project}"


def _when(sent: dt.date, today: dt.date) -> str:
    """When the pitch went out, said the way a person says it, with no date of our own."""
    days = (today - sent).days
    weekday = sent.strftime("%A")
    if days < 7 and sent.isocalendar()[1] == today.isocalendar()[1]:
        return f"on {weekday}"
    if days < 14:
        return f"last {weekday}"
    return "a few weeks ago"


def _reply(o: Outline) -> str:
    return ("before " if o.reply_before else "by ") + o.reply_day


def _draft(ask: Ask, email: Email, kind: str, ctx: FollowContext) -> Draft:
    text = to_text(email)
    return Draft(
        id=str(uuid.uuid4()),
        channel=Channel.email,
        source="template",
        fallback_reason="llm_off",
        prompt_version=WRITING_VERSION,
        content=email,
        text=text,
        checks=run_kind_checks(ask, email, text, ctx),
        kind=kind,
    )


def _words(text: str) -> int:
    return len(text.split())


def _original_body(pitch: Draft) -> str:
    return pitch.content.body if isinstance(pitch.content, Email) else pitch.text


def _subject(pitch: Draft, o: Outline) -> str:
    if isinstance(pitch.content, Email):
        subject = pitch.content.subject
        return subject if subject.lower().startswith("re:") else f"Re: {subject}"
    return f"Following up on {o.project}"


def follow_up(
    ask: Ask, pitch: Draft, step: int, sent: dt.date, today: dt.date, longest: int | None = None
) -> Written:
    """The first (`step` 1) or second (2) follow-up of `pitch`, sent on `sent`; `longest` is
    the word count of what it follows (default: the pitch's body)."""
    o = outline(ask)
    channel = _PITCHED_BY[Channel(pitch.channel)]
    part = _THEIR_PART[ask.need.type.value]
    if step == 1:
        body = _letter(
            ask,
            o,
            f"I'm following up on {channel} {_when(sent, today)} about {_our_project(o)},"
            f" and whether {o.org} {part}. I know how full inboxes get.",
            f"Could you let me know {_reply(o)}? I'm glad to answer any questions by email"
            " or on a quick call.",
        )
    else:
        body = _letter(
            ask,
            o,
            f"One last note about {_our_project(o)}, in case my earlier messages got buried."
            f" We would still love to work with {o.org} on it.",
            f"Could you tell me {_reply(o)}, either way? A no helps us plan too.",
        )
    email = Email(subject=_subject(pitch, o), body=body)
    original = _original_body(pitch)
    ctx = FollowContext(
        "follow_up", str(step), original=pitch.text, longest=longest or _words(original)
    )
    return Written(_draft(ask, email, "follow_up", ctx), str(step))


def close(ask: Ask, pitch: Draft) -> Written:
    """A gracious close after a "no": thanks, and the door left open; no question, no date."""
    o = outline(ask)
    body = _letter(
        ask,
        o,
        f"Thank you for letting me know about {_our_project(o)}. I understand, and I'm"
        f" grateful that {o.org} took the time to consider it.",
        "I hope we find another way to work together soon.",
    )
    email = Email(subject=_subject(pitch, o), body=body)
    ctx = FollowContext(
        "follow_up", "close", original=pitch.text, longest=_words(_original_body(pitch))
    )
    return Written(_draft(ask, email, "follow_up", ctx), "close")


def _money(ask: Ask, o: Outline) -> list[str]:
    budget = ask.budget
    if budget is None:
        return []
    share = budget.partner_contribution
    if share > 0:
        return [f"Our budget is {amount(ask, budget.amount)}, and your share is"
                f" {amount(ask, share)}."]  # fmt: skip
    if o.covers and o.covers_shape != "sentence":
        return [f"Our own budget of {amount(ask, budget.amount)} covers"
                f" {lower_first(o.covers, o.vocabulary)}, so it costs you nothing."]  # fmt: skip
    return [f"It costs you nothing: we have our own budget of {amount(ask, budget.amount)}."]


# An item longer than this is said by its gist.
ITEM_WORDS = 25
# What stands for an item whose text looks like markup or an instruction.
_WRITTEN_AROUND = {
    "need.description": "what we asked of you",
    "need.deliverables": "one of the deliverables we agreed",
    "benefits": "one of the benefits we offered you",
    "budget.covers": "what our budget covers",
    "timeline": "one of the milestones of our plan",
}
# Where a commitment's text stands in the ask, as suspicious_fields names it.
_PATHS = {"benefits": ".description", "timeline": ".milestone"}


def said(ask: Ask, c: Commitment | NewCommitment) -> str:
    """The commitment as a draft may say it: its text, unless that looks like markup, a
    placeholder or an instruction, which drafts write around (rubric.md) rather than copy."""
    head = c.source.split("[", 1)[0]
    path = c.source + _PATHS.get(head, "")
    if path in suspicious_fields(ask):
        return _WRITTEN_AROUND.get(head, "one item of the plan we agreed")
    # A long item by its gist (its first clause or sentence), as the pitch email says it.
    return gist(c.what, ITEM_WORDS).rstrip(".")


def _item(ask: Ask, o: Outline, c: Commitment | NewCommitment) -> str:
    # A date the item states already is not said twice ("payment by April 1").
    written_day = c.due is None or stated_day(ask, c.what) == c.due
    due = "" if written_day else f" (by {_day(ask, c.due)})"
    what = said(ask, c)
    if c.source == "budget.covers" and o.covers and what == c.what.rstrip("."):
        what = f"Our budget covers {lower_first(o.covers.rstrip('.'), o.vocabulary)}"
    return f"- {what}{due}"


def _heading(name: str) -> str:
    return name[:1].upper() + name[1:] + ":"


def kickoff(ask: Ask, ledger: list[Commitment] | list[NewCommitment]) -> Written:
    """The kick-off for the shared channel: thanks, who does what by when, the next date."""
    o = outline(ask)
    theirs = [_item(ask, o, c) for c in ledger if c.owner == "them"]
    ours = [_item(ask, o, c) for c in ledger if c.owner == "us"]
    dated = [(said(ask, c), c.due) for c in ledger if c.due is not None]
    paragraphs = [
        f"Thank you for saying yes to {_our_project(o)}. We're glad to be doing this with"
        f" {o.org}. Here is who does what, and by when, so we all work from one list.",
        _heading(o.org) + "\n" + "\n".join(theirs),
        _heading(o.sender_org) + "\n" + "\n".join(ours),
        *_money(ask, o),
    ]
    if dated:
        what, day = min(dated, key=lambda item: item[1])
        what = lower_first(what.rstrip("."), o.vocabulary)
        paragraphs.append(
            f"The next date is {_day(ask, day)}: {what}. Could you let me"
            " know before then if anything here needs to change?"
        )
    subject = f"Next steps for {_our_project(o)}"
    email = Email(subject=subject, body=_letter(ask, o, *paragraphs))
    ctx = FollowContext("kickoff", dates=tuple((w, d) for w, d in dated))
    return Written(_draft(ask, email, "kickoff", ctx), "kickoff")


def to_ourselves(ask: Ask) -> Ask:
    """The ask as a note to ourselves is addressed: to the sender, from the sender, so that
    sending or exporting a reminder of our own promise never reaches the partner."""
    us = ask.sender
    partner = ask.partner.model_copy(
        update={"organization": us.organization, "contact_name": us.name, "email": us.email,
                "greet_as": None, "short_name": None}
    )  # fmt: skip
    return ask.model_copy(update={"partner": partner})


def reminder(ask: Ask, commitment: Commitment) -> Written:
    """Before a commitment falls due: to us, a reminder of our promise; to them, a nudge."""
    o = outline(ask)
    due = _day(ask, commitment.due)
    what = said(ask, commitment)
    in_ask = {m.date for m in ask.timeline}
    extra = () if commitment.due in in_ask else (commitment.due,)
    if commitment.owner == "us":
        contact = o.contact or o.org
        body = "\n\n".join([
            f"A reminder: we promised {o.org} this, due {due}:",
            what,
            "If it is done, mark it done in pitchgen. If it will be late, slip it to a new"
            f" date and tell {contact} before then.",
        ])  # fmt: skip
        email = Email(subject=f"Reminder: our promise due {due}", body=body)
        step = "us"
    else:
        body = _letter(
            ask,
            o,
            f"A friendly note ahead of {due}, for {_our_project(o)}. We have this down from"
            f" {o.org}:",
            what,
            "Is it still on track? If anything has changed, just reply and we will plan around it.",
        )
        email = Email(subject=f"Checking in on {o.project}", body=body)
        step = "them"
    ctx = FollowContext("reminder", step, dates=((what, commitment.due),),
                        extra_days=extra)  # fmt: skip
    return Written(_draft(ask, email, "reminder", ctx), step)
