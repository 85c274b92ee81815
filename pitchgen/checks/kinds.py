"""The rubric for the follow-through's drafts (follow-ups, the kick-off, reminders): the same
checks as a pitch, chosen by what each draft is for, and a few of their own.

A follow-up refers to the pitch rather than restating it, so the checks that ask for the whole
ask (`states_ask`, `partner_benefit`, `budget_clear`) are not asked of it; it must still name
the partner, give the reply date again, ask one dated question, invent nothing and be signed,
and `follows_up` checks that it names the project, repeats no sentence of what it follows up
and is shorter than it. A gracious close after a "no" asks for nothing. The kick-off restates
both sides of the bargain, so it is checked as a pitch is, with its plan read as the dates
that each commitment falls due and its call to action as the next of those dates. A reminder
names the commitment and its due date, which may be a new one a slip set: that date is ours
to state, not an invented one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from pitchgen.ask import Ask
from pitchgen.checks.cta import is_request
from pitchgen.checks.draftview import Draft, Verdict, and_, count_words, short, verdict
from pitchgen.checks.facts import MonthDay
from pitchgen.checks.grounding import answer_by
from pitchgen.checks.rubric import RUBRIC
from pitchgen.content.formats import written_date
from pitchgen.content.models import CheckResult, Email

__all__ = ["FollowContext", "run_kind_checks"]

# A sentence of the original this long, found again whole, is repetition, not a reference.
REPEAT_WORDS = 6


@dataclass(frozen=True)
class FollowContext:
    """What a follow-through draft is checked against beyond the ask."""

    kind: str
    step: str = ""
    original: str | None = None  # the text it follows up
    longest: int | None = None  # its body must have fewer words than this
    dates: tuple[tuple[str, date], ...] = ()  # what falls due when (kick-off, reminder)
    extra_days: tuple[date, ...] = ()  # dates outside the ask that are ours to state


_BY_ID = {(id_, level): fn for id_, level, fn in RUBRIC}


def _has_day(d: Draft, day: date) -> bool:
    given = {f.value for f in d.facts if f.kind == "date"}
    return day in given or MonthDay(day.month, day.day) in given


def _reply_date(d: Draft) -> Verdict:
    how, day = answer_by(d.ask)
    if _has_day(d, day):
        return True, f"gives the reply-{how} date {written_date(day)} again"
    return False, f"misses the reply-{how} date {written_date(day)}"


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+|\n+", text)
    return [" ".join(p.split()) for p in parts if count_words(p) >= REPEAT_WORDS]


def _follows_up(ctx: FollowContext) -> Callable[[Draft], Verdict]:
    def check(d: Draft) -> Verdict:
        problems, found = [], []
        project = d.ask.project.name
        if d.says(project):
            found.append(f"refers to {project}")
        else:
            problems.append(f"does not name the project ({project}) it follows up")
        sender = (d.ask.sender.name.lower(), d.ask.sender.organization.lower())
        if ctx.original:
            ours = {s.lower() for s in _sentences(ctx.original)}
            again = [
                s
                for s in _sentences(d.raw)
                if s.lower() in ours and not any(n in s.lower() for n in sender)
            ]
            if again:
                problems.append(f"repeats the original: '{short(again[0], 80)}'")
            else:
                found.append("repeats no sentence of the original")
        body = d.content.body if isinstance(d.content, Email) else d.raw
        words = count_words(body)
        if ctx.longest is not None and words >= ctx.longest:
            problems.append(f"is {words} words, no shorter than the {ctx.longest} it follows")
        elif ctx.longest is not None:
            found.append(f"is {words} words, shorter than the {ctx.longest} it follows")
        if ctx.step == "close":
            asking = [s for s in _sentences(d.raw) + d.raw.split("\n") if is_request(s)]
            if asking:
                problems.append(f"a close asks for nothing, but says '{short(asking[0], 80)}'")
            else:
                found.append("asks for nothing more")
        return verdict(problems, and_(found))

    return check


def _dates_given(ctx: FollowContext) -> Callable[[Draft], Verdict]:
    def check(d: Draft) -> Verdict:
        missing = [f"{short(what, 40)} ({written_date(day)})" for what, day in ctx.dates
                   if not _has_day(d, day)]  # fmt: skip
        if missing:
            return False, "misses the due date of " + and_(missing)
        return True, f"gives the due date of all {len(ctx.dates)} commitments"

    return check


def _next_date(ctx: FollowContext) -> Callable[[Draft], Verdict]:
    def check(d: Draft) -> Verdict:
        if not ctx.dates:
            return True, "nothing falls due"
        what, day = min(ctx.dates, key=lambda item: item[1])
        # With its year or without ("September 7" is within "September 7, 2027").
        written = written_date(day, d.ask.locale_tag, year=False)
        named = [s for s in d.raw.split("\n") if written in s and "next" in s.lower()]
        if not named:
            return False, f"does not name the next date, {written_date(day)} ({short(what, 40)})"
        return True, f"names the next date: '{short(named[0], 80)}'"

    return check


def _names_commitment(ctx: FollowContext) -> Callable[[Draft], Verdict]:
    def check(d: Draft) -> Verdict:
        problems = []
        for what, day in ctx.dates:
            if what not in d.raw:
                problems.append(f"does not name the commitment ('{short(what, 50)}')")
            if written_date(day, d.ask.locale_tag) not in d.raw and not _has_day(d, day):
                problems.append(f"does not give its due date, {written_date(day)}")
        return verdict(problems, "names the commitment and the date it falls due")

    return check


def _profile(ctx: FollowContext) -> list[tuple[str, str, Callable[[Draft], Verdict]]]:
    must = [("names_partner", "must", _BY_ID["names_partner", "must"])]
    common = [(i, lvl, _BY_ID[i, lvl]) for i, lvl in (("grounded", "must"),
              ("no_placeholders", "must"), ("channel_fit", "must"))]  # fmt: skip
    signed = [("signed", "must", _BY_ID["signed", "must"])]
    ease = [("reading_ease", "advice", _BY_ID["reading_ease", "advice"])]
    if ctx.kind == "follow_up" and ctx.step == "close":
        return [*must, *common, *signed, ("follows_up", "must", _follows_up(ctx)), *ease]
    if ctx.kind == "follow_up":
        return [
            *must,
            ("plan_timeline", "must", _reply_date),
            ("call_to_action", "must", _BY_ID["call_to_action", "must"]),
            *common,
            *signed,
            ("follows_up", "must", _follows_up(ctx)),
            *ease,
        ]
    if ctx.kind == "kickoff":
        ask_checks = [(i, "must", _BY_ID[i, "must"])
                      for i in ("states_ask", "partner_benefit", "budget_clear")]  # fmt: skip
        return [
            *must,
            *ask_checks,
            ("plan_timeline", "must", _dates_given(ctx)),
            ("call_to_action", "must", _next_date(ctx)),
            *common,
            *signed,
            *ease,
        ]
    named = [("names_commitment", "must", _names_commitment(ctx))]
    if ctx.step == "us":  # a note to ourselves: no partner to name, nobody to sign to
        return [*named, *common]
    return [*must, *named, *common, *signed, *ease]


def _without_days(ask: Ask, text: str, days: tuple[date, ...]) -> str:
    for day in days:
        # With its year, then without (drafts of an ask within one year write none).
        for year in (True, False):
            text = text.replace(written_date(day, ask.locale_tag, year=year), "")
    return text


def run_kind_checks(ask: Ask, content: Email, text: str, ctx: FollowContext) -> list[CheckResult]:
    """The checks of a follow-through draft (see the module's docstring); `text` is its plain
    rendering. A pitch is checked by `rubric.run_checks`, never here."""
    if ctx.extra_days:
        # A date of ours outside the ask (a slip's new date) is stated, not invented.
        content = content.model_copy(
            update={"body": _without_days(ask, content.body, ctx.extra_days)}
        )
        seen = Draft(ask, content, _without_days(ask, text, ctx.extra_days))
    else:
        seen = Draft(ask, content, text)
    full = Draft(ask, content, text)
    results = []
    for id_, level, check in _profile(ctx):
        passed, detail = check(full if id_ == "names_commitment" else seen)
        results.append(CheckResult(id=id_, level=level, passed=passed, detail=detail))
    return results
