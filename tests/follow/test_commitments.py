"""The commitments both ways, the kick-off on acceptance, and reminders before a promise falls
due: once per commitment and due date, moving with a slip."""

from __future__ import annotations

import datetime as dt

import pytest
from follow_helpers import SPONSOR, at, send_pitch

from pitchgen.ask import load_ask
from pitchgen.errors import Conflict, InvalidInput
from pitchgen.service import Service

pytest_plugins = ["conftest_store"]

MONDAY = at("2027-01-04")


def accepted(service: Service, ask):
    pitch = send_pitch(service, ask, sent_at=MONDAY)
    service.follow.record_outcome(pitch.id, "accepted", "ana", now=at("2027-01-06"))
    return pitch


def test_acceptance_drafts_one_kick_off_restating_who_does_what_by_when(
    service: Service, summit
) -> None:
    pitch = accepted(service, summit)
    (made,) = service.follow.of_ask(pitch.ask_id).drafts
    assert (made.kind, made.step) == ("kickoff", "kickoff")
    kickoff = service.get_draft(made.draft_id)
    assert kickoff.kind == "kickoff" and kickoff.status == "draft"
    assert not kickoff.must_failures, kickoff.must_failures
    body = kickoff.content.body
    assert body.index("Main Street Business Alliance:") < body.index("Liberty Policy Forum:")
    assert "A projector and two microphones (by March 4)" in body
    assert "The next date is February 19: final run of show shared with you." in body
    assert "costs you nothing" in body
    assert service.follow.run(at("2027-01-07")).drafted == []  # never a second kick-off


def test_the_kick_off_is_checked_like_any_draft_and_states_money_asked_of_them(
    service: Service,
) -> None:
    pitch = accepted(service, load_ask(SPONSOR))
    (made,) = service.follow.of_ask(pitch.ask_id).drafts
    kickoff = service.get_draft(made.draft_id)
    assert not kickoff.must_failures, kickoff.must_failures
    assert "your share is $4,000" in kickoff.content.body
    # The deliverable says "by April 1" itself: the date is not said twice.
    assert "A 4000 USD sponsorship payment by April 1\n" in kickoff.content.body


def test_the_ledger_is_kept_with_its_history(service: Service, summit) -> None:
    pitch = accepted(service, summit)
    ledger = service.follow.commitments(ask_id=pitch.ask_id)
    target = next(c for c in ledger if c.source == "timeline[1]")
    moved = service.follow.slip(
        target.id, "ana", to="2027-02-24", note="venue walk-through moved", now=at("2027-02-01")
    )
    assert (moved.status, moved.due, moved.version) == ("slipped", dt.date(2027, 2, 24), 2)
    kept = service.follow.done(target.id, "ana", now=at("2027-02-23"))
    assert kept.status == "done"
    history = service.follow.history(target.id)
    assert [(e.action, e.from_status, e.to_status) for e in history] == [
        ("opened", None, "open"),
        ("slip", "open", "slipped"),
        ("done", "slipped", "done"),
    ]
    assert (history[1].due_from, history[1].due_to, history[1].note) == (
        dt.date(2027, 2, 19),
        dt.date(2027, 2, 24),
        "venue walk-through moved",
    )
    with pytest.raises(Conflict, match="it is done"):
        service.follow.done(target.id, "ana")
    assert [c.id for c in service.follow.commitments(status="done")] == [target.id]
    assert len(service.follow.commitments(owner="them")) == 3
    assert service.follow.commitments(due_before="2027-02-20") == []  # the slip is kept


def test_bad_ledger_input_is_named_at_once(service: Service, summit) -> None:
    pitch = accepted(service, summit)
    other = accepted(service, summit)
    target = service.follow.commitments(ask_id=pitch.ask_id)[0]
    with pytest.raises(InvalidInput) as caught:
        service.follow.slip(
            target.id, "ana", to="2027-01-02", note=None, ask_id=other.ask_id, now=at("2027-01-10")
        )
    assert {p.path for p in caught.value.problems} == {"to", "note", "commitment_id"}
    with pytest.raises(InvalidInput) as caught:
        service.follow.commitments(owner="all", status="late", due_before="someday")
    assert {p.path for p in caught.value.problems} == {"owner", "status", "due_before"}


def test_the_ask_page_lists_overdue_first(service: Service, summit) -> None:
    pitch = accepted(service, summit)
    view = service.follow.of_ask(pitch.ask_id, now=at("2027-02-22"))
    assert view.commitments[0].source == "timeline[1]"  # February 19, overdue
    assert view.outcome.outcome == "accepted"


def test_reminders_are_drafted_once_per_commitment_and_move_with_a_slip(
    service: Service, summit
) -> None:
    pitch = accepted(service, summit)
    assert service.follow.run(at("2027-02-15")).drafted == []  # four business days before
    report = service.follow.run(at("2027-02-16"))
    (reminder,) = report.drafted
    assert (reminder.kind, reminder.step) == ("reminder", "us")
    made = service.get_draft(reminder.draft_id)
    assert not made.must_failures, made.must_failures
    assert "Final run of show shared with you" in made.content.body
    assert "February 19" in made.content.body
    assert service.follow.run(at("2027-02-17")).drafted == []
    target = next(
        c for c in service.follow.commitments(ask_id=pitch.ask_id) if c.source == "timeline[1]"
    )
    service.follow.slip(target.id, "ana", to="2027-02-26", note="printer", now=at("2027-02-17"))
    assert service.get_draft(reminder.draft_id).status == "rejected"  # for a date now gone
    assert service.follow.run(at("2027-02-22")).drafted == []
    (moved,) = service.follow.run(at("2027-02-23")).drafted
    nudge = service.get_draft(moved.draft_id)
    assert "February 26" in nudge.content.body
    assert not nudge.must_failures, nudge.must_failures  # a slip's date is ours to state


def test_their_commitments_get_a_polite_nudge(service: Service, summit) -> None:
    accepted(service, summit)
    report = service.follow.run(at("2027-03-01"))
    steps = sorted(m.step for m in report.drafted)
    assert steps == ["them"] * 3 + ["us"] * 3
    nudges = [service.get_draft(m.draft_id) for m in report.drafted if m.step == "them"]
    for nudge in nudges:
        assert not nudge.must_failures, nudge.must_failures
        assert nudge.content.body.startswith("Hi Marcus,")
        assert "Is it still on track?" in nudge.content.body


def test_promises_kept_on_time_count_a_slip_as_late(service: Service, summit) -> None:
    pitch = accepted(service, summit)
    ledger = {c.source: c for c in service.follow.commitments(ask_id=pitch.ask_id)}
    service.follow.done(ledger["benefits[0]"].id, "ana", now=at("2027-03-03"))  # on time
    slipped = ledger["timeline[1]"].id
    service.follow.slip(slipped, "ana", to="2027-02-24", note="late", now=at("2027-02-10"))
    service.follow.done(slipped, "ana", now=at("2027-02-23"))  # by its new date: still late
    numbers = service.follow.stats(now=at("2027-03-10"))
    # Five more fell due on March 4 and are still open: late too.
    assert (numbers.kept_on_time, numbers.late, numbers.due_so_far) == (1, 6, 7)
    assert service.follow.stats(now=at("2027-03-01")).due_so_far == 2


@pytest.mark.parametrize(
    ("steps", "last", "allowed"),
    [
        ([], "done", True),
        ([], "slip", True),
        (["slip"], "slip", True),
        (["slip"], "done", True),
        (["done"], "done", False),
        (["done"], "slip", False),
    ],
)
def test_every_commitment_transition_and_its_history(
    service: Service, summit, steps: list[str], last: str, allowed: bool
) -> None:
    pitch = accepted(service, summit)
    target = service.follow.commitments(ask_id=pitch.ask_id)[0]

    def step(action: str, day: str):
        if action == "done":
            return service.follow.done(target.id, "ana", now=at(day))
        return service.follow.slip(target.id, "ana", to="2027-06-01", note="later", now=at(day))

    for action in steps:
        step(action, "2027-02-01")
    before = service.follow.history(target.id)
    if allowed:
        moved = step(last, "2027-02-02")
        assert moved.status == {"done": "done", "slip": "slipped"}[last]
        event = service.follow.history(target.id)[-1]
        assert (event.action, event.actor, event.to_status) == (last, "ana", moved.status)
    else:
        with pytest.raises(Conflict, match="it is done"):
            step(last, "2027-02-02")
        assert service.follow.history(target.id) == before
