"""Which channel to lead with (seed step 3), by the documented rule table."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pitchgen.ask import Channel, load_ask, validate_ask
from pitchgen.drafting.recommend import recommend

TODAY = date(2026, 11, 26)


def ask(**changes) -> dict:
    data = {
        "sender": {"organization": "Liberty Policy Forum", "name": "Ava Thompson"},
        "partner": {"organization": "Main Street Business Alliance", "relationship": "Co-signed"},
        "project": {"name": "Summit", "summary": "A half-day summit."},
        "need": {"type": "workspace", "description": "Use of your conference room for 80"},
        "benefits": [{"type": "name_recognition", "description": "Your logo on materials"}],
        "timeline": [{"date": "2027-03-04", "milestone": "Summit day"}],
    }
    data.update(changes)
    return validate_ask(data)


@pytest.mark.parametrize(
    ("changes", "channel", "because"),
    [
        ({}, Channel.email, "costs Main Street Business Alliance nothing"),
        (
            {
                "need": {"type": "sponsorship", "description": "Sponsor us"},
                "budget": {"amount": 20000, "partner_contribution": 15000},
            },
            Channel.meeting_agenda,
            "$15,000 is large enough",
        ),
        (
            {
                "need": {
                    "type": "expertise",
                    "description": "Review",
                    "deliverables": ["a", "b", "c"],
                }
            },
            Channel.meeting_agenda,
            "3 deliverables",
        ),
        ({"budget": {"amount": 5000, "partner_contribution": 4000}}, Channel.call_script, "$4,000"),
        ({"budget": {"amount": 5000, "negotiable": True}}, Channel.call_script, "negotiable"),
        ({"respond_by": "2026-12-03"}, Channel.call_script, "within two weeks (7 days)"),
        (
            {"partner": {"organization": "Granite State Taxpayers"}},
            Channel.call_script,
            "no prior relationship",
        ),
        (
            {"budget": {"amount": 5000, "currency": "EUR", "partner_contribution": 300}},
            Channel.call_script,
            "€300",
        ),
    ],
)
def test_the_first_rule_that_holds_picks_the_channel_and_says_why(changes, channel, because):
    choice = recommend(ask(**changes), today=TODAY)
    assert choice.channel is channel
    assert because in choice.reason


def test_the_shared_examples_get_the_channel_their_nature_calls_for(examples_dir: Path):
    picks = {
        p.name: recommend(load_ask(p), today=TODAY).channel for p in sorted(examples_dir.iterdir())
    }
    assert picks == {
        "expertise-no-budget.json": Channel.call_script,
        "sponsorship-negotiable.yaml": Channel.call_script,
        "summit-venue.yaml": Channel.email,
    }


@pytest.mark.parametrize("history", ["No prior contact", "none", "First contact", "N/A"])
def test_a_partner_with_no_prior_contact_is_called_first(history: str) -> None:
    choice = recommend(ask(partner={"organization": "Granite", "relationship": history}), TODAY)
    assert choice.channel is Channel.call_script
    assert "no prior relationship" in choice.reason
    assert "already know" not in choice.reason


def test_only_a_requested_channel_is_recommended() -> None:
    cold = {"organization": "Granite", "relationship": "No prior contact"}
    choice = recommend(ask(partner=cold, channels=["email", "meeting_agenda"]), TODAY)
    assert choice.channel is Channel.email
    assert "already know" not in choice.reason
    only_agenda = recommend(ask(partner=cold, channels=["meeting_agenda"]), TODAY)
    assert only_agenda.channel is Channel.meeting_agenda
    assert "only meeting agenda was asked for" in only_agenda.reason
