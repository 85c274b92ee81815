"""The follow-through's rules, held as data: the outcomes of a pitch and what may follow each,
the commitment statuses, and the business-day schedule of follow-ups and reminders.

Schedule defaults (docs/follow-through.md says why): the first follow-up three business days
after the pitch went out, the second five business days after the first, and never a third;
reminders three business days before a commitment falls due.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = [
    "COMMITMENT_STATUSES",
    "OUTCOMES",
    "OUTCOME_TRANSITIONS",
    "OWNERS",
    "Schedule",
    "add_business_days",
    "business_days_between",
]

OUTCOMES = ("replied", "accepted", "declined", "no_answer")
# standing outcome (None: none yet) → the outcomes that may be recorded after it. A reply may
# turn into a yes or a no; silence may still be broken; a yes or a no is final (a partner who
# changes their mind is a new ask).
OUTCOME_TRANSITIONS: dict[str | None, frozenset[str]] = {
    None: frozenset(OUTCOMES),
    "no_answer": frozenset({"replied", "accepted", "declined"}),
    "replied": frozenset({"accepted", "declined"}),
    "accepted": frozenset(),
    "declined": frozenset(),
}
OWNERS = ("us", "them")
COMMITMENT_STATUSES = ("open", "done", "slipped")
# action → (statuses it applies to, the status it leads to)
COMMITMENT_ACTIONS: dict[str, tuple[frozenset[str], str]] = {
    "done": (frozenset({"open", "slipped"}), "done"),
    "slip": (frozenset({"open", "slipped"}), "slipped"),
}


def add_business_days(day: dt.date, n: int) -> dt.date:
    """The day `n` business days (Monday to Friday) after `day` (before it for negative `n`)."""
    step = 1 if n >= 0 else -1
    left = abs(n)
    while left:
        day += dt.timedelta(days=step)
        if day.weekday() < 5:
            left -= 1
    return day


def business_days_between(start: dt.date, end: dt.date) -> int:
    """Business days after `start` up to and including `end` (0 when `end` is not later)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += day.weekday() < 5
    return count


@dataclass(frozen=True)
class Schedule:
    """When follow-through drafts fall due, in business days (settings
    `PITCHGEN_FOLLOW_UP_DAYS`, `PITCHGEN_REMINDER_DAYS`)."""

    first: int = 3
    second: int = 5
    reminder: int = 3

    def follow_up_due(self, sent: dt.date, step: int) -> dt.date:
        days = self.first if step == 1 else self.first + self.second
        return add_business_days(sent, days)

    def reminder_due(self, due: dt.date) -> dt.date:
        return add_business_days(due, -self.reminder)
