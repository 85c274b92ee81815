"""Whose a milestone is: the template drafts read it by the very patterns the ask's plan does
(the vagueness warnings and the checks), so the two cannot drift apart."""

from __future__ import annotations

from pitchgen.ask import timeline
from pitchgen.drafting import dates


def test_the_drafts_read_whose_a_milestone_is_by_the_asks_own_patterns() -> None:
    assert dates.THEIR_ANSWER is timeline.THEIR_ANSWER
    assert dates.PLAINLY_OURS is timeline.PLAINLY_OURS
