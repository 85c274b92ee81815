"""The template email asks for each thing once: items that restate the need ("Ten volunteers
from 8:00 to 12:00 on cleanup day" after "Ten volunteers from your members for the cleanup
morning") are the request, said once with their times and dates, not the need and then "It
would mean ten volunteers …"; items that add to the need still follow it."""

from __future__ import annotations

import re

import pytest
from test_fallback import EDGE_ASKS, EXAMPLES

from pitchgen.ask import Channel
from pitchgen.checks.rubric import must_failures, run_checks
from pitchgen.content.emailparts import letter_and_list
from pitchgen.content.render import to_text
from pitchgen.drafting.fallback import render_content


def _email(name: str):
    ask = EDGE_ASKS[name]
    email = render_content(ask, Channel.email)
    return ask, email, letter_and_list(email.body)[0]


@pytest.mark.parametrize(
    ("name", "count", "asked"),
    [
        (
            "hostile-fields",
            "ten",
            "We're hoping for ten volunteers from your members for the cleanup morning,"
            " from 8:00 AM to noon on cleanup day.",
        ),
        (
            "no-contact-volunteers",
            "six",
            "We're hoping for six student volunteers to canvass with us on two Saturday"
            " mornings: on Saturday, April 10, from 9:00 AM to noon, and on Saturday, April 17,"
            " from 9:00 AM to noon.",
        ),
        (
            "saturday-volunteers-de",
            "eight",
            "We're hoping for eight members with two boats on Saturday, 5 June, from 9:00 to"
            " 12:00, and on Saturday, 19 June, from 9:00 to 12:00, to collect litter from the"
            " water.",
        ),
    ],
)
def test_volunteers_are_asked_for_once_with_their_times(name, count, asked) -> None:
    ask, email, letter = _email(name)
    assert asked in letter
    # The need's count, in one sentence only: never "It would mean ten volunteers …" after it.
    sentences = [s for s in re.split(r"(?<=[.?!])\s+", letter) if re.search(rf"\b{count}\b", s)]
    assert len(sentences) == 1, sentences
    assert "would mean" not in letter
    assert not must_failures(run_checks(ask, email, to_text(email, ask.locale_tag)))


@pytest.mark.parametrize(
    ("ask", "meaning"),
    [
        (EXAMPLES["summit"], "It would mean room access from 7:30 AM to 1:00 PM on summit day"),
        (EDGE_ASKS["town-hall-no-respond-by"], "It would mean your meeting hall on Thursday"),
    ],
    ids=["summit", "town-hall"],
)
def test_items_that_add_to_the_need_still_follow_it_in_the_email(ask, meaning) -> None:
    assert meaning in render_content(ask, Channel.email).body
