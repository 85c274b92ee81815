"""An email to a partner asked for ten things sums each up in a few words, as a coalition
director would (rubric: states_ask, partner_benefit; issue 13, length budgets): every item is
still there by its figures, names and key words, and one left out is named as missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from pitchgen.ask import load_ask
from pitchgen.checks.rubric import run_checks
from pitchgen.content.models import Email
from pitchgen.content.render import to_text

ASK = load_ask(Path(__file__).resolve().parents[1] / "data" / "asks" / "many-items.yaml")

# Written by hand, the way a director would: paraphrased, grouped, nothing pasted whole.
PIECES = {
    "deliverable 1": "your list of the 12 counties, ",
    "deliverable 2": "introductions to the superintendents ",
    "deliverable 4": "and your advice on which 10 districts to invite first",
    "deliverable 5": "a note from your director, ",
    "deliverable 6": "a 30-minute call with your research team, ",
    "deliverable 7": "permission to cite your reading reports, ",
    "deliverable 8": "your logo files, ",
    "deliverable 9": "one staff member at the October 21 briefing ",
    "deliverable 10": "and a post in your October newsletter",
    "benefit 1": "co-sponsor credit on every event, ",
    "benefit 3": "a five-minute slot for your director at the briefing, ",
    "benefit 4": "the opt-in family list, ",
    "benefit 5": "a mention to 200 Ohio reporters, ",
    "benefit 8": "first access to our survey data, ",
    "benefit 9": "a table at our November dinner ",
    "benefit 10": "and a thank-you letter from our board",
}
BODY = (
    "Hi Hannah,\n\nWe were so glad when you co-signed our 2025 letter on reading coaches. We'd"
    " love Buckeye Institute for Education's help again with Read Ohio Week.\n\nMostly, we're"
    " hoping for {deliverable 1}{deliverable 2}and reading coaches, {deliverable 4}. We'd also"
    " ask for {deliverable 5}{deliverable 6}{deliverable 7}{deliverable 8}{deliverable 9}"
    "{deliverable 10}.\n\nIn return, you'd have {benefit 1}your logo on all flyers and"
    " {benefit 3}plus {benefit 4}{benefit 5}{benefit 8}{benefit 9}{benefit 10}. We'd also"
    " promote your summer reading program to our 45 member organizations and share your next"
    " report with legislators.\n\nCould we meet on July 20 at 10:00 AM or July 22 at 2:00 PM?"
    " We'd need your answer by August 2.\n\nBest,\nAva Thompson\nDirector of Coalitions,"
    " Statewide Literacy Coalition\nava@literacycoalition.org\n+1 614 555 0148"
)


def _judged(body: str) -> dict[str, tuple[bool, str]]:
    email = Email(subject="Read Ohio Week: your rural districts", body=body)
    return {r.id: (r.passed, r.detail) for r in run_checks(ASK, email, to_text(email))}


def test_a_summary_of_every_item_states_the_ask_and_what_they_gain() -> None:
    judged = _judged(BODY.format(**PIECES))
    assert judged["states_ask"][0], judged["states_ask"][1]
    assert judged["partner_benefit"][0], judged["partner_benefit"][1]


@pytest.mark.parametrize("label", list(PIECES))
def test_an_item_the_summary_leaves_out_is_named_as_missing(label: str) -> None:
    judged = _judged(BODY.format(**{**PIECES, label: ""}))
    passed, detail = judged["states_ask" if label.startswith("deliverable") else "partner_benefit"]
    assert not passed
    assert f"missing {label} (" in detail
