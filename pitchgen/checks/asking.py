"""The `call_to_action` check: a draft asks the partner for a next step by a date of the ask's,
early enough to come before the partner's own part (`cta` recognizes the wording; this finds
the sentence and judges its date)."""

from __future__ import annotations

import bisect
from datetime import date

from pitchgen.checks.cta import answer_day, asks_for_answer, is_request, is_request_plain
from pitchgen.checks.draftview import Draft, Verdict, and_, short
from pitchgen.checks.facts import Fact
from pitchgen.checks.grounding import answer_by, partner_milestones
from pitchgen.checks.needles import plain_case
from pitchgen.content.formats import written_date
from pitchgen.content.models import MeetingAgenda

__all__ = ["call_to_action"]


def _ask_day(d: Draft, fact: Fact) -> date | None:
    """The ask's date a draft's date stands for ("March 4" is the summit's March 4, 2027)."""
    if isinstance(fact.value, date):
        return fact.value
    return next((day for day in d.ask_days if (day.month, day.day) == fact.value), None)


def _dated_sentences(d: Draft) -> list[tuple[int, int, list[Fact]]]:
    """(start, end, the ask's dates and times in it) of each sentence that has any, in order:
    each fact placed by its start (sentences tile the text), not every sentence scanned."""
    starts = [start for start, _ in d.sentences]
    found: dict[int, list[Fact]] = {}
    named = d.named
    for f in d.facts:
        # The kind first: most facts are no date or time, and need no search of the names.
        if f.kind not in ("date", "time") or (named and d.in_name(f.span)):
            continue
        if d.known.grounds(f):
            found.setdefault(bisect.bisect_right(starts, f.span[0]) - 1, []).append(f)
    return [(*d.sentences[i], facts) for i, facts in sorted(found.items())]


def call_to_action(d: Draft) -> Verdict:
    """An agenda's next steps each with an owner; an email's or a call's sentence asking for a
    reply or a meeting by a date of the ask's, and before the partner's own part begins."""
    if isinstance(d.content, MeetingAgenda):
        steps = d.content.next_steps
        if not steps:
            return False, "lists no next step: add one with an owner and a date"
        unowned = [str(i) for i, s in enumerate(steps, 1) if not s.owner.strip()]
        if unowned:
            return False, f"next step {and_(unowned)} has no owner"
        return True, f"{len(steps)} next steps, each with an owner and a date"
    theirs = partner_milestones(d.ask)
    cutoff = theirs[0] if theirs else None
    asked, late = None, None
    # A draft without any of the few characters whose case is odd has none in a sentence.
    plain = plain_case(d.lines)
    for start, end, dates in _dated_sentences(d):
        sentence = d.lines[start:end]
        low = d.low_lines[start:end]
        if not (is_request_plain(low) if plain else is_request(sentence, low)):
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
            f"asks for an answer by {fact.text} ('{short(sentence, 80)}'), but the partner is"
            f" part of {short(cutoff.milestone, 40)} on {when}: ask for it before {when}"
        )
    if asked:
        fact, sentence = asked
        return True, f"asks for a next step by {fact.text}: '{short(sentence, 80)}'"
    how, day = answer_by(d.ask)
    return False, (
        "no sentence asks for a reply or a meeting with a date from the ask"
        f" (ask for an answer {how} {written_date(day)})"
    )
