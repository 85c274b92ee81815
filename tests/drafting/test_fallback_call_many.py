"""The template call script with a long ask, as a volunteer has to say it on the phone: a few
dates read aloud and the whole timeline kept apart for reference, "what else?" answered with
how many there are and which, each thing said once, and the partner's work called theirs."""

from __future__ import annotations

import re

import pytest
from test_fallback import EDGE_ASKS, EXAMPLES, SUMMIT, variant

from pitchgen.ask import Channel
from pitchgen.checks.rubric import must_failures, run_checks
from pitchgen.content.formats import written_date
from pitchgen.content.render import to_text
from pitchgen.drafting.callcard import SPOKEN_DATES
from pitchgen.drafting.fallback import render_content

MANY = EDGE_ASKS["many-items"]
REFERENCE = "Full timeline (for reference, don't read it aloud):"
ALL_ASKS = {**EXAMPLES, **EDGE_ASKS}


def script(ask):
    return render_content(ask, Channel.call_script)


def checks(ask, card) -> dict[str, bool]:
    return {r.id: r.passed for r in run_checks(ask, card, to_text(card, ask.locale_tag))}


def spoken_and_reference(plan: str) -> tuple[list[str], list[str]]:
    said, _, kept = plan.partition(REFERENCE)
    return said.strip().splitlines(), kept.strip().splitlines()


def test_a_ten_date_timeline_is_read_aloud_in_five_dates_and_kept_whole_for_reference() -> None:
    card = script(MANY)
    said, kept = spoken_and_reference(card.plan)
    assert said == [
        "- By August 2: Your answer.",
        "- By August 16: You share the county list and contacts.",
        "- By August 30: You make the introductions.",
        "- October 11–17: Read Ohio Week.",
        "- October 21: Statehouse briefing.",
        "The rest of the timeline will follow by email from Ava Thompson.",
    ]
    # Every date is still on the card, apart, for the caller asked about one.
    assert len(kept) == len(MANY.timeline) == 10
    for line, m in zip(kept, MANY.timeline, strict=True):
        assert line.startswith(f"- {written_date(m.date, MANY.locale_tag, year=False)}: ")
    assert checks(MANY, card)["plan_timeline"]
    assert checks(MANY, card)["grounded"]  # "October 11–17" is two dates of the ask


def test_a_long_timeline_without_a_project_span_reads_the_answer_their_steps_and_the_event():
    ask = variant(
        SUMMIT,
        respond_by="2027-01-08",
        timeline=[
            {"date": "2027-01-15", "milestone": "Room confirmed"},
            {"date": "2027-01-29", "milestone": "Speaker list shared with you"},
            {"date": "2027-02-05", "milestone": "Projector and microphones booked"},
            {"date": "2027-02-19", "milestone": "Final run of show shared with you"},
            {"date": "2027-02-26", "milestone": "Press release sent"},
            {"date": "2027-03-04", "milestone": "Main Street Licensing Summit"},
        ],
    )
    card = script(ask)
    said, kept = spoken_and_reference(card.plan)
    dates = [line for line in said if line.startswith("- ")]
    assert dates[0] == "- By January 8: Your answer."
    assert "- March 4: Main Street Licensing Summit." in dates
    assert len(dates) < len(ask.timeline)
    assert len(kept) == len(ask.timeline)
    assert not must_failures(run_checks(ask, card, to_text(card, ask.locale_tag)))


@pytest.mark.parametrize("name", sorted(n for n, a in ALL_ASKS.items() if len(a.timeline) <= 4))
def test_a_short_timeline_is_read_whole_with_nothing_set_apart(name: str) -> None:
    ask = ALL_ASKS[name]
    assert len(ask.timeline) <= SPOKEN_DATES
    plan = script(ask).plan
    assert REFERENCE not in plan
    assert len(plan.splitlines()) == len(ask.timeline)


def test_what_else_says_how_many_there_are_and_names_the_next_ones() -> None:
    card = script(MANY)
    more = next(qa for qa in card.anticipated_questions if qa.question == "What else is involved?")
    assert more.answer == (
        "In all, we'd ask for ten things. Besides what I've said, the main ones are"
        " introductions to the reading coaches your program works with, your advice on which 10"
        " districts to invite first, and a short note from your director to attach to each"
        " invitation. Ava Thompson will email the full list, with everything you'd have in"
        " return."
    )
    assert "a few smaller pieces" not in to_text(card)
    assert checks(MANY, card)["grounded"]  # "ten" is how many deliverables the ask has


def test_with_many_benefits_only_what_else_is_what_they_would_have() -> None:
    benefits = [
        "Your logo on all summit materials",
        "A welcome remark in the opening session",
        "The opt-in attendee list, shared after the summit",
        "A mention in our newsletter to 3,000 members",
        "Two seats at our spring dinner",
    ]
    ask = variant(SUMMIT, benefits=[{"type": "other", "description": b} for b in benefits])
    card = script(ask)
    more = next(qa for qa in card.anticipated_questions if "What else" in qa.question)
    assert more.question == "What else would we have in return?"
    assert more.answer.startswith("In all, you'd have five things in return.")
    assert "a mention in our newsletter to 3,000 members" in more.answer
    assert not must_failures(run_checks(ask, card, to_text(card, ask.locale_tag)))


@pytest.mark.parametrize(
    ("name", "once", "kept"),
    [
        ("many-items", "where your summer reading program runs", "a list of the 12 counties"),
        ("hostile-fields", "ten volunteers", "from 8:00 AM to noon on cleanup day"),
        ("no-contact-volunteers", "six", "to canvass with us"),
        ("saturday-volunteers-de", "eight", "to collect litter from the water"),
    ],
)
def test_items_that_restate_the_need_are_said_once_as_the_ask(name, once, kept) -> None:
    ask = EDGE_ASKS[name]
    card = script(ask)
    said = card.the_ask.lower()
    assert len(re.findall(rf"\b{once}\b", said)) == 1, card.the_ask
    assert kept.lower() in said
    assert "it would mean" not in said
    assert checks(ask, card)["states_ask"]


@pytest.mark.parametrize("name", ["expert-testimony", "summit", "arabic-contact"])
def test_items_that_add_to_the_need_still_follow_it(name: str) -> None:
    the_ask = script(ALL_ASKS[name]).the_ask
    assert re.search(r"\. (?:This|It) would mean ", the_ask)


@pytest.mark.parametrize("name", sorted(ALL_ASKS))
def test_to_the_partner_their_work_is_your_work_and_the_card_still_names_them(name: str) -> None:
    ask = ALL_ASKS[name]
    card = script(ask)
    org = ask.partner.organization
    assert f"{org}'s work" not in card.purpose and f"{org}' work" not in card.purpose
    if "ties in" in card.purpose:  # the partner's focus, where it is not written around
        assert "It ties in closely with your work on " in card.purpose
    assert checks(ask, card)["names_partner"]
