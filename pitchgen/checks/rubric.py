"""The rubric (shared/spec/rubric.md) as pure checks, with the exact semantics of
docs/architecture.md. Every draft, from the model or the template, gets one result per
(id, level); a failing detail says what to fix, since it is shown to the reviewer and fed back
to the model in the re-ask.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Literal

from pitchgen import patterns
from pitchgen.ask import Ask
from pitchgen.checks.asking import call_to_action
from pitchgen.checks.channelfit import channel_lengths, channel_structure
from pitchgen.checks.coverage import Item, ask_items, judge
from pitchgen.checks.cta import costs_nothing
from pitchgen.checks.draftview import (
    Draft,
    Verdict,
    and_,
    count_words,
    short,
    straight_quotes,
    verdict,
)
from pitchgen.checks.facts import Fact, MonthDay, phone_digits
from pitchgen.checks.grounding import DOLLARS, answer_by
from pitchgen.checks.needles import Guarded
from pitchgen.checks.people import closing_form, contact_forms, name_occurrences, spoken
from pitchgen.checks.promises import invented_promises
from pitchgen.checks.readability import grade_level
from pitchgen.content.emailparts import letter_and_list
from pitchgen.content.formats import gist, money, written_date
from pitchgen.content.models import CallScript, CheckResult, Content, Email, MeetingAgenda

__all__ = ["CHECKS", "must_failures", "run_checks"]

Level = Literal["must", "advice"]

# --- rule tables -----------------------------------------------------------------------------

MAX_GRADE = 10.0
# A closing is the sender's details plus a few words of sign-off ("Thank you, and warm regards").
CLOSING_SLACK_WORDS = 25
# (pattern over lower-cased text, whether it must stand as a whole word)
PLACEHOLDERS = (
    (r"\[\s*[^\W\d_][^\[\]\d]{0,40}\]", False),  # [Name], [your organization]
    (r"\{\{|\}\}|\{%|%\}", False),  # template tags left unrendered
    (r"<\s*(?:insert|add|enter|your|name|date|tbd|todo)\b[^<>]{0,40}>", False),
    (r"(?:todo|tbd|tba|fixme|xxx+)\b", True),
    (r"lorem ipsum\b", True),
)
_PLACEHOLDERS = tuple(
    (Guarded(patterns.compile(rx)), whole_word) for rx, whole_word in PLACEHOLDERS
)
_PLACEHOLDER_HINTS = ("[", "{{", "}}", "{%", "%}", "<", "todo", "tbd", "tba", "fixme", "xxx",
                      "lorem ipsum")  # fmt: skip
_YOU = patterns.compile(r"\byou(?:rs?)?\b", re.IGNORECASE)
# --- the checks ------------------------------------------------------------------------------


def _names_partner(d: Draft) -> Verdict:
    partner, odd = d.ask.partner, d.odd
    found, problems = [], []
    org = partner.organization
    if "partner.organization" in odd:
        found.append(
            f"the partner (counted as present: its name looks like {odd['partner.organization']})"
        )
    else:
        alone, longer = name_occurrences(org, d.lines, d.low)
        if alone:
            found.append(f"{org} in full")
        elif longer:
            problems.append(f"calls the partner '{longer[0]}', but its name is {org}")
        else:
            problems.append(f"does not name {org} in full")
    contact = partner.contact_name
    if contact and "partner.contact_name" in odd:
        found.append("the contact (counted as present: the name looks like"
                     f" {odd['partner.contact_name']})")  # fmt: skip
    elif contact:
        forms = contact_forms(contact, partner.greet_as)
        if hit := next((m for form in forms if (m := form.search(d.lines, d.low))), None):
            found.append(f"addresses the contact as '{hit[0]}'")
        else:
            problems.append(
                f"does not address {contact} by name (first name, title and last name, full"
                " name" + (f" or '{partner.greet_as}'" if partner.greet_as else "") + ")"
            )
    return verdict(problems, "names " + and_(found))


def _coverage(d: Draft, items: list[tuple[Item, bool]], what: str) -> tuple[list[str], list[str]]:
    verdicts = [judge(item, d.terms, brief) for item, brief in items]
    missing = [
        f"missing {v.item.label} ('{short(v.item.text, 50)}'): does not mention {and_(v.missing)}"
        for v in verdicts
        if not v.ok
    ]
    found = [f"{v.item.label} ({', '.join(v.found[:6]) or 'in substance'})" for v in verdicts
             if v.ok]  # fmt: skip
    return missing, found


# The length budget of an email and of a call script (issue 13): a text over EMAIL_GIST_WORDS
# is judged by its gist (its first sentence, else its opening clauses). Past EMAIL_LIST items
# of a list, an email sums each item up in a few words (`coverage.judge`, brief): every item is
# still there, by its figures, names and key words. A call script names EMAIL_NAMED of them
# aloud, which stand for the list when it says where the full list is.
EMAIL_GIST_WORDS = 25
EMAIL_LIST, EMAIL_NAMED = 3, 2
_REST_OFFERED = patterns.compile(r"\bfull list\b|\bthe rest of (?:the|our) list\b", re.IGNORECASE)
_REST_OFFERED_, _YOU_ = Guarded(_REST_OFFERED), Guarded(_YOU)


def _email_gist(text: str) -> str:
    return gist(text, EMAIL_GIST_WORDS)


def _judged(d: Draft) -> tuple[list[tuple[Item, bool]], list[tuple[Item, bool]]]:
    """The need, deliverables and benefits as this draft must state them, each with whether
    a summary of it will do. An agenda is a list of short items, not letter prose: it too
    states a long text by its gist, but every item in full."""
    if not isinstance(d.content, (Email, CallScript, MeetingAgenda)):
        need, benefits = ask_items(d.ask)
        return [(i, False) for i in need], [(i, False) for i in benefits]
    need, benefits = ask_items(d.ask, _email_gist)
    if isinstance(d.content, Email):
        # The deliverables spelled out sum up the need they come from too.
        many = len(need) - 1 > EMAIL_LIST
        return [(i, many) for i in need], [(i, len(benefits) > EMAIL_LIST) for i in benefits]
    if isinstance(d.content, CallScript) and _REST_OFFERED_.search(d.text, d.low):
        if len(need) - 1 > EMAIL_LIST:
            need = need[: 1 + EMAIL_NAMED]
        if len(benefits) > EMAIL_LIST:
            benefits = benefits[:EMAIL_NAMED]
    return [(i, False) for i in need], [(i, False) for i in benefits]


def _states_ask(d: Draft) -> Verdict:
    need, _ = _judged(d)
    missing, found = _coverage(d, need, "need")
    if missing:
        return False, "; ".join(missing) + ("; found " + and_(found) if found else "")
    return True, "found " + and_(found)


def _partner_benefit(d: Draft) -> Verdict:
    _, benefits = _judged(d)
    missing, found = _coverage(d, benefits, "benefit")
    org = d.ask.partner.organization
    # A name that looks like markup or an instruction is written around: counted as said.
    named = "partner.organization" in d.odd or d.says(org)
    if not (named or _YOU_.search(d.text, d.low)):
        missing.append(f"never addresses {org} as 'you' or by name")
    if missing:
        return False, "; ".join(missing) + ("; found " + and_(found) if found else "")
    return True, f"offers {org} " + and_(found)


def _plan_timeline(d: Draft) -> Verdict:
    ask, given = d.ask, {f.value for f in d.facts if f.kind == "date"}
    if isinstance(d.content, Email):
        how, day = answer_by(ask)
        wanted = [(f"the reply-{how} date", day, None)]
        milestones = ask.timeline if len(ask.timeline) <= 3 else [ask.timeline[0], ask.timeline[-1]]
        wanted += [("the milestone date", m.date, m) for m in milestones if m.date != day]
    else:
        wanted = [("the milestone date", m.date, m) for m in ask.timeline]
    missing = [
        f"{label} {written_date(day)}" + (f" ({short(m.milestone, 40)})" if m else "")
        for label, day, m in wanted
        if day not in given and MonthDay(day.month, day.day) not in given
    ]
    if missing:
        return False, "misses " + and_(missing)
    return True, "gives " + and_(f"{label} {written_date(day)}" for label, day, _ in wanted)


def _states_money(d: Draft, amount: Decimal, currency: str) -> bool:
    return any(
        f.kind == "money"
        and f.value.amount == amount
        and (f.value.currency == currency or (f.text.startswith("$") and currency in DOLLARS))
        for f in d.facts
    )


def _budget_clear(d: Draft) -> Verdict:
    budget = d.ask.budget
    if budget is None:
        # Money the ask's own prose states, in any form, is the ask's, not a budget.
        figures = [f.text for f in d.claims if f.kind == "money" and not d.known.grounds(f)]
        if figures:
            return False, f"mentions {and_(figures)}, but the ask has no budget"
        return True, "no budget in the ask, and no money figure in the draft"
    amount = money(budget.amount, budget.currency)
    contribution = money(budget.partner_contribution, budget.currency)
    problems = []
    if not _states_money(d, budget.amount, budget.currency):
        problems.append(f"does not state the budget of {amount} with its currency")
    if budget.partner_contribution > 0:
        if not _states_money(d, budget.partner_contribution, budget.currency):
            problems.append(f"does not state the partner's contribution of {contribution}")
        said = f"the partner's contribution of {contribution}"
    elif hit := costs_nothing(d.text, d.ask.sender.organization, d.low):
        said = f"that it costs them nothing ('{hit}')"
    else:
        problems.append("does not say plainly that it costs them nothing")
        said = ""
    return verdict(problems, f"states the budget of {amount} and {said}")


def _timebox(d: Draft, fact: Fact) -> bool:
    """An agenda's own minutes ("Duration: 45 minutes", "10 min: The ask") are not claims."""
    agenda = d.content
    if not isinstance(agenda, MeetingAgenda) or fact.kind != "count":
        return False
    boxes = {agenda.duration_minutes, *(item.minutes for item in agenda.items)}
    return fact.value in boxes and "min" in fact.text.lower()


def _grounded(d: Draft) -> Verdict:
    known = d.known
    invented = [
        f
        for f in d.claims
        if (not known.grounds(f) or known.counts_otherwise(f)) and not _timebox(d, f)
    ]
    problems = []
    if invented:
        named = [f.text for f in invented[:5]]
        named += [f"{len(invented) - 5} more"] if invented[5:] else []
        verb = "is" if len(invented) == 1 else "are"
        money = any(f.kind == "money" for f in invented)
        note = " (money must be the budget's amount or the partner's contribution)" if money else ""
        problems.append(f"mentions {and_(named)}, which {verb} not in the ask{note}")
    promised = invented_promises(d.ask, d.blanked_lines, d.sentences)
    for i in promised[:3]:
        start, end = d.sentences[i]
        problems.append(f"promises what the ask does not offer: '{short(d.lines[start:end], 160)}'")
    return verdict(problems, "every figure, date and contact detail comes from the ask, and"
                    " every promise is one the ask makes")  # fmt: skip


def _no_placeholders(d: Draft) -> Verdict:
    # Every placeholder pattern needs one of these (the patterns are case-sensitive, run on
    # lower-cased text): a dozen plain searches in C, where five guarded patterns cost more.
    if not any(map(d.blanked.__contains__, _PLACEHOLDER_HINTS)):
        return True, "none found"
    found = [
        f"'{short(d.text[m.start() : m.end()], 30)}'"
        for rx, whole_word in _PLACEHOLDERS
        for m in rx.finditer(d.blanked, d.blanked)  # lower case already
        if not (whole_word and m.start() and d.blanked[m.start() - 1].isalnum())
    ]
    return (False, f"contains the placeholder {and_(found)}") if found else (True, "none found")


def _closing_lacks(ask: Ask, text: str, odd: dict[str, str], spoken_: bool) -> list[str]:
    fields = ("name", "organization", "role", "email", "phone")
    if spoken_ and ask.sender.phone:
        fields = (*fields[:3], "phone")  # a voicemail gives the number to call back
    details = [(f, value) for f in fields if (value := getattr(ask.sender, f))]
    tail = sum(count_words(value) for _, value in details) + CLOSING_SLACK_WORDS
    closing = spoken(" ".join(straight_quotes(text).split()[-tail:]))
    missing = []
    for field, value in details:
        if f"sender.{field}" in odd or not closing_form(value):
            continue  # markup or an instruction is never copied; emoji alone are not said
        digits = phone_digits(value) if field == "phone" else ""
        if closing_form(value) in closing or (
            len(digits) >= 7 and digits in re.sub(r"\D", "", closing)
        ):
            continue
        missing.append(f"{field} ({short(value, 40)})")
    return missing


def _signed(d: Draft) -> Verdict:
    content = d.content
    if isinstance(content, MeetingAgenda):
        return True, "agendas are not signed"
    # An email closes at its signature; a full list set apart after it is no closing.
    part, text = ("email body", letter_and_list(content.body)[0]) if isinstance(
        content, Email) else ("voicemail", content.voicemail)  # fmt: skip
    if missing := _closing_lacks(d.ask, text, d.odd, part == "voicemail"):
        return False, f"the {part} does not close with the sender's {and_(missing)}"
    return True, f"the {part} closes with the sender's details"


def _reading_ease(d: Draft) -> Verdict:
    if not isinstance(d.content, Email):
        return True, "applies to emails only"
    # The letter is what is read as prose; the full list after the signature is a list.
    grade = grade_level(letter_and_list(d.content.body)[0])
    if grade > MAX_GRADE:
        advice = f"shorten sentences and prefer short words to reach {MAX_GRADE:.0f}"
        return False, f"reads at US grade {grade:.1f}; {advice}"
    return True, f"reads at US grade {grade:.1f}"


# --- the rubric ------------------------------------------------------------------------------

RUBRIC: tuple[tuple[str, Level, Callable[[Draft], Verdict]], ...] = (
    ("names_partner", "must", _names_partner),
    ("states_ask", "must", _states_ask),
    ("partner_benefit", "must", _partner_benefit),
    ("plan_timeline", "must", _plan_timeline),
    ("budget_clear", "must", _budget_clear),
    ("call_to_action", "must", call_to_action),
    ("grounded", "must", _grounded),
    ("no_placeholders", "must", _no_placeholders),
    ("channel_fit", "must", channel_structure),
    ("channel_fit", "advice", channel_lengths),
    ("signed", "must", _signed),
    ("reading_ease", "advice", _reading_ease),
)
CHECKS: tuple[tuple[str, Level], ...] = tuple((id_, level) for id_, level, _ in RUBRIC)


def run_checks(ask: Ask, content: Content, text: str) -> list[CheckResult]:
    """Every rubric check on one draft: `text` is its plain-text rendering."""
    draft = Draft(ask, content, text)
    return [
        CheckResult(id=id_, level=level, passed=passed, detail=detail)
        for id_, level, check in RUBRIC
        for passed, detail in [check(draft)]
    ]


def must_failures(results: Iterable[CheckResult]) -> list[CheckResult]:
    return [r for r in results if r.level == "must" and not r.passed]
