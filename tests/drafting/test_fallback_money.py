"""Money in the template email: what is asked of the partner, what it pays for and whether it
is open to discussion, said together with the ask, so what they gain stays about them."""

from __future__ import annotations

from pathlib import Path

import pytest

from pitchgen.ask import Channel, Tone, load_ask, validate_ask
from pitchgen.drafting.fallback import render_content

ROOT = Path(__file__).resolve().parents[2]
# A venue ask with no money asked of the partner, turned into a sponsorship below.
BASE = load_ask(ROOT / "fixtures" / "asks" / "summit-venue.yaml")


def sponsorship(negotiable: bool, covers: str, tone: Tone = Tone.formal):
    data = BASE.model_dump(mode="json", exclude_none=True)
    data["need"] = {
        "type": "sponsorship",
        "description": "Sponsor the summit breakfast with 3000 dollars",
        "deliverables": ["A 3000 USD sponsorship payment by February 20"],
    }
    data["budget"] = {
        "amount": "9000",
        "currency": "USD",
        "covers": covers,
        "partner_contribution": "3000",
        "negotiable": negotiable,
    }
    data["tone"] = tone.value
    return validate_ask(data)


def paragraphs(ask) -> list[str]:
    return render_content(ask, Channel.email).body.split("\n\n")


@pytest.mark.parametrize("tone", list(Tone))
def test_the_share_asked_and_what_it_pays_for_are_one_sentence_beside_the_ask(tone) -> None:
    ask = sponsorship(False, "The whole summit; the breakfast costs 3000 USD", tone)
    body = "\n\n".join(paragraphs(ask))
    assert (
        "The $3,000 would cover the breakfast, within our overall budget of $9,000 for the"
        " whole summit." in body
    )
    assert "The breakfast costs $3,000" not in body
    assert body.index("$9,000") < body.index("In return")
    gains = next(p for p in paragraphs(ask) if p.startswith("In return"))
    assert "$" not in gains and "budget" not in gains


@pytest.mark.parametrize("negotiable", [True, False])
def test_a_negotiable_amount_is_said_to_be_open_to_discussion(negotiable: bool) -> None:
    body = render_content(sponsorship(negotiable, "The whole summit"), Channel.email).body
    assert ("We are open to discussing the amount." in body) is negotiable


def test_a_budget_note_that_prices_something_else_stays_a_sentence_of_its_own() -> None:
    body = render_content(
        sponsorship(False, "The whole summit; the venue costs 5000 USD"), Channel.email
    ).body
    assert "which covers the whole summit. The venue costs" in body


def test_the_deliverables_never_restate_the_ask_with_in_practice() -> None:
    for tone in Tone:
        body = render_content(sponsorship(False, "The whole summit", tone), Channel.email).body
        assert "In practice" not in body
