"""The template call script as a card a volunteer can hold, and the agenda as a meeting that
gives both sides the floor."""

from __future__ import annotations

import itertools
import re

import pytest
from test_fallback import EDGE_ASKS, SPONSOR, SUMMIT, variant, words

from pitchgen.ask import Channel
from pitchgen.drafting.fallback import render_content


def script(ask):
    return render_content(ask, Channel.call_script)


def agenda(ask):
    return render_content(ask, Channel.meeting_agenda)


def everything(content) -> str:
    return content.model_dump_json()


# --- the call script -------------------------------------------------------------------------


def test_the_card_has_a_line_for_whoever_answers() -> None:
    opener = script(SUMMIT).opener
    # Whom they are calling is the caller's to know, before anyone answers.
    note, answers, *_ = opener.splitlines()
    assert note == "(Before you call: you're calling Marcus Lee at Main Street Business Alliance.)"
    assert answers.startswith('If someone else answers: "Hi, this is (your first name), calling')
    assert "Could I speak with Marcus Lee, please?" in opener
    assert 'When Marcus comes on: "Hi Marcus, this is (your first name), calling for Ava' in opener
    cold = script(EDGE_ASKS["no-contact-volunteers"]).opener
    assert "whoever looks after partnerships at Northside Youth League" in cold


def test_the_pitch_is_short_and_the_ask_ends_in_a_pause() -> None:
    card = script(EDGE_ASKS["many-items"])
    assert words(card.purpose) <= 75
    assert card.the_ask.endswith("(Pause. Let them answer before you say more.)")


def test_the_card_names_two_items_aloud_and_keeps_the_rest_for_the_answers() -> None:
    ask = EDGE_ASKS["many-items"]
    card = script(ask)
    spoken = [d for d in ask.need.deliverables if d[1:].lower() in card.the_ask.lower()]
    assert len(spoken) == 2
    assert "The full list will follow by email from Ava Thompson." in card.the_ask
    small = script(SUMMIT)
    assert "a projector and two microphones" in small.the_ask  # up to three, all aloud


def test_the_card_says_what_to_do_on_every_reply() -> None:
    close = script(SUMMIT).close
    assert close.startswith('Ask: "Could you let me know by January 15')
    for branch in ("If yes:", "If not now:", 'If they say "send me an email":', "If no:"):
        assert branch in close
    assert "ask who else you should talk to" in close


def test_answers_give_facts_the_card_has_not_said_yet() -> None:
    card = script(SUMMIT)
    questions = [qa.question for qa in card.anticipated_questions]
    assert "Who pays for what?" in questions
    assert "$2,500" not in card.plan
    for qa in card.anticipated_questions:
        assert qa.answer not in (card.value_for_partner, card.the_ask, card.purpose)


@pytest.mark.parametrize(
    ("budget", "room"),
    [
        ({"amount": "2500", "partner_contribution": "500", "negotiable": True}, "is negotiable"),
        ({"amount": "2500", "partner_contribution": "500", "negotiable": False}, "fixed at $500"),
        ({"amount": "2500", "partner_contribution": "0", "negotiable": True}, "is negotiable"),
    ],
)
def test_negotiation_is_built_from_what_can_move_and_never_contradicts_it(budget, room) -> None:
    negotiation = script(variant(SUMMIT, budget=budget)).negotiation
    assert negotiation is not None and room in negotiation
    if budget["negotiable"]:
        assert "fixed" not in negotiation and "non-negotiable" not in negotiation
    assert "The items can be split: room access from 7:30 AM to 1:00 PM" in negotiation


@pytest.mark.parametrize(
    ("budget", "negotiates"),
    [
        (None, False),
        ({"amount": "2500", "partner_contribution": "0", "negotiable": False}, False),
        ({"amount": "2500", "partner_contribution": "0", "negotiable": True}, True),
        ({"amount": "2500", "partner_contribution": "500", "negotiable": False}, True),
    ],
)
def test_the_card_negotiates_exactly_when_money_or_terms_are_open(budget, negotiates) -> None:
    card = script(variant(SUMMIT, budget=budget))
    assert (card.negotiation is not None) == negotiates
    assert len(card.anticipated_questions) >= 3


def test_the_voicemail_gives_the_callback_number_at_the_start_and_the_end() -> None:
    voicemail = script(SUMMIT).voicemail
    first_two = " ".join(voicemail.split(". ")[:2])
    assert "+1 202 555 0143" in first_two
    assert voicemail.endswith("on +1 202 555 0143.")
    no_phone = script(SPONSOR).voicemail
    assert "(Leave your own number.)" in no_phone
    assert no_phone.endswith("daniel@youngleaders.net.")


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("non-latin-names", "王小明"),
        ("non-latin-names", "华人社区服务中心"),
        ("arabic-contact", "مريم الحسيني"),
    ],
)
def test_a_name_the_caller_may_not_read_is_shown_as_written_with_a_note(name, written) -> None:
    opener = script(EDGE_ASKS[name]).opener
    assert opener.startswith("(Before you call: ")
    assert f"name is written {written}" in opener
    assert "don't guess: ask for " in opener  # a note the caller can follow
    spoken = [line for line in opener.splitlines() if not line.startswith("(")]
    assert all(written not in line for line in spoken)


def test_latin_names_need_no_pronunciation_note() -> None:
    assert "The name is written" not in script(SUMMIT).opener


# --- the agenda ------------------------------------------------------------------------------


def test_the_agenda_header_says_when_and_where() -> None:
    content = agenda(EDGE_ASKS["negotiable-en-gb"])
    assert content.title.endswith("— Yorkshire Export Bank, Park Row, Leeds")
    slots = "Monday, 22 March at 10:00 or Wednesday, 24 March at 15:30"
    assert f"— {slots} (one to be chosen) —" in content.title  # none chosen yet
    assert "Proposed" not in content.objective
    one = agenda(variant(SPONSOR, meeting={"proposed_times": ["2027-02-10T10:00:00-05:00"]}))
    assert "— Wednesday, February 10 at 10:00 AM" in one.title


def test_the_agenda_opens_with_the_partner_and_owners_alternate() -> None:
    items = agenda(SPONSOR).items
    assert items[0].topic == "What matters to Granite State Taxpayers"
    owners = [item.owner for item in items]
    assert owners[0] == "Priya Raman"
    assert all(a != b for a, b in itertools.pairwise(owners))
    # No item reads the timeline aloud; the amount, negotiable, gets a slot of both sides.
    assert "Timeline" not in {i.topic for i in items}
    terms = {i.topic: i for i in items}["The amount, and the dates"]
    assert terms.owner == "Daniel Okafor and Priya Raman"
    assert "Cost to Granite State Taxpayers: $4,000 (open to discussion)" in terms.notes
    assert "$12,000" not in "".join(i.notes for i in items)  # the budget is a document
    assert items[-1].topic == "Who does what next"
    assert owners[-1] == "Daniel Okafor and Priya Raman"


def test_the_agenda_says_what_the_partner_gains_before_what_they_can_take_on() -> None:
    for ask in (SPONSOR, EDGE_ASKS["many-items"], EDGE_ASKS["town-hall-no-respond-by"]):
        items = agenda(ask).items
        topics = [i.topic for i in items]
        gains = next(n for n, t in enumerate(topics) if t.endswith("gains"))
        capacity = next(n for n, t in enumerate(topics) if t.endswith("can take on"))
        assert gains < capacity, topics
        assert "In return" in items[gains].notes
        # A document both sides read names the partner in the third person throughout.
        assert not re.search(r"\b[Yy]our\b", items[gains].notes), items[gains].notes


def test_materials_are_named_from_the_deliverables() -> None:
    materials = agenda(SUMMIT).materials
    assert any("a projector and two microphones" in m for m in materials)


def test_next_steps_fall_on_or_after_the_meeting() -> None:
    for ask in (SPONSOR, EDGE_ASKS["negotiable-en-gb"], EDGE_ASKS["many-items"]):
        meeting = ask.meeting.proposed_times[0].date()
        steps = agenda(ask).next_steps
        assert steps and all(step.date >= meeting for step in steps)
        assert any(step.action.startswith("Send a written summary") for step in steps)


def test_next_steps_are_actions_with_the_owner_who_can_do_them() -> None:
    steps = [(s.action, s.owner) for s in agenda(SPONSOR).next_steps]
    assert ("Let Daniel Okafor know the sponsorship decision", "Priya Raman") in steps
    # A payment follows a yes, and falls to the organization, not the person we meet.
    assert ("If agreed, make the sponsorship payment", "Granite State Taxpayers") in steps
    many = [(s.action, s.owner) for s in agenda(EDGE_ASKS["many-items"]).next_steps]
    assert ("If agreed, share the county list and contacts", "Hannah Weiss") in many
    assert ("Send the first 10 invitations to districts", "Ava Thompson") in many


@pytest.mark.parametrize("with_budget", [True, False])
def test_agenda_timeboxes_add_up_to_every_meeting_length(with_budget: bool) -> None:
    base = SPONSOR if with_budget else variant(SPONSOR, budget=None)
    for minutes in range(15, 181, 7):
        content = agenda(variant(base, meeting={"duration_minutes": minutes}))
        assert content.duration_minutes == minutes
        assert sum(item.minutes for item in content.items) == minutes
        assert all(item.minutes > 0 and item.topic and item.owner for item in content.items)


def test_an_ask_without_a_meeting_gets_a_half_hour_agenda_in_round_timeboxes() -> None:
    assert [i.minutes for i in agenda(variant(SUMMIT, meeting=None)).items] == [5, 5, 5, 5, 5, 5]
    hour = agenda(variant(SUMMIT, meeting={"duration_minutes": 60}))
    assert [i.minutes for i in hour.items] == [10, 15, 10, 10, 10, 5]
