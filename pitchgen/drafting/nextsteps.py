"""An agenda's next steps as actions with an owner and a date, planned from the ask: the
partner's answer, our written summary, then each task of the timeline from the meeting on,
written as something to do ("Share the county list and contacts"), not a milestone's label.
A task that depends on the answer (a payment, a signature) says so ("If agreed, …"), and a
payment falls to the partner organization, not to the person we meet.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from pitchgen import patterns
from pitchgen.ask import Ask, Milestone
from pitchgen.checks.wordstems import stems
from pitchgen.drafting.outline import PAYMENT, THEIR_ANSWER, Outline, milestone_owner, reply_date
from pitchgen.drafting.phrasing import bare, is_event, sentence

__all__ = ["CONFIRM_STEP", "DONE_WORDS", "MAX_STEPS", "next_steps", "task_owner"]

CONFIRM_STEP = "Send a written summary of what was agreed, with an owner and a date for each step"
MAX_STEPS = 5
# A step written as what is done by then ("County list shared") and the verb that does it.
_DONE = {
    "sent": "Send", "shared": "Share", "made": "Make", "signed": "Sign", "delivered": "Deliver",
    "submitted": "Submit", "published": "Publish", "booked": "Book", "returned": "Return",
    "confirmed": "Confirm", "approved": "Approve", "circulated": "Circulate", "posted": "Post",
    "printed": "Print", "drafted": "Draft", "finalized": "Finalize", "finalised": "Finalise",
    "completed": "Complete", "agreed": "Agree", "paid": "Pay", "ready": "Have",
}  # fmt: skip
DONE_WORDS = frozenset(_DONE)
_DETERMINERS = frozenset("the a an our your their its this these his her".split())  # noqa: SIM905
_DUE = patterns.compile(r"\s+(?:is\s+)?due\b.*$", re.IGNORECASE)


def task_owner(ask: Ask, m: Milestone) -> str:
    """Who does a milestone: `milestone_owner`, and the partner for a step that delivers one of
    their deliverables ("County list and contacts shared" after "A list of the 12 counties…,
    with a contact in each"); an event both attend stays "both"."""
    owner = milestone_owner(ask, m)
    if owner != "both" or is_event(m.milestone):
        return owner
    theirs = set().union(*(stems(d) for d in ask.need.deliverables)) - stems(ask.project.name)
    return "partner" if stems(m.milestone) & theirs else owner


def _the(words: list[str]) -> str:
    phrase = " ".join(words)
    return phrase if words and words[0].lower() in _DETERMINERS else f"the {phrase}"


def _lower_head(words: list[str]) -> list[str]:
    return [words[0][:1].lower() + words[0][1:], *words[1:]] if words else words


def as_action(text: str, owner: str, lead: str) -> str:
    """A milestone as the thing to do by its date: "Sponsorship decision" → "Let Daniel Okafor
    know the sponsorship decision"; "First 10 invitations sent to districts" → "Send the first
    10 invitations to districts"; "Sponsorship payment due" → "Make the sponsorship payment".
    Anything else keeps its own words."""
    text = bare(text)
    words = text.split()
    low = [w.lower().strip(",;") for w in words]
    done = next((i for i, w in enumerate(low) if w in _DONE and i), None)
    if "out" in low[1:] and low[low.index("out") - 1] in ("goes", "go", "sent"):
        return " ".join(["Send out", _the(_lower_head(words[: low.index("out") - 1]))])
    if done is not None:
        verb, rest = _DONE[low[done]], words[done + 1 :]
        thing = _the(_lower_head(words[:done]))
        if verb == "Have":
            return " ".join(["Have", thing, "ready", *rest])
        return " ".join([verb, thing, *rest])
    if owner == "partner" and "decision" in low:
        return f"Let {lead} know {_the([text[:1].lower() + text[1:]])}"
    if owner == "partner" and PAYMENT.search(text) and not THEIR_ANSWER.search(text):
        thing = _DUE.sub("", text)
        return f"Make {_the([thing[:1].lower() + thing[1:]])}"
    return sentence(text).rstrip(".")


def next_steps(ask: Ask, o: Outline) -> list[tuple[str, str, date, str]]:
    """(action, who, day, due) in date order; `who` is "partner", "partner_org" (a payment),
    "sender" or "both"; `due` how the day is said (`NextStep.due`). An event both sides attend
    (the summit itself) is no step; nor is a date before the meeting."""
    meeting = ask.meeting.proposed_times[0].date() if o.slots and ask.meeting else None
    reply, before = reply_date(ask)
    lead = o.sender_name or o.sender_org or "us"
    later = [m for m in ask.timeline if meeting is None or m.date >= meeting]
    # The milestone as the drafts write it (text that looks like an instruction written around).
    written = {id(m): what for m, (_, what) in zip(ask.timeline, o.milestones, strict=True)}
    steps, answers = [], set()
    for m in later:
        owner = task_owner(ask, m)
        if owner == "both":
            continue
        action = as_action(written[id(m)], owner, lead)
        # The agenda is read by both sides: "shared with you" names whom it is shared with.
        action = re.sub(r"\bwith you\b", f"with {o.contact or o.org}", action)
        if owner == "partner" and (m.date > reply or (before and m.date == reply)):
            # What follows their answer is theirs only if they say yes.
            action = "If agreed, " + action[:1].lower() + action[1:]
        if (
            owner == "partner"
            and PAYMENT.search(m.milestone)
            and not THEIR_ANSWER.search(m.milestone)
        ):
            owner = "partner_org"
        steps.append((action, owner, m.date, "by"))
        if owner == "partner" and THEIR_ANSWER.search(m.milestone):
            answers.add(action)
    answer = f"Let {lead} know whether {o.org} takes this on"
    if (meeting is None or reply >= meeting) and not answers:
        # Asked *before* that day when it is one the partner takes part in, as the email and
        # the call ask for it ("We'd need your answer before May 3"): never by the day itself.
        steps.append((answer, "partner", reply, "before" if before else "by"))
        answers.add(answer)
    # The write-up follows the meeting, the day after it: a day of no date of the ask, so it is
    # said so, and dated for sorting by the day after the last proposed time.
    days = [step[2] for step in steps] or [m.date for m in later] or [ask.last_milestone.date]
    last_slot = max(t.date() for t in ask.meeting.proposed_times) if meeting else None
    due = last_slot + timedelta(days=1) if last_slot else min(days)
    steps.append((CONFIRM_STEP, "sender", due, "after_meeting"))
    # The write-up comes first (it is the day after the meeting); on one day the answer comes
    # first, then what follows a yes.
    rank = {CONFIRM_STEP: -1} | dict.fromkeys(answers, 0)
    ordered = sorted(steps, key=lambda s: (s[2], rank.get(s[0], 2)))
    return ordered[:MAX_STEPS]
