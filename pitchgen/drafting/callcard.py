"""What the template call script says aloud, decided from the ask: a caller on the phone can
name two items, a handful of dates and a reason, no more; the rest is promised in writing, as
the email puts its full list below the signature. The words live in
`prompts/fallback/call_script.j2`; every fact here is the ask's own.
"""

from __future__ import annotations

from pitchgen.ask import Ask
from pitchgen.ask.timeline import partner_milestones
from pitchgen.checks.figures import NUMBER_WORDS
from pitchgen.content.formats import gist
from pitchgen.drafting.emailplan import project_span, their_steps
from pitchgen.drafting.outline import SPOKEN_ITEMS, Outline
from pitchgen.drafting.phrasing import is_event, lower_first, shape
from pitchgen.drafting.restated import need_purpose, restates

__all__ = [
    "BRIEF_WORDS",
    "MORE_NAMED",
    "PITCH_WORDS",
    "SPOKEN_DATES",
    "SPOKEN_LIMIT",
    "in_words",
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
        "items_as_need": restates(o, named_d, PITCH_WORDS),
        "need_purpose": need_purpose(o.need, PITCH_WORDS),
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
