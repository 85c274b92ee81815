"""The rubric (shared/spec/rubric.md) as pure checks, with the exact semantics of
docs/architecture.md. Every draft, from the model or the template, gets one result per
(id, level); a failing detail says what to fix, since it is shown to the reviewer and fed back
to the model in the re-ask.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import Literal

from pitchgen.ask import Ask
from pitchgen.coverage import DraftTerms, Item, ask_items, judge
from pitchgen.cta import answer_day, asks_for_answer, costs_nothing, is_request
from pitchgen.grounding import (
    DOLLARS,
    AskFacts,
    answer_by,
    ask_facts,
    blank,
    partner_milestones,
    verbatim_spans,
)
from pitchgen.models import CallScript, CheckResult, Content, Email, MeetingAgenda
from pitchgen.people import closing_form, contact_forms, name_occurrences, spoken
from pitchgen.promises import invented_promises
from pitchgen.readability import grade_level
from pitchgen.suspicious import suspicious_fields
from pitchgen.textfacts import Fact, MonthDay, fold, lower, parse_facts, phone_digits
from pitchgen.wording import money, written_date

__all__ = ["CHECKS", "must_failures", "run_checks"]

Level = Literal["must", "advice"]
Verdict = tuple[bool, str]

# --- rule tables -----------------------------------------------------------------------------

SUBJECT_WORDS = (3, 9)
SUBJECT_CHARS = 60
BODY_WORDS = (75, 200)
VOICEMAIL_WORDS = 90
MIN_QUESTIONS = 3
MAX_GRADE = 10.0
DEFAULT_MEETING_MINUTES = 30
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
_PLACEHOLDERS = tuple((re.compile(rx), whole_word) for rx, whole_word in PLACEHOLDERS)
_YOU = re.compile(r"\byou(?:rs?)?\b", re.IGNORECASE)
# A sentence ends after ". " before a capital, and at a line break. The end mark is matched, not
# looked behind for, so the scan jumps from one to the next (only a match's end is used).
_SENTENCE_BREAK = re.compile(r"[.!?] (?=[\"'(]?[A-Z])|\n")


def _straight_quotes(text: str) -> str:
    # Not str.translate: it looks every character up in a table (~50 us on a draft), where a
    # replace() of a quote the text lacks returns at once.
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


# --- the draft as the checks see it ----------------------------------------------------------


@dataclass(frozen=True)
class _Draft:
    ask: Ask
    content: Content
    raw: str

    @cached_property
    def lines(self) -> str:
        """The text with spacing folded within each line; lines kept, for sentence breaks."""
        # fold() per line, in C: " ".join(line.split()); an empty line drops out.
        lines = map(" ".join, map(str.split, _straight_quotes(self.raw).splitlines()))
        return "\n".join(filter(None, lines))

    @cached_property
    def text(self) -> str:
        """Whitespace folded: every offset below is into this (and `lines`: same length)."""
        return self.lines.replace("\n", " ")

    @cached_property
    def low(self) -> str:
        return lower(self.text)

    @cached_property
    def facts(self) -> list[Fact]:
        return parse_facts(self.text)

    @cached_property
    def verbatim(self) -> list[tuple[int, int]]:
        return verbatim_spans(self.ask, self.text)

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        starts = [0, *(m.end() for m in _SENTENCE_BREAK.finditer(self.lines))]
        return list(zip(starts, [*starts[1:], len(self.lines)], strict=True))

    @cached_property
    def claims(self) -> list[Fact]:
        """Facts outside text copied verbatim from the ask: what the draft itself asserts."""
        blanked, low = self.blanked, self.low
        return [f for f in self.facts if blanked[slice(*f.span)] == low[slice(*f.span)]]

    @cached_property
    def blanked(self) -> str:
        """The lower-cased text with the ask's own words blanked out, offsets kept."""
        return blank(self.low, self.verbatim)

    @cached_property
    def blanked_lines(self) -> str:
        """`lines` lower-cased, the ask's own words blanked out: what the draft itself says."""
        return blank(lower(self.lines), self.verbatim)

    @cached_property
    def known(self) -> AskFacts:
        return ask_facts(self.ask)

    @cached_property
    def ask_days(self) -> list[date]:
        return sorted(self.known.dates)

    @cached_property
    def odd(self) -> dict[str, str]:
        return suspicious_fields(self.ask)

    @cached_property
    def terms(self) -> DraftTerms:
        return DraftTerms([self.lines[a:b] for a, b in self.sentences], self.facts)

    def says(self, phrase: str) -> bool:
        """Whether `phrase` occurs, ignoring case, spacing, curly quotes and a final stop."""
        return _needle(phrase) in self.low


@lru_cache(maxsize=512)
def _needle(phrase: str) -> str:
    return lower(fold(_straight_quotes(phrase))).rstrip(" .!;:")


# --- wording ---------------------------------------------------------------------------------


def _and(items: Iterable[str]) -> str:
    items = list(items)
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _short(text: str, limit: int = 60) -> str:
    text = fold(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _words(text: str) -> int:
    return len(text.split())


def _all(items: list, noun: str) -> str:
    return {1: f"its {noun}", 2: f"both {noun}s"}.get(len(items), f"all {len(items)} {noun}s")


def _verdict(problems: list[str], passed: str) -> Verdict:
    return (False, "; ".join(problems)) if problems else (True, passed)


# --- the checks ------------------------------------------------------------------------------


def _names_partner(d: _Draft) -> Verdict:
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
        if hit := next((m for form in forms if (m := form.search(d.lines))), None):
            found.append(f"addresses the contact as '{hit[0]}'")
        else:
            problems.append(
                f"does not address {contact} by name (first name, title and last name, full"
                " name" + (f" or '{partner.greet_as}'" if partner.greet_as else "") + ")"
            )
    return _verdict(problems, "names " + _and(found))


def _coverage(d: _Draft, items: list[Item], what: str) -> tuple[list[str], list[str]]:
    verdicts = [judge(item, d.terms) for item in items]
    missing = [
        f"missing {v.item.label} ('{_short(v.item.text, 50)}'): does not mention {_and(v.missing)}"
        for v in verdicts
        if not v.ok
    ]
    found = [f"{v.item.label} ({', '.join(v.found[:6]) or 'in substance'})" for v in verdicts
             if v.ok]  # fmt: skip
    return missing, found


def _states_ask(d: _Draft) -> Verdict:
    need, _ = ask_items(d.ask)
    missing, found = _coverage(d, need, "need")
    if missing:
        return False, "; ".join(missing) + ("; found " + _and(found) if found else "")
    return True, "found " + _and(found)


def _partner_benefit(d: _Draft) -> Verdict:
    _, benefits = ask_items(d.ask)
    missing, found = _coverage(d, benefits, "benefit")
    org = d.ask.partner.organization
    if not (_YOU.search(d.text) or d.says(org)):
        missing.append(f"never addresses {org} as 'you' or by name")
    if missing:
        return False, "; ".join(missing) + ("; found " + _and(found) if found else "")
    return True, f"offers {org} " + _and(found)


def _plan_timeline(d: _Draft) -> Verdict:
    ask, given = d.ask, {f.value for f in d.facts if f.kind == "date"}
    if isinstance(d.content, Email):
        how, day = answer_by(ask)
        wanted = [(f"the reply-{how} date", day, None)]
        milestones = ask.timeline if len(ask.timeline) <= 3 else [ask.timeline[0], ask.timeline[-1]]
        wanted += [("the milestone date", m.date, m) for m in milestones if m.date != day]
    else:
        wanted = [("the milestone date", m.date, m) for m in ask.timeline]
    missing = [
        f"{label} {written_date(day)}" + (f" ({_short(m.milestone, 40)})" if m else "")
        for label, day, m in wanted
        if day not in given and MonthDay(day.month, day.day) not in given
    ]
    if missing:
        return False, "misses " + _and(missing)
    return True, "gives " + _and(f"{label} {written_date(day)}" for label, day, _ in wanted)


def _states_money(d: _Draft, amount: Decimal, currency: str) -> bool:
    return any(
        f.kind == "money"
        and f.value.amount == amount
        and (f.value.currency == currency or (f.text.startswith("$") and currency in DOLLARS))
        for f in d.facts
    )


def _budget_clear(d: _Draft) -> Verdict:
    budget = d.ask.budget
    if budget is None:
        figures = [f.text for f in d.claims if f.kind == "money"]
        if figures:
            return False, f"mentions {_and(figures)}, but the ask has no budget"
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
    elif hit := costs_nothing(d.text, d.ask.sender.organization):
        said = f"that it costs them nothing ('{hit}')"
    else:
        problems.append("does not say plainly that it costs them nothing")
        said = ""
    return _verdict(problems, f"states the budget of {amount} and {said}")


def _ask_day(d: _Draft, fact: Fact) -> date | None:
    """The ask's date a draft's date stands for ("March 4" is the summit's March 4, 2027)."""
    if isinstance(fact.value, date):
        return fact.value
    return next((day for day in d.ask_days if (day.month, day.day) == fact.value), None)


def _call_to_action(d: _Draft) -> Verdict:
    if isinstance(d.content, MeetingAgenda):
        steps = d.content.next_steps
        if not steps:
            return False, "lists no next step: add one with an owner and a date"
        unowned = [str(i) for i, s in enumerate(steps, 1) if not s.owner.strip()]
        if unowned:
            return False, f"next step {_and(unowned)} has no owner"
        return True, f"{len(steps)} next steps, each with an owner and a date"
    theirs = partner_milestones(d.ask)
    cutoff = theirs[0] if theirs else None
    asked, late = None, None
    dated = [f for f in d.facts if f.kind in ("date", "time") and d.known.grounds(f)]
    for start, end in d.sentences:
        dates = [f for f in dated if start <= f.span[0] < end]
        sentence = d.lines[start:end]
        if not dates or not is_request(sentence):
            continue
        for fact in dates:
            day = _ask_day(d, fact) if fact.kind == "date" else None
            if day is None:
                asked = asked or (fact, sentence)
                continue
            last, deadline = answer_day(d.lines[start : fact.span[0]], day)
            if cutoff and last >= cutoff.date and deadline and asks_for_answer(sentence):
                late = late or (fact, sentence)
            elif not cutoff or last < cutoff.date:
                asked = asked or (fact, sentence)
    if late:
        fact, sentence = late
        when = written_date(cutoff.date)
        return False, (
            f"asks for an answer by {fact.text} ('{_short(sentence, 80)}'), but the partner is"
            f" part of {_short(cutoff.milestone, 40)} on {when}: ask for it before {when}"
        )
    if asked:
        fact, sentence = asked
        return True, f"asks for a next step by {fact.text}: '{_short(sentence, 80)}'"
    how, day = answer_by(d.ask)
    return False, (
        "no sentence asks for a reply or a meeting with a date from the ask"
        f" (ask for an answer {how} {written_date(day)})"
    )


def _timebox(d: _Draft, fact: Fact) -> bool:
    """An agenda's own minutes ("Duration: 45 minutes", "10 min: The ask") are not claims."""
    agenda = d.content
    if not isinstance(agenda, MeetingAgenda) or fact.kind != "count":
        return False
    boxes = {agenda.duration_minutes, *(item.minutes for item in agenda.items)}
    return fact.value in boxes and "min" in fact.text.lower()


def _grounded(d: _Draft) -> Verdict:
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
        problems.append(f"mentions {_and(named)}, which {verb} not in the ask{note}")
    promised = invented_promises(d.ask, d.blanked_lines, d.sentences)
    for i in promised[:3]:
        start, end = d.sentences[i]
        problems.append(
            f"promises what the ask does not offer: '{_short(d.lines[start:end], 160)}'"
        )
    return _verdict(problems, "every figure, date and contact detail comes from the ask, and"
                    " every promise is one the ask makes")  # fmt: skip


def _no_placeholders(d: _Draft) -> Verdict:
    found = [
        f"'{_short(d.text[m.start() : m.end()], 30)}'"
        for rx, whole_word in _PLACEHOLDERS
        for m in rx.finditer(d.blanked)
        if not (whole_word and m.start() and d.blanked[m.start() - 1].isalnum())
    ]
    return (False, f"contains the placeholder {_and(found)}") if found else (True, "none found")


def _structure_problems(ask: Ask, content: Content) -> list[str]:
    # An empty negotiation is an absent one: whether it belongs is judged below, not here.
    problems = [
        f"the {name.replace('_', ' ')} is empty"
        for name, value in content
        if name != "negotiation" and isinstance(value, str) and not value.strip()
    ]
    if isinstance(content, CallScript):
        qas = content.anticipated_questions
        answered = sum(1 for q in qas if q.question.strip() and q.answer.strip())
        if answered < MIN_QUESTIONS:
            problems.append(f"has {answered} answered questions; it needs at least {MIN_QUESTIONS}")
        budget = ask.budget
        asks_money = budget is not None and budget.partner_contribution > 0
        needed = asks_money or (budget is not None and budget.negotiable)
        present = bool(content.negotiation and content.negotiation.strip())
        why = "the partner is asked for money" if asks_money else "the budget is negotiable"
        if needed and not present:
            problems.append(f"has no negotiation section, but {why}")
        if present and not needed:
            problems.append("has a negotiation section, but no money is asked of the partner"
                            " and the budget is not negotiable")  # fmt: skip
    if isinstance(content, MeetingAgenda):
        meeting = ask.meeting.duration_minutes if ask.meeting else DEFAULT_MEETING_MINUTES
        problems += [
            f"lists no {name.replace('_', ' ')}"
            for name in ("attendees", "items", "decisions_needed", "materials")
            if not getattr(content, name)
        ]
        for i, item in enumerate(content.items, 1):
            lacks = [w for w, v in (("topic", item.topic), ("owner", item.owner)) if not v.strip()]
            lacks += ["positive minutes"] if item.minutes <= 0 else []
            problems += [f"item {i} has no {_and(lacks)}"] if lacks else []
        total = sum(item.minutes for item in content.items)
        if content.items and total != meeting:
            problems.append(
                f"the agenda's items add up to {total} minutes, the meeting is {meeting}"
            )
        if content.duration_minutes != meeting:
            problems.append(f"the agenda says {content.duration_minutes} minutes, not {meeting}")
    return problems


def _channel_structure(d: _Draft) -> Verdict:
    content = d.content
    if isinstance(content, CallScript):
        n = len(content.anticipated_questions)
        negotiation = "with" if content.negotiation else "without"
        passed = f"every section present, {n} answered questions, {negotiation} negotiation"
    elif isinstance(content, MeetingAgenda):
        n, minutes = len(content.items), content.duration_minutes
        passed = f"{n} items adding up to {minutes} minutes, each with a topic and owner"
    else:
        passed = "subject and body present"
    return _verdict(_structure_problems(d.ask, content), passed)


def _channel_lengths(d: _Draft) -> Verdict:
    content = d.content
    if isinstance(content, CallScript):
        words = _words(content.voicemail)
        if words > VOICEMAIL_WORDS:
            return False, f"the voicemail has {words} words; keep it to {VOICEMAIL_WORDS}"
        return True, f"voicemail {words} words"
    if not isinstance(content, Email):
        return True, "agendas have no length limits"
    words, chars, body = _words(content.subject), len(content.subject), _words(content.body)
    problems = []
    if not SUBJECT_WORDS[0] <= words <= SUBJECT_WORDS[1]:
        problems.append(f"the subject has {words} words; aim for 3 to 9")
    if chars > SUBJECT_CHARS:
        problems.append(f"the subject is {chars} characters; keep it to {SUBJECT_CHARS}")
    if not BODY_WORDS[0] <= body <= BODY_WORDS[1]:
        problems.append(f"the body has {body} words; aim for 75 to 200")
    return _verdict(problems, f"subject {words} words, {chars} characters; body {body} words")


def _closing_lacks(ask: Ask, text: str, odd: dict[str, str], spoken_: bool) -> list[str]:
    fields = ("name", "organization", "role", "email", "phone")
    if spoken_ and ask.sender.phone:
        fields = (*fields[:3], "phone")  # a voicemail gives the number to call back
    details = [(f, value) for f in fields if (value := getattr(ask.sender, f))]
    tail = sum(_words(value) for _, value in details) + CLOSING_SLACK_WORDS
    closing = spoken(" ".join(_straight_quotes(text).split()[-tail:]))
    missing = []
    for field, value in details:
        if f"sender.{field}" in odd or not closing_form(value):
            continue  # markup or an instruction is never copied; emoji alone are not said
        digits = phone_digits(value) if field == "phone" else ""
        if closing_form(value) in closing or (
            len(digits) >= 7 and digits in re.sub(r"\D", "", closing)
        ):
            continue
        missing.append(f"{field} ({_short(value, 40)})")
    return missing


def _signed(d: _Draft) -> Verdict:
    content = d.content
    if isinstance(content, MeetingAgenda):
        return True, "agendas are not signed"
    part, text = ("email body", content.body) if isinstance(content, Email) else (
        "voicemail", content.voicemail)  # fmt: skip
    if missing := _closing_lacks(d.ask, text, d.odd, part == "voicemail"):
        return False, f"the {part} does not close with the sender's {_and(missing)}"
    return True, f"the {part} closes with the sender's details"


def _reading_ease(d: _Draft) -> Verdict:
    if not isinstance(d.content, Email):
        return True, "applies to emails only"
    grade = grade_level(d.content.body)
    if grade > MAX_GRADE:
        advice = f"shorten sentences and prefer short words to reach {MAX_GRADE:.0f}"
        return False, f"reads at US grade {grade:.1f}; {advice}"
    return True, f"reads at US grade {grade:.1f}"


# --- the rubric ------------------------------------------------------------------------------

RUBRIC: tuple[tuple[str, Level, Callable[[_Draft], Verdict]], ...] = (
    ("names_partner", "must", _names_partner),
    ("states_ask", "must", _states_ask),
    ("partner_benefit", "must", _partner_benefit),
    ("plan_timeline", "must", _plan_timeline),
    ("budget_clear", "must", _budget_clear),
    ("call_to_action", "must", _call_to_action),
    ("grounded", "must", _grounded),
    ("no_placeholders", "must", _no_placeholders),
    ("channel_fit", "must", _channel_structure),
    ("channel_fit", "advice", _channel_lengths),
    ("signed", "must", _signed),
    ("reading_ease", "advice", _reading_ease),
)
CHECKS: tuple[tuple[str, Level], ...] = tuple((id_, level) for id_, level, _ in RUBRIC)


def run_checks(ask: Ask, content: Content, text: str) -> list[CheckResult]:
    """Every rubric check on one draft: `text` is its plain-text rendering."""
    draft = _Draft(ask, content, text)
    return [
        CheckResult(id=id_, level=level, passed=passed, detail=detail)
        for id_, level, check in RUBRIC
        for passed, detail in [check(draft)]
    ]


def must_failures(results: Iterable[CheckResult]) -> list[CheckResult]:
    return [r for r in results if r.level == "must" and not r.passed]
