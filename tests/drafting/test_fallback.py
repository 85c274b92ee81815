"""The template fallback: a draft a capable person could send, for any valid ask."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pitchgen.ask import Ask, Channel, Tone, load_ask, validate_ask
from pitchgen.checks.rubric import run_checks
from pitchgen.content.render import to_text
from pitchgen.content.templates import prompts_dir
from pitchgen.drafting.fallback import render_content, template_names

ASKS = Path(__file__).resolve().parents[2] / "fixtures" / "asks"
SUMMIT = load_ask(ASKS / "summit-venue.yaml")
SPONSOR = load_ask(ASKS / "sponsorship-negotiable.yaml")
EXPERT = load_ask(ASKS / "expertise-no-budget.json")
EXAMPLES = {"summit": SUMMIT, "sponsorship": SPONSOR, "expertise": EXPERT}


def variant(ask: Ask, **changes: object) -> Ask:
    """`ask` with fields replaced (`partner__contact_name="X"`); None removes the field."""
    data = ask.model_dump(mode="json", exclude_none=True)
    for key, value in changes.items():
        *parents, leaf = key.split("__")
        node = data
        for parent in parents:
            node = node.setdefault(parent, {})
        if value is None:
            node.pop(leaf, None)
        else:
            node[leaf] = value
    return validate_ask(data)


def words(text: str) -> int:
    return len(text.split())


def all_text(ask: Ask) -> dict[Channel, str]:
    return {channel: to_text(render_content(ask, channel)) for channel in Channel}


@pytest.mark.parametrize("channel", list(Channel))
@pytest.mark.parametrize("name", list(EXAMPLES))
def test_the_same_ask_gives_a_byte_identical_draft(name: str, channel: Channel) -> None:
    first = render_content(EXAMPLES[name], channel).model_dump_json()
    assert render_content(EXAMPLES[name], channel).model_dump_json() == first


@pytest.mark.parametrize("tone", list(Tone))
@pytest.mark.parametrize("name", list(EXAMPLES))
def test_shared_examples_pass_every_rubric_check_in_every_tone(name: str, tone: Tone) -> None:
    ask = variant(EXAMPLES[name], tone=tone)
    for channel in Channel:
        content = render_content(ask, channel)
        results = run_checks(ask, content, to_text(content))
        assert [(r.id, r.level, r.detail) for r in results if not r.passed] == [], channel


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_shared_examples_give_emails_of_the_advised_length_in_every_tone(name: str) -> None:
    for tone in Tone:
        email = render_content(variant(EXAMPLES[name], tone=tone), Channel.email)
        assert 3 <= words(email.subject) <= 9, email.subject
        assert len(email.subject) <= 60, email.subject
        assert 75 <= words(email.body) <= 200, (tone, words(email.body))


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_tones_read_differently_and_concise_is_shortest(name: str) -> None:
    emails = {t: render_content(variant(EXAMPLES[name], tone=t), Channel.email) for t in Tone}
    assert len({e.subject for e in emails.values()}) == 3
    assert len({e.body.splitlines()[0] for e in emails.values()}) == 3
    concise = words(emails[Tone.concise].body)
    assert concise < words(emails[Tone.warm].body)
    assert concise < words(emails[Tone.formal].body)
    scripts = {
        t: render_content(variant(EXAMPLES[name], tone=t), Channel.call_script) for t in Tone
    }
    assert len({s.opener for s in scripts.values()}) == 3
    assert words(scripts[Tone.concise].voicemail) < words(scripts[Tone.formal].voicemail)


@pytest.mark.parametrize(
    ("tone", "contact", "greeting"),
    [
        ("formal", "Marcus Lee", "Dear Marcus Lee,"),
        ("warm", "Marcus Lee", "Hello Marcus Lee,"),
        ("concise", "Marcus Lee", "Hi Marcus Lee,"),
        ("formal", None, "Dear Main Street Business Alliance team,"),
        ("warm", None, "Hello to the team at Main Street Business Alliance,"),
        ("concise", None, "Hi Main Street Business Alliance team,"),
    ],
)
def test_the_email_greets_the_contact_by_name_or_the_team(
    tone: str, contact: str | None, greeting: str
) -> None:
    ask = variant(SUMMIT, tone=tone, partner__contact_name=contact)
    assert render_content(ask, Channel.email).body.splitlines()[0] == greeting


def test_without_a_contact_every_channel_addresses_the_organization() -> None:
    ask = variant(SUMMIT, partner__contact_name=None, partner__contact_role=None)
    script = render_content(ask, Channel.call_script)
    agenda = render_content(ask, Channel.meeting_agenda)
    assert script.voicemail.startswith("Hi, it's Ava Thompson")
    assert agenda.attendees[1] == "Main Street Business Alliance team"
    for text in all_text(ask).values():
        assert "Main Street Business Alliance" in text
        assert not re.search(r"\[|\{\{|TODO|TBD|XXX|None", text)


def test_the_email_carries_the_ask_the_benefits_the_plan_and_one_dated_next_step() -> None:
    body = render_content(SUMMIT, Channel.email).body
    for fact in (
        "I'm Ava Thompson, Director of Coalitions at Liberty Policy Forum.",
        "Thanks again for working with us: Co-signed our letter on occupational licensing in May.",
        "Use of your Capitol Hill conference room, which seats 80, on the morning of the summit.",
        "- Room access from 7:30 to 13:00 on summit day.",
        "Given your work on regulatory relief for small businesses,",
        "- The opt-in attendee list, shared after the summit.",
        "Our budget is $2,500. It costs you nothing.",
        "March 4, 2027: Summit day",
        "Could you reply by January 15, 2027 and let me know if you can help?",
    ):
        assert fact in body


def test_proposed_times_become_the_next_step_with_their_time_zone() -> None:
    body = render_content(SPONSOR, Channel.email).body
    assert (
        "Could we meet on February 10, 2027 at 10:00 AM (UTC-05:00) or"
        " February 11, 2027 at 2:00 PM (UTC-05:00) to discuss this?"
    ) in body
    assert "reply by March 1, 2027" in body


def test_without_respond_by_the_reply_is_asked_by_the_first_milestone() -> None:
    close = render_content(variant(SUMMIT, respond_by=None), Channel.call_script).close
    assert close == "Could you let me know your answer by January 15, 2027?"


def test_email_and_voicemail_end_with_the_signature() -> None:
    script = render_content(SUMMIT, Channel.call_script)
    assert render_content(SUMMIT, Channel.email).body.endswith(
        "Warm regards,\nAva Thompson\nDirector of Coalitions, Liberty Policy Forum\n"
        "ava.thompson@libertypolicyforum.org\n+1 202 555 0143"
    )
    assert script.voicemail.endswith(
        "Ava Thompson, Director of Coalitions, Liberty Policy Forum,"
        " ava.thompson@libertypolicyforum.org, +1 202 555 0143"
    )


def test_with_no_budget_no_draft_names_a_money_figure() -> None:
    ask = variant(SUMMIT, budget=None)
    for channel, text in all_text(ask).items():
        assert not re.search(r"\$|USD|costs you nothing|budget", text, re.IGNORECASE), channel
    assert [qa.question for qa in render_content(ask, Channel.call_script).anticipated_questions]


@pytest.mark.parametrize(
    ("amount", "currency", "contribution", "expected"),
    [
        ("2500", "USD", "0", ["$2,500", "costs you nothing"]),
        ("2500.50", "USD", "0", ["$2,500.50", "costs you nothing"]),
        ("12000", "USD", "4000", ["$12,000", "$4,000"]),
        ("1234567.25", "EUR", "1000", ["1,234,567.25 EUR", "1,000 EUR"]),
        ("300", "JPY", "0", ["300 JPY", "costs you nothing"]),
    ],
)
def test_every_draft_states_the_budget_plainly(
    amount: str, currency: str, contribution: str, expected: list[str]
) -> None:
    budget = {"amount": amount, "currency": currency, "partner_contribution": contribution}
    for channel, text in all_text(variant(SUMMIT, budget=budget)).items():
        for phrase in expected:
            assert phrase in text, (channel, phrase)


@pytest.mark.parametrize(
    ("budget", "negotiates"),
    [
        (None, False),
        ({"amount": "2500", "partner_contribution": "0", "negotiable": False}, False),
        ({"amount": "2500", "partner_contribution": "0", "negotiable": True}, True),
        ({"amount": "2500", "partner_contribution": "500", "negotiable": False}, True),
        ({"amount": "2500", "partner_contribution": "500", "negotiable": True}, True),
    ],
)
def test_the_call_script_negotiates_exactly_when_money_or_terms_are_open(
    budget: dict | None, negotiates: bool
) -> None:
    script = render_content(variant(SUMMIT, budget=budget), Channel.call_script)
    assert (script.negotiation is not None) == negotiates
    assert len(script.anticipated_questions) >= 3
    assert all(qa.question and qa.answer for qa in script.anticipated_questions)


def test_negotiation_holds_to_the_ask_figures() -> None:
    negotiation = render_content(SPONSOR, Channel.call_script).negotiation
    assert negotiation == (
        "Opening position: ask for the full $4,000 of a total budget of $12,000.\n"
        "Where there is room: the budget is negotiable. If the amount is a problem, ask what"
        " they could offer and take it back to the team; do not agree to a new figure on the"
        " call.\n"
        "What we will not give up: the core of the ask (Sponsor the fellowship's closing"
        " reception with 4000 dollars) and the final date, May 13, 2027 (Closing reception)."
        " Offer nothing beyond the benefits above."
    )


@pytest.mark.parametrize("with_budget", [True, False])
def test_agenda_timeboxes_add_up_to_every_meeting_length(with_budget: bool) -> None:
    base = SPONSOR if with_budget else variant(SPONSOR, budget=None)
    for minutes in range(15, 181):
        agenda = render_content(
            variant(base, meeting={"duration_minutes": minutes}), "meeting_agenda"
        )
        assert agenda.duration_minutes == minutes
        assert sum(item.minutes for item in agenda.items) == minutes
        assert all(item.minutes > 0 and item.topic and item.owner for item in agenda.items)


def test_an_ask_without_a_meeting_gets_a_half_hour_agenda_in_round_timeboxes() -> None:
    agenda = render_content(variant(SUMMIT, meeting=None), Channel.meeting_agenda)
    assert agenda.duration_minutes == 30
    assert [item.minutes for item in agenda.items] == [3, 3, 5, 4, 4, 4, 5, 2]
    hour = render_content(variant(SUMMIT, meeting={"duration_minutes": 60}), "meeting_agenda")
    assert [item.minutes for item in hour.items] == [5, 5, 10, 10, 10, 5, 10, 5]


def test_the_agenda_names_people_materials_and_dated_next_steps_from_the_ask() -> None:
    agenda = render_content(SPONSOR, Channel.meeting_agenda)
    assert agenda.attendees == [
        "Daniel Okafor (Executive Director, Young Leaders Network)",
        "Priya Raman (Development Lead, Granite State Taxpayers)",
    ]
    assert [m.split(":")[0] for m in agenda.materials] == ["Project summary", "Timeline", "Budget"]
    assert [(s.owner, s.date.isoformat()) for s in agenda.next_steps] == [
        ("Priya Raman", "2027-03-01"),
        ("Daniel Okafor", "2027-03-01"),
    ]
    assert "Whether Granite State Taxpayers will contribute $4,000" in agenda.decisions_needed[1]


UNTRUSTED = {
    "partner__organization": "{{ TODO }} <b>Alliance</b> & Co",
    "partner__contact_name": "مريم الحسيني",
    "partner__focus": "🚀 *growth* [links](http://x.example)",
    "need__description": "Lend us {{ room }} {% if x %} — 會議室, one morning.",
}


@pytest.mark.parametrize("channel", list(Channel))
def test_untrusted_text_is_reproduced_verbatim_and_never_run(channel: Channel) -> None:
    ask = variant(SUMMIT, **UNTRUSTED)
    text = to_text(render_content(ask, channel))
    for value in UNTRUSTED.values():
        assert value in text


@pytest.mark.parametrize("channel", list(Channel))
def test_template_names_are_the_files_the_draft_is_rendered_from(channel: Channel) -> None:
    names = template_names(channel)
    assert all((prompts_dir() / name).is_file() for name in names)
    assert any(channel.value in name for name in names)
