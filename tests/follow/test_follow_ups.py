"""Follow-ups that stop on a reply: drafted when due in business days, each shorter than the
last, never a third; cancelled by any outcome; a "no" gets at most a gracious close. Time is
driven by `now`, never by waiting."""

from __future__ import annotations

import datetime as dt

import pytest
from follow_helpers import at, send, send_pitch

from pitchgen.ask import Channel
from pitchgen.errors import Conflict
from pitchgen.follow.rules import add_business_days, business_days_between
from pitchgen.service import Service

pytest_plugins = ["conftest_store"]

MONDAY = at("2027-01-04")  # the summit's reply date is Friday, January 15


def kinds(report) -> list[tuple[str, str]]:
    return [(m.kind, m.step) for m in report.drafted]


def test_business_days_skip_the_weekend() -> None:
    friday = dt.date(2027, 1, 8)
    assert add_business_days(friday, 1) == dt.date(2027, 1, 11)
    assert add_business_days(dt.date(2027, 1, 4), 3) == dt.date(2027, 1, 7)
    assert add_business_days(dt.date(2027, 1, 11), -3) == dt.date(2027, 1, 6)
    assert business_days_between(friday, dt.date(2027, 1, 11)) == 1


def test_the_first_follow_up_is_drafted_when_due_and_only_once(service: Service, summit) -> None:
    pitch = send_pitch(service, summit, sent_at=MONDAY)
    assert service.follow.run(at("2027-01-06")).drafted == []  # two business days: not yet
    report = service.follow.run(at("2027-01-07"))
    assert kinds(report) == [("follow_up", "1")]
    assert service.follow.run(at("2027-01-07")).drafted == []
    assert service.follow.run(at("2027-01-08")).drafted == []
    made = service.get_draft(report.drafted[0].draft_id)
    assert (made.kind, made.channel, made.status, made.source) == (
        "follow_up",
        "email",
        "draft",
        "template",
    )
    assert not made.must_failures, made.must_failures
    assert {c.id for c in made.checks} >= {"names_partner", "plan_timeline", "follows_up"}
    body = made.content.body
    assert "January 15" in body  # the reply date, given again, as the pitch wrote it
    assert "Main Street Licensing Summit" in body and "on Monday" in body
    assert len(body.split()) < len(pitch.content.body.split()) / 2
    assert made.content.subject == f"Re: {pitch.content.subject}"


def test_the_second_is_shorter_counts_from_the_first_sent_and_there_is_no_third(
    service: Service, summit
) -> None:
    send_pitch(service, summit, sent_at=MONDAY)
    (first,) = service.follow.run(at("2027-01-07")).drafted
    # A first follow-up never sent is no reason for a second.
    assert service.follow.run(at("2027-01-14")).drafted == []
    first_draft = send(service, first.draft_id, at("2027-01-07", 16))
    assert service.follow.run(at("2027-01-13")).drafted == []  # four business days after
    (second,) = service.follow.run(at("2027-01-14")).drafted
    assert (second.kind, second.step) == ("follow_up", "2")
    second_draft = service.get_draft(second.draft_id)
    assert not second_draft.must_failures, second_draft.must_failures
    words = len(second_draft.content.body.split())
    assert words < len(first_draft.content.body.split())
    send(service, second.draft_id, at("2027-01-14", 16))
    assert service.follow.run(at("2027-01-14", 20)).drafted == []
    assert [m.step for m in service.follow.of_ask(first.ask_id).drafts] == ["1", "2"]


def test_any_outcome_cancels_a_pending_follow_up_with_an_audit_event(
    service: Service, summit
) -> None:
    pitch = send_pitch(service, summit, sent_at=MONDAY)
    (first,) = service.follow.run(at("2027-01-07")).drafted
    done = service.follow.record_outcome(pitch.id, "no_answer", "ana", now=at("2027-01-08"))
    assert done.cancelled == [first.draft_id]
    cancelled = service.get_draft(first.draft_id)
    assert cancelled.status == "rejected"
    event = service.events(first.draft_id)[-1]
    assert (event.action, event.from_status, event.to_status) == ("cancel", "draft", "rejected")
    assert "no answer" in event.reason
    assert service.follow.run(at("2027-01-14")).drafted == []


def test_a_reply_between_drafting_and_sending_stops_the_follow_up(service: Service, summit) -> None:
    pitch = send_pitch(service, summit, sent_at=MONDAY)
    (first,) = service.follow.run(at("2027-01-07")).drafted
    service.decide("approve", first.draft_id, "ana")
    service.follow.record_outcome(pitch.id, "replied", "ana", now=at("2027-01-07", 17))
    assert service.get_draft(first.draft_id).status == "rejected"
    with pytest.raises(Conflict, match="rejected"):
        service.send(first.draft_id, "ana")


def test_a_reply_recorded_against_a_follow_up_goes_to_its_pitch(service: Service, summit) -> None:
    pitch = send_pitch(service, summit, sent_at=MONDAY)
    (first,) = service.follow.run(at("2027-01-07")).drafted
    send(service, first.draft_id, at("2027-01-07", 16))
    done = service.follow.record_outcome(first.draft_id, "replied", "ana", now=at("2027-01-08"))
    assert done.outcome.draft_id == pitch.id


def test_a_declined_pitch_gets_one_gracious_close_and_no_more_nudges(
    service: Service, summit
) -> None:
    pitch = send_pitch(service, summit, sent_at=MONDAY)
    service.follow.record_outcome(pitch.id, "declined", "ana", now=at("2027-01-05"))
    report = service.follow.run(at("2027-01-07"))
    assert kinds(report) == [("follow_up", "close")]
    assert service.follow.run(at("2027-01-14")).drafted == []
    closing = service.get_draft(report.drafted[0].draft_id)
    assert not closing.must_failures, closing.must_failures
    assert "?" not in closing.content.body and "January 15" not in closing.content.body


def test_a_call_is_followed_up_by_email_referring_to_the_call(service: Service, summit) -> None:
    send_pitch(service, summit, Channel.call_script, sent_at=MONDAY)
    (first,) = service.follow.run(at("2027-01-07")).drafted
    made = service.get_draft(first.draft_id)
    assert made.channel == "email" and "our call on Monday" in made.content.body
    assert not made.must_failures, made.must_failures


def test_no_follow_up_once_the_reply_date_has_passed(service: Service, summit) -> None:
    send_pitch(service, summit, sent_at=at("2027-01-12"))
    report = service.follow.run(at("2027-01-15"))
    assert report.drafted == []
    assert len(report.overdue_answers) == 1


def test_the_schedule_is_a_setting(store, summit) -> None:
    from pitchgen.settings import Settings

    slow = Service(Settings(llm="off", follow_up_days=[5, 5]), store=store)
    send_pitch(slow, summit, sent_at=MONDAY)
    assert slow.follow.run(at("2027-01-10")).drafted == []
    assert len(slow.follow.run(at("2027-01-11")).drafted) == 1
