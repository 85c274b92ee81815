"""The template agenda as the partner who attends reads it: the steps after the meeting fall
after it, the answer is asked for as the email asks for it, and the partner is spoken of in
one person throughout, by its own name where the ask says "your council"."""

from __future__ import annotations

import re

import pytest
from test_fallback import EDGE_ASKS, EXAMPLES, SPONSOR, variant

from pitchgen.ask import Channel
from pitchgen.content.render import to_text
from pitchgen.drafting.fallback import render_content
from pitchgen.drafting.person import third_person

ALL_ASKS = {**EXAMPLES, **EDGE_ASKS}


def agenda_text(ask) -> str:
    return to_text(render_content(ask, Channel.meeting_agenda), ask.locale_tag)


@pytest.mark.parametrize("name", sorted(ALL_ASKS))
def test_every_next_step_falls_after_the_meeting(name: str) -> None:
    ask = ALL_ASKS[name]
    steps = render_content(ask, Channel.meeting_agenda).next_steps
    summary = next(s for s in steps if s.action.startswith("Send a written summary"))
    # Our write-up is due the day after the meeting, whichever proposed time is chosen.
    assert summary.due == "after_meeting"
    assert "the day after the meeting)" in agenda_text(ask)
    if ask.meeting and ask.meeting.proposed_times:
        last = max(t.date() for t in ask.meeting.proposed_times)
        first = min(t.date() for t in ask.meeting.proposed_times)
        assert summary.date > last
        assert all(s.date > first for s in steps), [(s.action, s.date) for s in steps]


def test_the_town_hall_summary_is_not_due_the_evening_of_the_meeting() -> None:
    text = agenda_text(EDGE_ASKS["town-hall-no-respond-by"])
    assert "(Marcus Reed, by April 12)" not in text
    assert "(Marcus Reed, the day after the meeting)" in text


@pytest.mark.parametrize("name", ["town-hall-no-respond-by", "no-contact-volunteers"])
def test_with_no_respond_by_the_agenda_asks_for_the_answer_before_the_day_as_the_email_does(
    name: str,
) -> None:
    ask = EDGE_ASKS[name]
    email = to_text(render_content(ask, Channel.email), ask.locale_tag)
    asked = re.search(r"before ([A-Z][a-z]+ \d+|\d+ [A-Z][a-z]+)", email)
    assert asked, email
    step = next(line for line in agenda_text(ask).splitlines() if line.startswith("- Let "))
    assert step.endswith(f", before {asked[1]})")


def test_the_agenda_names_the_partner_where_the_ask_says_your_council() -> None:
    text = agenda_text(EDGE_ASKS["town-hall-no-respond-by"])
    assert "its council" not in text
    assert "In return: Pilsen Neighbors Council named as co-host on every flyer" in text
    assert "a five-minute welcome from the director" in text


@pytest.mark.parametrize("name", sorted(ALL_ASKS))
def test_no_agenda_says_its_of_a_word_of_the_partners_own_name(name: str) -> None:
    ask = ALL_ASKS[name]
    text = agenda_text(ask)
    # The words that name the organization itself: "Council", "Center", "Institute".
    name = re.findall(r"\w+", ask.partner.organization)
    for word in {name[0], name[-1]}:
        assert f"its {word.lower()}" not in text.lower()


def test_items_that_open_with_your_drop_the_pronoun() -> None:
    text = agenda_text(EDGE_ASKS["many-items"])
    assert "- Advice on which 10 districts to invite first" in text
    assert "- Logo files for the week's materials" in text
    assert "- A short note from the director to attach to each invitation" in text
    assert "Its " not in text


def test_materials_speak_of_the_partner_as_the_items_do() -> None:
    for ask in ALL_ASKS.values():
        content = render_content(ask, Channel.meeting_agenda)
        shared = [content.objective, *(i.notes for i in content.items), *content.materials]
        shared = [t.replace(ask.project.name, "") for t in shared]  # "Know Your Rights Nights"
        # Text with brackets stays as the ask wrote it (see third_person).
        assert not any(re.search(r"\byour\b", t, re.I) and "[" not in t for t in shared), shared
    text = agenda_text(EDGE_ASKS["town-hall-no-respond-by"])
    assert "in its May newsletter)" in text.split("Materials to bring:")[1]


def test_third_person_leaves_bracketed_text_and_names_as_the_ask_wrote_them() -> None:
    assert third_person("[ your ]", org="Riverside Library") == "[ your ]"
    assert (
        third_person("A flyer for Know Your Rights Nights") == "A flyer for Know Your Rights Nights"
    )
    assert third_person("Your library card", org="Riverside Library") == "Riverside Library card"


def test_a_fixed_payment_is_one_decision_and_asks_what_they_would_need() -> None:
    fixed = variant(SPONSOR, budget__negotiable=False)
    content = render_content(fixed, Channel.meeting_agenda)
    assert content.decisions_needed[0] == "Whether Granite State Taxpayers can commit $4,000"
    assert not any("takes this on" in d for d in content.decisions_needed)
    capacity = next(i for i in content.items if i.topic.startswith("What Granite"))
    assert capacity.notes == "What Granite State Taxpayers would need in order to say yes."


def test_a_negotiable_amount_is_open_to_discussion_not_conceded() -> None:
    text = agenda_text(SPONSOR)
    assert "Cost to Granite State Taxpayers: $4,000 (open to discussion)." in text
    assert "or part of it" not in text
