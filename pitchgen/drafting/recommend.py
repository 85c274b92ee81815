"""Which channel to lead with (seed step 3: "it depends on the nature and size of the ask").

The rule is the table `RULES`, read top to bottom: the first condition that holds picks the
channel, and its reason is what the user sees. A large or multi-party commitment outranks
money or urgency, which outrank the default of a short email.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from pitchgen.ask import Ask, Channel, NeedType
from pitchgen.content.formats import money
from pitchgen.content.models import Recommendation
from pitchgen.drafting.phrasing import is_no_contact

__all__ = ["LARGE_COMMITMENT", "RULES", "SEVERAL_DELIVERABLES", "SOON", "recommend"]

# Sponsorship or funding at or above this (in the ask's currency) is worth a meeting.
LARGE_COMMITMENT = Decimal(10_000)
SEVERAL_DELIVERABLES = 3
SOON = timedelta(days=14)


@dataclass(frozen=True)
class Rule:
    channel: Channel
    holds: Callable[[Ask, date], bool]
    reason: Callable[[Ask, date], str]


def _money(ask: Ask, amount: Decimal) -> str:
    return money(amount, ask.budget.currency if ask.budget else "USD", ask.locale_tag)


def _large_money(ask: Ask) -> Decimal | None:
    if ask.need.type not in (NeedType.sponsorship, NeedType.funding) or ask.budget is None:
        return None
    asked = ask.budget.partner_contribution or ask.budget.amount
    return asked if asked >= LARGE_COMMITMENT else None


def _partner_pays(ask: Ask) -> bool:
    return ask.budget is not None and ask.budget.partner_contribution > 0


def _days_left(ask: Ask, today: date) -> int:
    return (ask.reply_date - today).days


RULES: tuple[Rule, ...] = (
    Rule(
        Channel.meeting_agenda,
        lambda ask, _: _large_money(ask) is not None,
        lambda ask, _: (
            f"a {ask.need.type.value} commitment of {_money(ask, _large_money(ask))} is large"
            f" enough to agree face to face, with the plan and budget on the table"
        ),
    ),
    Rule(
        Channel.meeting_agenda,
        lambda ask, _: len(ask.need.deliverables) >= SEVERAL_DELIVERABLES,
        lambda ask, _: (
            f"the ask has {len(ask.need.deliverables)} deliverables: a meeting lets both sides"
            " agree who does what, and when"
        ),
    ),
    Rule(
        Channel.call_script,
        lambda ask, _: _partner_pays(ask),
        lambda ask, _: (
            f"it asks {ask.partner.organization} for"
            f" {_money(ask, ask.budget.partner_contribution)}: money asks go better in a"
            " conversation where you can answer questions and negotiate"
        ),
    ),
    Rule(
        Channel.call_script,
        lambda ask, _: ask.budget is not None and ask.budget.negotiable,
        lambda ask, _: "the budget is negotiable: a call leaves room to find terms together",
    ),
    Rule(
        Channel.call_script,
        lambda ask, today: _days_left(ask, today) <= SOON.days,
        lambda ask, today: (
            f"you need an answer by {ask.reply_date.isoformat()}, within two weeks"
            f" ({max(_days_left(ask, today), 0)} days): a call gets a quicker reply than an email"
        ),
    ),
    Rule(
        Channel.call_script,
        lambda ask, _: is_no_contact(ask.partner.relationship),
        lambda ask, _: (
            f"there is no prior relationship with {ask.partner.organization}: a call introduces"
            " you before anything lands in their inbox"
        ),
    ),
    Rule(
        Channel.email,
        lambda ask, _: True,
        lambda ask, _: (
            f"a small, well-defined ask that costs {ask.partner.organization} nothing"
            + (
                ": an email they can read in their own time is the easiest first contact"
                if is_no_contact(ask.partner.relationship)
                else ", to a partner you already know: an email is easy to say yes to"
            )
        ),
    ),
)
# When the rule's channel was not asked for: the first asked-for channel, in this order.
FALLBACK_ORDER = (Channel.call_script, Channel.email, Channel.meeting_agenda)


def recommend(ask: Ask, today: date | None = None) -> Recommendation:
    """The channel to lead with, and why (the first rule in `RULES` that holds)."""
    today = today or date.today()
    rule = next(r for r in RULES if r.holds(ask, today))
    if rule.channel in ask.channels:
        return Recommendation(channel=rule.channel, reason=rule.reason(ask, today))
    # Recommend only among the channels asked for: the best of those the rule would reach.
    best = next(
        (r for r in RULES if r.channel in ask.channels and r.holds(ask, today)),
        None,
    )
    if best is not None:
        return Recommendation(channel=best.channel, reason=best.reason(ask, today))
    channel = next(c for c in FALLBACK_ORDER if c in ask.channels)
    return Recommendation(
        channel=channel,
        reason=f"a {rule.channel.value.replace('_', ' ')} would suit this ask best"
        f" ({rule.reason(ask, today)}), but only {_and_channels(ask)} was asked for",
    )


def _and_channels(ask: Ask) -> str:
    names = [c.value.replace("_", " ") for c in ask.channels]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
