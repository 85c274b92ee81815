"""Whose a milestone is: the template drafts read it by the very rule the ask's plan does (the
vagueness warnings and the checks), so the two cannot drift apart."""

from __future__ import annotations

import datetime as dt

import pytest
from asks import make_ask

from pitchgen.ask import timeline, validate_ask
from pitchgen.drafting import dates


def test_the_drafts_read_a_partners_answer_by_the_asks_own_pattern() -> None:
    assert dates.THEIR_ANSWER is timeline.THEIR_ANSWER


@pytest.mark.parametrize(
    "name", ["Liberty Policy Forum", "LIBERTY POLICY FORUM", "liberty policy forum"]
)
def test_a_milestone_naming_us_in_any_case_is_ours_in_the_draft_and_in_the_plan(name: str) -> None:
    base = make_ask("summit-venue.yaml").model_dump(mode="json")
    base["timeline"].append({"date": "2026-06-01", "milestone": f"{name} posts the recording"})
    ask = validate_ask(base)
    milestone = next(m for m in ask.timeline if m.date == dt.date(2026, 6, 1))
    assert dates.milestone_owner(ask, milestone) == "sender"
    assert milestone in timeline.our_milestones(ask)
    assert milestone not in timeline.partner_milestones(ask)
