"""The rubric (shared/spec/rubric.md) as pure checks, with the exact semantics of
docs/architecture.md. Every draft, from the model or the template, gets one result per
(id, level); a failing detail says what to fix, since it is shown to the reviewer and fed back
to the model in the re-ask.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal

from pitchgen.ask import Ask
from pitchgen.checks.facts import Fact, MonthDay, fold, lower, parse_facts, phone_digits
from pitchgen.checks.grounding import AskFacts, ask_facts, blank, verbatim_spans
from pitchgen.checks.readability import grade_level
from pitchgen.content.formats import money, written_date
from pitchgen.content.models import CallScript, CheckResult, Content, Email, MeetingAgenda

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
# Words that make a sentence ask for a reply or a meeting (a call to action), by stem.
CTA_CUES = (r"repl|respon|let (?:me|us) know|confirm|answer|decision|decide|get back|hear (?:from"
            r"|back)|meet|call|talk|chat|speak|schedule|available|availability|join|sign up|agree|"
            r"commit|connect|follow up|touch base|book|RSVP")  # fmt: skip
NOTHING_COSTS = re.compile(r"\bcosts? you nothing\b", re.IGNORECASE)

_PLACEHOLDERS = tuple((re.compile(rx), whole_word) for rx, whole_word in PLACEHOLDERS)
_CTA = re.compile(rf"\b(?:{CTA_CUES})", re.IGNORECASE)
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
    def known(self) -> AskFacts:
        return ask_facts(self.ask)

    def says(self, phrase: str) -> bool:
        """Whether `phrase` occurs, ignoring case, spacing, curly quotes and a final stop."""
        return _needle(phrase) in self.low


@lru_cache(maxsize=512)
def _needle(phrase: str) -> str:
    return lower(fold(_straight_quotes(phrase))).rstrip(" .!;:")


# --- wording ---------------------------------------------------------------------------------


def _and(items: Iterable[str]) -> str:
    items = list(items)
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
    names = [n for n in (d.ask.partner.organization, d.ask.partner.contact_name) if n]
    missing = [n for n in names if not d.says(n)]
    if missing:
        return False, f"does not name {_and(missing)}"
    return True, f"names {_and(names)}"


def _states_ask(d: _Draft) -> Verdict:
    need = d.ask.need
    missing = [x for x in need.deliverables if not d.says(x)]
    problems = [f"misses the deliverable '{_short(x)}'" for x in missing]
    if not d.says(need.description):
        problems.insert(0, f"does not state the need as written ('{_short(need.description)}')")
    extra = f" and {_all(need.deliverables, 'deliverable')}" if need.deliverables else ""
    return _verdict(problems, f"states the need{extra}")


def _partner_benefit(d: _Draft) -> Verdict:
    benefits, org = [b.description for b in d.ask.benefits], d.ask.partner.organization
    problems = [f"misses the benefit '{_short(b)}'" for b in benefits if not d.says(b)]
    if not (_YOU.search(d.text) or d.says(org)):
        problems.append(f"never addresses {org} as 'you' or by name")
    return _verdict(problems, f"offers {org} {_all(benefits, 'benefit')}")


def _plan_timeline(d: _Draft) -> Verdict:
    ask, given = d.ask, {f.value for f in d.facts if f.kind == "date"}
    if isinstance(d.content, Email):
        wanted = [("the last milestone date", ask.last_milestone.date, ask.last_milestone)]
        if ask.respond_by:
            wanted.append(("the reply-by date", ask.respond_by, None))
    else:
        wanted = [("the milestone date", m.date, m) for m in ask.timeline]
    missing = [
        f"{label} {written_date(day)}" + (f" ({_short(m.milestone, 40)})" if m else "")
        for label, day, m in wanted
        if day not in given and MonthDay(day.month, day.day) not in given
    ]
    if missing:
        return False, "misses " + _and(missing)
    if isinstance(d.content, Email):
        return True, "gives " + _and(f"{label} {written_date(day)}" for label, day, _ in wanted)
    return True, f"gives {_all(wanted, 'milestone date')}"


def _budget_clear(d: _Draft) -> Verdict:
    budget = d.ask.budget
    if budget is None:
        figures = [f.text for f in d.claims if f.kind == "money"]
        if figures:
            return False, f"mentions {_and(figures)}, but the ask has no budget"
        return True, "no budget in the ask, and no money figure in the draft"
    stated = {f.value for f in d.facts if f.kind == "money"}
    amount = money(budget.amount, budget.currency)
    contribution = money(budget.partner_contribution, budget.currency)
    problems = []
    if (budget.amount, budget.currency) not in stated:
        problems.append(f"does not state the budget of {amount} with its currency")
    if budget.partner_contribution > 0:
        if (budget.partner_contribution, budget.currency) not in stated:
            problems.append(f"does not state the partner's contribution of {contribution}")
        said = f"the partner's contribution of {contribution}"
    else:
        if not NOTHING_COSTS.search(d.text):
            problems.append("does not say plainly that it costs you nothing")
        said = "that it costs the partner nothing"
    return _verdict(problems, f"states the budget of {amount} and {said}")


def _call_to_action(d: _Draft) -> Verdict:
    if isinstance(d.content, MeetingAgenda):
        steps = d.content.next_steps
        if not steps:
            return False, "lists no next step: add one with an owner and a date"
        unowned = [str(i) for i, s in enumerate(steps, 1) if not s.owner.strip()]
        if unowned:
            return False, f"next step {_and(unowned)} has no owner"
        return True, f"{len(steps)} next steps, each with an owner and a date"
    starts = [start for start, _ in d.sentences]
    for fact in d.facts:
        if fact.kind != "date" or not d.known.grounds(fact):
            continue
        start, end = d.sentences[bisect.bisect_right(starts, fact.span[0]) - 1]
        # The ask's own words ("Confirm the room") are a milestone, not a request of ours.
        if _CTA.search(d.blanked, start, end):
            return True, f"asks for a next step by {fact.text}: '{_short(d.text[start:end])}'"
    return False, (
        "no sentence asks for a reply or a meeting with a date from the ask"
        f" (the reply-by date is {written_date(d.ask.reply_date)})"
    )


def _grounded(d: _Draft) -> Verdict:
    invented = [f for f in d.claims if not d.known.grounds(f)]
    if not invented:
        return True, "every figure, date and contact detail comes from the ask"
    named = [f.text for f in invented[:5]] + ([f"{len(invented) - 5} more"] if invented[5:] else [])
    verb = "is" if len(invented) == 1 else "are"
    money = any(f.kind == "money" for f in invented)
    note = " (money must be the budget's amount or the partner's contribution)" if money else ""
    return False, f"mentions {_and(named)}, which {verb} not in the ask{note}"


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


def _closing_lacks(ask: Ask, text: str) -> list[str]:
    fields = ("name", "organization", "role", "email", "phone")
    details = [(f, value) for f in fields if (value := getattr(ask.sender, f))]
    tail = sum(_words(value) for _, value in details) + CLOSING_SLACK_WORDS
    closing = lower(" ".join(_straight_quotes(text).split()[-tail:]))
    missing = []
    for field, value in details:
        digits = phone_digits(value) if field == "phone" else ""
        if _needle(value) in closing or (len(digits) >= 7 and digits in re.sub(r"\D", "", closing)):
            continue
        missing.append(f"{field} ({_short(value, 40)})")
    return missing


def _signed(d: _Draft) -> Verdict:
    content = d.content
    if isinstance(content, MeetingAgenda):
        return True, "agendas are not signed"
    part, text = ("email body", content.body) if isinstance(content, Email) else (
        "voicemail", content.voicemail)  # fmt: skip
    if missing := _closing_lacks(d.ask, text):
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
