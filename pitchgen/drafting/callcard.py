"""What the template call script says aloud, decided from the ask: a caller on the phone can
name two items, a handful of dates and a reason, no more; the rest is promised in writing, as
the email puts its full list below the signature. The words live in
`prompts/fallback/call_script.j2`; every fact here is the ask's own.
"""

from __future__ import annotations

import re
from decimal import Decimal

from pitchgen.ask import Ask
from pitchgen.ask.timeline import partner_milestones
from pitchgen.checks.facts import parse_facts
from pitchgen.checks.figures import NUMBER_WORDS
from pitchgen.checks.wordstems import stem, stems, words
from pitchgen.content.formats import gist
from pitchgen.drafting.briefs import purpose
from pitchgen.drafting.emailplan import project_span, their_steps
from pitchgen.drafting.outline import SPOKEN_ITEMS, Outline
from pitchgen.drafting.phrasing import is_event, lower_first, shape

__all__ = [
    "BRIEF_WORDS",
    "MORE_NAMED",
    "PITCH_WORDS",
    "SPOKEN_DATES",
    "SPOKEN_LIMIT",
    "in_words",
    "need_purpose",
    "restates",
    "spoken",
    "spoken_plan",
]

# The words a caller can say in about twenty seconds, for the project and the partner's focus.
PITCH_WORDS = 30
# The partner's focus, said or noted in passing.
BRIEF_WORDS = 15
# Past this many items of a list, a card names SPOKEN_ITEMS of them aloud.
SPOKEN_LIMIT = 3
# Past this many milestones, the plan read aloud keeps only the dates that matter on the phone
# (the answer, the partner's own first steps, the event); the full timeline is kept apart.
SPOKEN_DATES = 4
# Asked "what else is involved?", a caller names this many of the items not yet said.
MORE_NAMED = 3
# A deliverable restates the need when at least this share of its words and figures are the
# need's: said after it, it reads as the same clause twice.
_RESTATED = Decimal("0.5")
_SAID = {value: word for word, value in NUMBER_WORDS.items() if value <= 12 and word != "dozen"}


def in_words(n: int) -> str:
    """A count as said aloud: "ten", "12", "40"."""
    return _SAID.get(n, str(n))


def spoken(ask: Ask, o: Outline) -> dict:
    """The items a caller names aloud: every one up to three, else the two that matter most
    (the first the ask lists), the rest promised in writing, as in the email; and the next few,
    for when they ask what else is involved."""
    many_d, many_b = len(o.deliverables_at) > SPOKEN_LIMIT, len(o.benefits_at) > SPOKEN_LIMIT
    said_d = [d for d in o.deliverables_at if d]
    named_d = said_d[: SPOKEN_ITEMS if many_d else SPOKEN_LIMIT]
    named_b = [b for b in o.benefits_at[: SPOKEN_ITEMS if many_b else SPOKEN_LIMIT] if b]
    rest_b = [b for b in o.benefits_at[SPOKEN_ITEMS:] if b and shape(b) == "noun"]
    return {
        "pitch": lambda text: gist(text, PITCH_WORDS),
        "brief": lambda text: gist(text, BRIEF_WORDS),
        "spoken_benefits": [b for b in named_b if shape(b) != "sentence"],
        "spoken_benefit_sentences": [b for b in named_b if shape(b) == "sentence"],
        "more_benefits": many_b,
        "spoken_deliverables": named_d,
        "more_deliverables": many_d,
        # Asked what else is involved: how many there are in all, and the next few by name.
        "asked_count": in_words(len(ask.need.deliverables)),
        "offered_count": in_words(len(ask.benefits)),
        "next_deliverables": _aloud(said_d[len(named_d) :][:MORE_NAMED] if many_d else [], o),
        "next_benefits": _aloud(
            [b for b in rest_b if not b.lower().startswith("our ")][:MORE_NAMED] if many_b else [],
            o,
        ),
        "items_as_need": restates(o, named_d),
        "need_purpose": need_purpose(o.need),
        "firm": o.partner_dates[0] if o.partner_dates else None,
        # The milestone after the day we ask an answer by, whoever's it is.
        "next_date": o.milestones[o.reply_index] if o.reply_index < len(o.milestones) else None,
        "spoken_plan": spoken_plan(ask, o),
    }


def _aloud(items: list[str], o: Outline) -> str:
    """Items said one after another on the phone: "a, b, and c", the comma before "and"
    telling the listener where the last one starts ("… to invite first, and a short note")."""
    said = [lower_first(item, o.vocabulary) for item in items]
    if len(said) < 3:
        return " and ".join(said)
    return ", ".join(said[:-1]) + ", and " + said[-1]


def _terms(text: str) -> set:
    """A text's words (by stem) and figures, as the checks read what it states."""
    figures = {(f.kind, str(f.value)) for f in parse_facts(text) if f.kind != "date"}
    dates = {("date", f.value.month, f.value.day) for f in parse_facts(text) if f.kind == "date"}
    return stems(text) | figures | dates


def _opening(text: str, n: int = 2) -> set:
    """The first `n` terms of a text, as `_terms` writes them: "Six volunteers on …" is
    the count 6 and "volunteer"."""
    found: list = []
    for token in words(text):
        low = token.lower()
        if low in NUMBER_WORDS or low.isdigit():
            found.append(("count", str(Decimal(NUMBER_WORDS.get(low, low)))))
        elif root := stem(token):
            found.append(root)
        if len(found) == n:
            break
    return set(found)


def restates(o: Outline, items: list[str]) -> bool:
    """Whether the items said aloud are the need again, made concrete: each opens with the
    need's own count and noun ("Ten volunteers from 8:00 to noon on cleanup day" after "Ten
    volunteers from your members for the cleanup morning"), or at least half its words and
    figures are the need's ("a list of the 12 counties where your summer reading program
    runs" after "… in the rural districts where your summer reading program runs"). Said once,
    as the request, they read as one ask, not the same clause twice."""
    if not o.need or o.need_shape != "noun" or not items:
        return False
    if any(shape(item) != "noun" for item in items):
        return False
    need = _terms(gist(o.need, PITCH_WORDS))
    for item in items:
        own = _terms(item)
        opens = _opening(item)
        if not own or not (opens <= need or len(own & need) >= _RESTATED * len(own)):
            return False
    return True


# What a need is for, said after the thing it asks for ("… to collect litter from the water"),
# up to where it says when or where (the items said instead give that).
_INFINITIVE = re.compile(
    r"\bto\s+(?!(?:the|a|an|your|our|their|its|each|every|all|be)\b)[a-z]+\b.*?"
    r"(?=\s+(?:on|at|in|during|by|between|over)\s|[,;:.]|$)"
)


def need_purpose(need: str | None) -> str | None:
    """The reason the need gives for itself, as said aloud after the items that stand for it:
    "so that we can …", or what the people asked for would do ("to canvass with us")."""
    said = gist(need or "", PITCH_WORDS)
    if found := purpose(said):
        return found
    m = _INFINITIVE.search(said)
    verb = m[0].split()[1] if m else ""
    # "to three senior centres", "to members": a place or a people it goes to, not a reason.
    if not m or verb in NUMBER_WORDS or (verb.endswith("s") and not verb.endswith("ss")):
        return None
    return m[0] if len(m[0].split()) >= 3 else None


def spoken_plan(ask: Ask, o: Outline) -> list[tuple[str, str]] | None:
    """The dates a caller reads aloud when the timeline is too long to: the answer, the
    partner's own first two steps ("you share the county list and contacts"), the project
    itself (its span, "October 11–17", where it runs over days) and the last milestone where
    it is an event the partner is part of ("the statehouse briefing"). None when every date
    can be read."""
    if len(ask.timeline) <= SPOKEN_DATES:
        return None
    when = dict(zip((day for day, _ in o.milestones), (m.date for m in ask.timeline), strict=True))
    reply = next((m.date for m in ask.timeline if when.get(o.reply_day) == m.date), None)
    lines = [(reply, ("Before " if o.reply_before else "By ") + o.reply_day, "your answer")]
    lines += [(when[day], f"By {day}", f"you {action}") for action, day in their_steps(ask, o)]
    named = [(m, written) for m, written in zip(ask.timeline, o.milestones, strict=True)
             if ask.project.name.lower() in m.milestone.lower()]  # fmt: skip
    span = project_span(ask, o)
    if span:
        lines.append((named[0][0].date, span, o.project))
    elif named:
        lines.append((named[0][0].date, *named[0][1]))
    last, (day, what) = ask.timeline[-1], o.milestones[-1]
    taken = {at for at, _, _ in lines}
    ends = [m.date for m, _ in named]
    if last in partner_milestones(ask) and is_event(what) and last.date not in {*taken, *ends}:
        lines.append((last.date, day, what))
    # The answer's day first; the rest in date order.
    first, rest = lines[0], sorted(lines[1:], key=lambda line: line[0])
    return [(day, what) for _, day, what in [first, *rest]]
