"""The commitments an accepted ask opens, both ways, each with the date it falls due.

Theirs: the need and each deliverable. Ours: each benefit offered, what the budget covers,
and each milestone of ours. A due date is always one the ask states, so every draft that names
it stays grounded: a date the item's own text gives (a deliverable "by April 1"); else, for
theirs, the first milestone they take part in, and for what the budget covers, the same; for a
benefit, the project's last milestone ("due after the project", rubric.md); a milestone of
ours falls due on its own date. With no milestone to go by, the last one in the timeline.
"""

from __future__ import annotations

import datetime as dt

from pitchgen.ask import Ask
from pitchgen.ask.timeline import our_milestones, partner_milestones
from pitchgen.checks.facts import MonthDay, parse_facts
from pitchgen.store.followrows import NewCommitment

__all__ = ["commitments_of", "stated_day"]


def stated_day(ask: Ask, text: str) -> dt.date | None:
    """A milestone date the text itself gives, in any written form."""
    days = {m.date for m in ask.timeline}
    for fact in parse_facts(text):
        if fact.kind != "date":
            continue
        if isinstance(fact.value, dt.date) and fact.value in days:
            return fact.value
        if isinstance(fact.value, MonthDay):
            hit = [d for d in days if (d.month, d.day) == (fact.value.month, fact.value.day)]
            if hit:
                return min(hit)
    return None


def commitments_of(ask: Ask) -> list[NewCommitment]:
    """Every promise the accepted ask makes, theirs first, in the ask's order."""
    last = max(m.date for m in ask.timeline)
    theirs = partner_milestones(ask)
    event = theirs[0].date if theirs else last
    out = [NewCommitment("them", ask.need.description, "need.description",
                         stated_day(ask, ask.need.description) or event)]  # fmt: skip
    out += [
        NewCommitment("them", item, f"need.deliverables[{i}]", stated_day(ask, item) or event)
        for i, item in enumerate(ask.need.deliverables)
    ]
    out += [
        NewCommitment("us", text, f"benefits[{i}]", stated_day(ask, text) or last)
        for i, text in enumerate(b.description for b in ask.benefits)
    ]
    if ask.budget is not None and ask.budget.covers:
        covers = ask.budget.covers
        out.append(NewCommitment("us", covers, "budget.covers", stated_day(ask, covers) or event))
    ours = {id(m) for m in our_milestones(ask)}
    out += [
        NewCommitment("us", m.milestone, f"timeline[{i}]", m.date)
        for i, m in enumerate(ask.timeline)
        if id(m) in ours
    ]
    return out
