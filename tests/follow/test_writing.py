"""Every follow-through draft of every example ask passes its must checks, as the template
fallback does for pitches: a follow-up, a second, a close, the kick-off, and a reminder of
each commitment both ways."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pitchgen.ask import Ask, Channel, load_ask
from pitchgen.drafting.pipeline import draft
from pitchgen.follow import writing
from pitchgen.follow.ledger import commitments_of
from pitchgen.settings import Settings
from pitchgen.store.followrows import Commitment


def _ledger(ask: Ask) -> list[Commitment]:
    now = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    return [
        Commitment(id=f"c{i}", ask_id="a", owner=c.owner, what=c.what, due=c.due,
                   status="open", source=c.source, version=1, created_at=now, updated_at=now)
        for i, c in enumerate(commitments_of(ask))
    ]  # fmt: skip


ASKS = sorted((Path(__file__).resolve().parents[1] / "data" / "asks").iterdir())


@pytest.fixture(params=ASKS, ids=[p.name for p in ASKS])
def data_ask(request: pytest.FixtureRequest) -> Ask:
    return load_ask(request.param)


def test_so_do_those_of_the_test_asks(data_ask: Ask) -> None:
    test_every_follow_through_draft_of_every_example_passes_its_must_checks(data_ask)


def test_every_follow_through_draft_of_every_example_passes_its_must_checks(
    example: Ask,
) -> None:
    pitches = draft(example, list(Channel), settings=Settings(llm="off")).drafts
    sent, today = dt.date(2027, 1, 4), dt.date(2027, 1, 7)
    made = []
    for pitch in pitches:
        first = writing.follow_up(example, pitch, 1, sent, today)
        second = writing.follow_up(
            example, pitch, 2, sent, today, len(first.draft.content.body.split())
        )
        made += [first, second, writing.close(example, pitch)]
        assert len(second.draft.content.body.split()) < len(first.draft.content.body.split())
    ledger = _ledger(example)
    made.append(writing.kickoff(example, ledger))
    made += [writing.reminder(example, c) for c in ledger]
    for written in made:
        failing = written.draft.must_failures
        assert not failing, (written.draft.kind, written.step, failing, written.draft.text)


def test_a_reminder_to_us_never_addresses_the_partner(example: Ask) -> None:
    ours = writing.to_ourselves(example)
    assert ours.partner.email == example.sender.email
    assert ours.partner.organization == example.sender.organization


def test_hostile_ask_text_is_written_around_not_copied() -> None:
    from conftest_browser import hostile_ask

    ask = hostile_ask()
    pitch = draft(ask, [Channel.email], settings=Settings(llm="off")).drafts[0]
    ledger = _ledger(ask)
    made = [
        writing.follow_up(ask, pitch, 1, dt.date(2027, 1, 4), dt.date(2027, 1, 7)),
        writing.kickoff(ask, ledger),
        *(writing.reminder(ask, c) for c in ledger),
    ]
    for written in made:
        text = written.draft.text
        assert "<" not in text and "javascript:" not in text, text
        assert not written.draft.must_failures, (written.step, written.draft.must_failures)
