"""Outcomes of a pitch: recorded with an audit event, moving only as the outcome table allows,
every bad input named at once by its path; accepted opens the commitments both ways."""

from __future__ import annotations

import datetime as dt

import pytest
from follow_helpers import SPONSOR

from pitchgen.ask import Channel, load_ask
from pitchgen.errors import Conflict, InvalidInput
from pitchgen.follow.rules import OUTCOME_TRANSITIONS, OUTCOMES
from pitchgen.service import Service

pytest_plugins = ["conftest_store"]


def test_an_outcome_is_kept_with_its_audit_event_on_the_pitch(service: Service, sent) -> None:
    pitch = sent()
    at = pitch.sent_at + dt.timedelta(hours=3)
    now = pitch.sent_at + dt.timedelta(days=1)
    done = service.follow.record_outcome(
        pitch.id, "replied", "ana", note="Call me Tuesday", at=at, now=now
    )
    assert (done.outcome.outcome, done.outcome.note, done.outcome.at) == (
        "replied",
        "Call me Tuesday",
        at,
    )
    assert done.previous is None
    event = service.events(pitch.id)[-1]
    assert (event.action, event.actor, event.reason) == ("outcome", "ana", "Call me Tuesday")
    assert (event.from_status, event.to_status) == ("sent", "sent")
    assert event.detail == {"outcome": "replied", "at": at.isoformat(), "previous": None}
    assert [o.outcome for o in service.follow.outcomes(pitch.ask_id)] == ["replied"]


@pytest.mark.parametrize("before", [None, *OUTCOMES])
@pytest.mark.parametrize("after", OUTCOMES)
def test_every_transition_is_allowed_or_refused_by_the_table(
    service: Service, sent, before: str | None, after: str
) -> None:
    pitch = sent()
    if before is not None:
        service.follow.record_outcome(pitch.id, before, "ana")
    events = len(service.events(pitch.id))
    if after in OUTCOME_TRANSITIONS[before]:
        done = service.follow.record_outcome(pitch.id, after, "ana")
        assert done.previous == before
        assert service.events(pitch.id)[-1].detail["previous"] == before
    else:
        with pytest.raises(Conflict, match=f"already {before}"):
            service.follow.record_outcome(pitch.id, after, "ana")
        assert len(service.events(pitch.id)) == events


def test_a_pitch_that_never_went_out_has_no_outcome(service: Service, summit) -> None:
    drafted = service.draft(summit, [Channel.email], llm="off")
    service.save(summit, drafted, "tester")
    with pytest.raises(Conflict, match="it is draft"):
        service.follow.record_outcome(drafted.drafts[0].id, "replied", "ana")


def test_every_bad_input_is_named_at_once(service: Service, sent) -> None:
    pitch = sent()
    with pytest.raises(InvalidInput) as caught:
        service.follow.record_outcome(
            pitch.id, "maybe", "ana", note="bad\x07note", at="2027-02-30T10:00+00:00"
        )
    paths = {p.path for p in caught.value.problems}
    assert paths == {"outcome", "note", "at"}


@pytest.mark.parametrize(
    ("at", "says"),
    [
        ("2199-01-01T00:00:00+00:00", "in the future"),
        ("2000-01-01T00:00:00+00:00", "before the pitch was sent"),
        ("2027-01-10T10:00:00", "needs a UTC offset"),
    ],
)
def test_a_time_it_cannot_have_happened_is_refused(service: Service, sent, at, says) -> None:
    pitch = sent()
    with pytest.raises(InvalidInput, match="problem") as caught:
        service.follow.record_outcome(pitch.id, "replied", "ana", at=at)
    (problem,) = caught.value.problems
    assert problem.path == "at"
    assert says in problem.message


def test_accepted_opens_the_commitments_both_ways_once(service: Service, sent) -> None:
    pitch = sent()
    service.follow.record_outcome(pitch.id, "replied", "ana")
    done = service.follow.record_outcome(pitch.id, "accepted", "ana")
    ledger = service.follow.commitments(ask_id=pitch.ask_id)
    assert {c.id for c in done.opened} == {c.id for c in ledger}
    theirs = {c.source: (c.what, c.due) for c in ledger if c.owner == "them"}
    ours = {c.source: (c.what, c.due) for c in ledger if c.owner == "us"}
    summit_day, run_of_show = dt.date(2027, 3, 4), dt.date(2027, 2, 19)
    assert theirs == {
        "need.description": (
            "Use of your Capitol Hill conference room, which seats 80, on the morning of the"
            " summit",
            summit_day,
        ),
        "need.deliverables[0]": ("Room access from 7:30 to 13:00 on summit day", summit_day),
        "need.deliverables[1]": ("A projector and two microphones", summit_day),
    }
    assert ours == {
        "benefits[0]": (
            "Your logo on all summit materials and a welcome remark in the opening session",
            summit_day,
        ),
        "benefits[1]": ("The opt-in attendee list, shared after the summit", summit_day),
        "budget.covers": ("Catering and AV rental, paid by Liberty Policy Forum", summit_day),
        "timeline[1]": ("Final run of show shared with you", run_of_show),
    }
    assert all(c.status == "open" for c in ledger)
    assert [e.action for e in service.follow.history(ledger[0].id)] == ["opened"]


def test_a_deliverable_falls_due_on_the_date_it_states(service: Service, sent) -> None:
    sponsor = load_ask(SPONSOR)
    pitch = sent(sponsor)
    service.follow.record_outcome(pitch.id, "accepted", "ana")
    due = {c.source: c.due for c in service.follow.commitments(ask_id=pitch.ask_id)}
    assert due["need.deliverables[0]"] == dt.date(2027, 4, 1)  # "payment by April 1"


def test_an_outcome_for_an_unknown_draft_is_not_found(service: Service, sent) -> None:
    pitch = sent()
    with pytest.raises(Exception, match="no draft"):
        service.follow.record_outcome("no-such-draft", "replied", "ana")
    assert service.follow.outcomes(pitch.ask_id) == []
