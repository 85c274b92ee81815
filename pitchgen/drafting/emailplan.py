"""The email's length budget: which items it names, which dates it gives, how far it cuts long
ask texts, and its subject. A reader gives an email a few seconds (the rubric advises 75 to 200
words), so past three items of a list it sums each up in a few words, and a long text is cut
to its gist, more tightly the more the ask holds, until the body fits.
"""

from __future__ import annotations

import re

from pitchgen import patterns
from pitchgen.ask import Ask, Milestone
from pitchgen.checks.coverage import said_names, sums_up
from pitchgen.checks.facts import parse_facts
from pitchgen.checks.wordstems import stems
from pitchgen.content.emailparts import BULLET, FULL_LIST_HEADING
from pitchgen.content.formats import date_span, gist
from pitchgen.drafting.briefs import brief, briefs, clause, our_part, purpose
from pitchgen.drafting.nextsteps import DONE_WORDS, as_action, task_owner
from pitchgen.drafting.outline import EMAIL_ITEMS, NEED_WORDS, THEIR_ANSWER, Outline, with_year
from pitchgen.drafting.phrasing import bare, is_event, sentence, shape
from pitchgen.drafting.restated import after_need, need_purpose, restates

__all__ = [
    "ASK_WORDS",
    "EMAIL_CUTS",
    "EMAIL_MAX_WORDS",
    "as_need_modes",
    "email_context",
    "full_list",
    "project_span",
    "subject_line",
    "their_steps",
]

EMAIL_MAX_WORDS = 200
# What the partner is asked and offered (the need, each deliverable and benefit the email
# names) is never cut below this: the rubric judges an email's long item by this gist.
ASK_WORDS = NEED_WORDS
# Words kept of a long text, tried in turn: a project summary or need ("long"), a listed item,
# a milestone beside its date. Past three items the letter names fewer as it tightens: "core"
# briefs of the deliverables, "gain" benefits, what we take on in its first clause ("ours"),
# then without the need's reason ("why"), at the last without what we take on; the full list
# below the signature has every item.
EMAIL_CUTS = (
    {"long": 1000, "item": 1000, "date": 1000, "ask": 1000},
    {"long": 40, "item": 25, "date": 12, "ask": ASK_WORDS},
    {"long": 25, "item": 15, "date": 8, "ask": ASK_WORDS, "core": 2},
    {"long": 15, "item": 12, "date": 6, "ask": ASK_WORDS, "core": 2, "gain": 2},
    {"long": 10, "item": 8, "date": 4, "ask": ASK_WORDS, "place": False, "core": 2, "gain": 2,
     "ours": "clause"},
    {"long": 10, "item": 8, "date": 4, "ask": ASK_WORDS, "place": False, "summary": False,
     "core": 2, "gain": 2, "ours": "clause", "why": False},
    {"long": 10, "item": 8, "date": 4, "ask": ASK_WORDS, "place": False, "summary": False,
     "middle": False, "core": 2, "gain": 2, "ours": None, "why": False},
)  # fmt: skip
SUBJECT_WORDS = (3, 9)
SUBJECT_CHARS = 60
# Items shown inline ("That means a, b and c") when each is this short; else a short list.
INLINE_WORDS = 14

# Events a coalition takes part in but does not hold: never "our hearing".
HELD_BY_OTHERS = frozenset(
    """hearing hearings vote session election debate inquiry consultation referendum ballot
    markup""".split()  # noqa: SIM905
)

_ANGLE = {
    "expertise": "Your expertise for",
    "workspace": "Your space for",
    "connections": "Introductions for",
    "sponsorship": "Sponsoring",
    "funding": "Funding for",
    "volunteers": "Volunteers for",
    "other": "Working together on",
}


def _fits(subject: str) -> bool:
    return (
        SUBJECT_WORDS[0] <= len(subject.split()) <= SUBJECT_WORDS[1]
        and len(subject) <= SUBJECT_CHARS
    )


def our(project: str) -> str:
    """`our Main Street Licensing Summit`; a name with its own article keeps it; an event
    others hold ("Groundwater Protection Act hearing", held by the Assembly) is `the` one."""
    first = project.split()[0].lower() if project.split() else ""
    if first in ("the", "a", "an", "our"):
        return project
    last = project.split()[-1].lower() if project.split() else ""
    return f"the {project}" if last in HELD_BY_OTHERS else f"our {project}"


def _project_milestones(ask: Ask, o: Outline) -> list[tuple[str, str, Milestone]]:
    """(written day, what, milestone) of each milestone that names the project ("Small
    Exporters Day", "Heat Safety Week begins")."""
    return [(day, what, m)
            for (day, what), m in zip(o.milestones, ask.timeline, strict=True)
            if ask.project.name.lower() in m.milestone.lower()]  # fmt: skip


def project_span(ask: Ask, o: Outline) -> str | None:
    """`October 11–17` for a project that runs over days, from the milestone that names it to
    the one where it "ends" (`date_span`): one day alone would read as a one-day event."""
    own = [(m.date, what.lower().rstrip(". ")) for _, what, m in _project_milestones(ask, o)]
    ends = [day for day, what in own if what.endswith(("ends", "closes"))]
    if not ends or ends[-1] == own[0][0]:
        return None
    return date_span(own[0][0], ends[-1], ask.locale_tag, with_year(ask))


def subject_line(ask: Ask, o: Outline) -> str:
    """The partner's angle on the project, with the date that binds them where it fits."""
    angle = _ANGLE[ask.need.type.value]
    project = our(o.project)
    # The project's own day, where a milestone names it ("Small Exporters Day", "Heat Safety
    # Week begins"): "Read Ohio Week on October 21" would date the week by its last step.
    named = [day for day, _, _ in _project_milestones(ask, o)]
    if not named:
        # A subject names; a question mark on a noun phrase reads as unsure.
        return next((s for s in (f"{angle} {project}",) if _fits(s)), f"{angle} our project")
    span = project_span(ask, o)
    on = f", {span}" if span else f" on {named[0]}"
    candidates = {
        "formal": [f"{angle} {project}", f"{angle} our project{on}"],
        "warm": [f"{angle} {project}{on}", f"{angle} {project}"],
        "concise": [f"{angle} {project}{on.replace(' on ', ', ')}", f"{angle} {project}"],
    }[ask.tone.value]
    candidates += [f"{angle} our project{on}", f"{angle} our project"]
    return next((s for s in candidates if _fits(s)), candidates[-1])


_REMOTE = patterns.compile(r"\b(?:call|video|zoom|teams|meet|online|phone|webex)\b", re.IGNORECASE)


def where(location: str, org: str) -> str:
    """`by video call`, `at your office, Concord` (their own place, named back to them as
    theirs), `at 88 Main Street`, `by video (https://…)`."""
    if "://" in location:
        return f"by video ({location})"
    if _REMOTE.search(location) and len(location.split()) <= 4:
        return f"by {location[0].lower()}{location[1:]}"
    if org and location.lower().startswith(org.lower()):
        # Their own address is not told back to them.
        return "at your office"
    return f"at {location}"


def _dated_items(
    ask: Ask, o: Outline, said: list[str], middle: bool = True
) -> list[tuple[str, str]]:
    """Every milestone up to three, else the first and the last, each said once: not one whose
    day the texts in `said` already give ("by April 1"), nor the day the question asks by."""
    pairs = list(zip(ask.timeline, o.milestones, strict=True))
    if len(pairs) > EMAIL_ITEMS:
        # The first and the last, and between them the partner's own first two tasks ("County
        # list and contacts shared") and the project's first day where a milestone names it.
        between = pairs[1:-1]
        theirs = [p for p in between if task_owner(ask, p[0]) == "partner"][:2]
        named = [p for p in between if ask.project.name.lower() in p[0].milestone.lower()][:1]
        picked = [p for p in between if p in theirs or p in named][:2] if middle else []
        pairs = [pairs[0], *picked, pairs[-1]]
    # A text's "April 1" (no year) is the milestone's day; its "March 4, 2027" is not a
    # milestone on March 4, 2026.
    days = {(d.month, d.day, getattr(d, "year", None)) for text in said for d in _days(text)}
    return [
        written
        for m, written in pairs
        if not {(m.date.month, m.date.day, m.date.year), (m.date.month, m.date.day, None)} & days
        # The day we ask an answer by is said there, unless something happens on it.
        and (written[0] != o.reply_day or o.reply_before or not THEIR_ANSWER.search(m.milestone))
    ]


def _core(ask: Ask, o: Outline, named: str, listed: tuple[str, ...], limits: dict) -> dict:
    """The first few items, in brief (items that open alike count once: `limits["core"]`
    briefs, EMAIL_ITEMS unless cut), the reason the need gives and what we do ourselves (the
    sentence whole, else its first clause, else left out): the rest is in the full list."""
    full = [d for d in o.deliverables_at if d]
    most = limits.get("core", EMAIL_ITEMS)
    n = most
    while n < len(full) and len(briefs(full[: n + 1], named, listed)) <= most:
        n += 1
    ours, keep = our_part(o.need), limits.get("ours", "whole")
    if ours and keep == "clause":
        ours = ours.split(";", 1)[0].rstrip(" .") + "."
    return {
        "core_dates": their_steps(ask, o),
        "core": briefs(full[:n], named, listed),
        "core_why": purpose(o.need) if limits.get("why", True) else None,
        "core_ours": ours if keep else None,
    }


def their_steps(ask: Ask, o: Outline) -> list[tuple[str, str]]:
    """The partner's first two steps after their answer, as things to do by a day ("share the
    county list and contacts", "August 16"): the dates that bind them in a long ask."""
    steps = []
    for m, (day, what) in zip(ask.timeline, o.milestones, strict=True):
        if day == o.reply_day or task_owner(ask, m) != "partner" or is_event(what):
            continue
        action = as_action(what, "partner", "")
        if action != sentence(what).rstrip(".") and not action.startswith("Let "):
            steps.append((action[:1].lower() + action[1:], day))
    return steps[:2]


def full_list(ask: Ask, o: Outline) -> dict[str, list[str]] | None:
    """The full list set apart below the signature: every deliverable, whole, as a list line
    with the day it is due where the ask gives one, and every benefit (the body has room for
    every item at the ask's limits: `BODY_CHARS`); texts written around are left out, as
    everywhere (no list when that leaves none)."""
    due = _deliverable_days(ask, o)
    asked = [f"{BULLET}{bare(sentence(text))}{f' ({day})' if day else ''}"
             for text, day in zip(o.deliverables_at, due, strict=True) if text]  # fmt: skip
    gained = [f"{BULLET}{bare(sentence(text))}" for text in o.benefits_at if text]
    return {"asked": asked, "gained": gained} if asked or gained else None


def _deliverable_days(ask: Ask, o: Outline) -> list[str | None]:
    """The day beside each deliverable in the full list: none where its own text gives one;
    else the first milestone not ours nor their answer whose own words (the project's name and
    the word that says it is done aside) are all in the deliverable, or two of them are
    ("Introductions made" for "Introductions to the reading coaches"). "by August 30" for a
    step, "September 20" for an event ("Research call")."""
    aside = stems(ask.project.name) | stems(" ".join(DONE_WORDS))
    steps = []
    for m, (day, what) in zip(ask.timeline, o.milestones, strict=True):
        if task_owner(ask, m) == "sender" or THEIR_ANSWER.search(m.milestone):
            continue
        if own := stems(m.milestone) - aside:
            steps.append((own, day if is_event(what) else f"by {day}"))
    days: list[str | None] = []
    for text in ask.need.deliverables:
        words = stems(text)
        matched = (day for own, day in steps if own <= words or len(own & words) >= 2)
        days.append(None if _days(text) else next(matched, None))
    return days


def _days(text: str):
    if not any(ch.isdigit() for ch in text):
        return []
    return [f.value for f in parse_facts(text) if f.kind == "date"]


def as_need_modes(o: Outline) -> list[str]:
    """How the letter may say its few items where they restate the need, in the order tried
    (the first the draft still states the need with): as the request itself, once ("items":
    "We're hoping for ten volunteers from 8:00 AM to noon on cleanup day", as the call card
    says them), or the need whole with what each item adds ("rest": "… for the cleanup
    morning, from 8:00 AM to noon on cleanup day"); never the need and then "It would mean
    ten volunteers …". Only items short enough to say inline."""
    shown = [d for d in o.deliverables_at if d]
    if len(o.deliverables_at) > EMAIL_ITEMS or any(len(d.split()) > INLINE_WORDS for d in shown):
        return []
    if not restates(o, shown, ASK_WORDS):
        return []
    return ["items", "rest"] if after_need(o, shown, ASK_WORDS) else ["items"]


def email_context(ask: Ask, context: dict, limits: dict[str, int]) -> dict:
    """What the email template needs beyond the shared context, at one level of cutting."""
    o: Outline = context["o"]

    # A summary cut to the clause that says what the project is stays that clause.
    kept = clause(o.summary) if o.summary and not limits.get("summary", True) else None

    def g(text: str, kind: str = "item") -> str:
        return text if text == kept else gist(text, limits[kind])

    # Past EMAIL_ITEMS of a list, every item is summed up in a few words (`briefs`), the first
    # EMAIL_ITEMS (what matters most: the ask lists it first) apart from the rest.
    many_d, many_b = len(o.deliverables_at) > EMAIL_ITEMS, len(o.benefits_at) > EMAIL_ITEMS
    named = said_names(ask)
    shown = [d for d in o.deliverables_at if d]
    offered = [b for b in o.benefits_at if b]
    listed = (*shown, *offered)
    if many_d:
        shown = briefs(shown, named, listed)
    if many_b:
        offered = briefs(offered, named, listed)
    many = many_d or many_b
    if many_b:
        # The first few in the letter (the ask lists what matters most first), all below it.
        offered = offered[: limits.get("gain", EMAIL_ITEMS)]
    core = _core(ask, o, named, listed, limits) if many_d else None
    # The days given beside the items: the core's, or every item's; and the full list's.
    listing = full_list(ask, o) if many else None
    said = (
        [*core["core"], *(f"{a} by {day}" for a, day in core["core_dates"])] if core else [*shown]
    )
    said += [*listing["asked"], *listing["gained"]] if listing else []
    # A long list that sums up the need says it: the need is not said again before it.
    need_in_items = bool(
        many_d and o.need and sums_up(g(o.need, "ask"), " ".join(shown), named, listed)
    )
    modes = as_need_modes(o)
    as_need = limits.get("as_need", modes[0] if modes else None)
    return {
        "g": g,
        "g_long": lambda text: g(text, "long"),
        "g_ask": lambda text: g(text, "ask"),
        # A need spelled out by a long list is said in brief before it.
        "g_need": (lambda text: brief(g(text, "ask"), named))
        if many_d and not limits.get("need_whole")
        else (lambda text: g(text, "ask")),
        # The core ask stands for the need, unless the draft would not state it then.
        "say_need": limits.get("need", False),
        # A long summary cut away still leaves what the project is, in a clause.
        "summary": o.summary if limits.get("summary", True) else kept,
        # A long list: the ask's first items as the core with the need's reason and what we
        # take on ourselves; every item is in the full list below the signature.
        **(core or {"core": None}),
        "cut_all": lambda texts, kind: [g(t, kind) for t in texts],
        "shown": shown,
        "offered": [b for b in offered if shape(b) != "sentence"],
        "offered_sentences": [b for b in offered if shape(b) == "sentence"],
        "inline_items": many_d
        or len(shown) == 1
        or all(shape(d) == "noun" and len(g(d).split()) <= INLINE_WORDS for d in shown),
        "more_items": EMAIL_ITEMS if many_d else len(shown),
        "need_in_items": need_in_items,
        # Items that restate the need are the request, said once with the need's reason.
        "items_as_need": as_need == "items",
        "need_purpose": need_purpose(o.need, ASK_WORDS) if as_need == "items" else None,
        "need_then": after_need(o, shown, ASK_WORDS) if as_need == "rest" else None,
        # A benefit that names the partner reads oddly after their name: "you" gains it.
        "dated_items": (
            dated := _dated_items(ask, o, [o.need or "", *said], limits.get("middle", True))
        ),
        "dated_events": all(is_event(what) for _, what in dated),
        "summarised": len(o.milestones) > EMAIL_ITEMS and not many,
        # Past three items, every item of both lists below the signature (`full_list`).
        "full_list": listing,
        "full_list_heading": FULL_LIST_HEADING,
        "subject_line": subject_line(ask, o),
        "project_span": project_span(ask, o),
        # At the tightest cut the meeting's place is left to the agenda and the invite.
        "meet_where": where(o.location, o.org_name)
        if o.location and limits.get("place", True)
        else None,
    }
