"""Figures in the ask's own text written the draft's one way: money that is the budget's own
figure in the locale's form ("4000 dollars" is "$4,000"), and clock times on the locale's clock
("from 9:00 to 12:00" is "from 9:00 AM to 12:00 PM" for a US reader). Any other figure stays as
the ask writes it: it is a value of the ask's text, which the checks compare against.
"""

from __future__ import annotations

import datetime as dt

from pitchgen import patterns
from pitchgen.ask import Ask
from pitchgen.checks.facts import Money, parse_facts
from pitchgen.content.formats import clock, money

__all__ = ["in_our_form"]


def in_our_form(ask: Ask, text: str) -> str:
    """`text` with its budget money and its clock times written the draft's way."""
    return _clock_in_our_form(ask, _money_in_our_form(ask, text))


_HHMM = patterns.compile(r"(?<![\d:.,])([01]?\d|2[0-3]):([0-5]\d)(?![\d:]|\s?(?:[AaPp]\.?[Mm]\b))")


def _clock_in_our_form(ask: Ask, text: str) -> str:
    """Times in ask text written the draft's way: a text that uses the 24-hour clock ("from
    7:30 to 13:00") reads "from 7:30 AM to 1:00 PM" where the locale writes AM and PM."""
    if ":" not in text:
        return text
    found = list(_HHMM.finditer(text))
    clear = any(int(m[1]) >= 13 or m[1] == "00" for m in found) or _TO_NOON.search(text)
    if not clear or not _twelve_hour(ask.locale_tag):
        return text
    for m in reversed(found):
        moment = dt.datetime(2000, 1, 1, int(m[1]), int(m[2]))
        written = clock(moment, ask.locale_tag)
        # "to 12:00 PM" is how a form writes it; a person writes "to noon".
        written = "noon" if written == "12:00 PM" else written
        text = text[: m.start()] + written + text[m.end() :]
    return text


# A morning written on the 24-hour clock: "from 9:00 to 12:00" ends at noon, not midnight.
_TO_NOON = patterns.compile(
    r"(?<![\d:.,])(?:[5-9]|0[5-9]|1[01]):[0-5]\d\s*(?:to|until|till|-|–|—)\s*12:[0-5]\d(?![\d:]"
    r"|\s?[AaPp]\.?[Mm]\b)"
)


def _twelve_hour(locale: str) -> bool:
    return clock(dt.datetime(2000, 1, 1, 13, 0), locale) != "13:00"


# Money needs a digit and a currency: a symbol, a code or a word ("4000 dollars").
_MONEY_HINT = patterns.compile(
    r"\d(?=.*(?:[$€£¥₹]|\b[A-Z]{3}\b|(?i:dollar|euro|pound)))|[$€£¥₹]\s?\d"
)


def _money_in_our_form(ask: Ask, text: str) -> str:
    """Money in ask text written the draft's one way ("4000 dollars" → "$4,000")."""
    # With no budget no money figure may appear in a draft but as the ask writes it.
    if ask.budget is None or not _MONEY_HINT.search(text):
        return text
    # Only the budget's own figures: any other stays as the ask writes it, a value of its text.
    budget = ask.budget
    ours = {(budget.amount, budget.currency), (budget.partner_contribution, budget.currency)}
    facts = [
        f
        for f in parse_facts(text)
        if f.kind == "money" and isinstance(f.value, Money) and tuple(f.value) in ours
    ]
    for fact in reversed(facts):
        start, end = fact.span
        written = money(fact.value.amount, fact.value.currency, ask.locale_tag)
        text = text[:start] + written + text[end:]
    return text
