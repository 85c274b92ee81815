"""A reminder of our own promise goes to the sender, never the partner: at once by SMTP when
it is set, and from review (send, .eml export) otherwise."""

from __future__ import annotations

from follow_helpers import at, send_pitch

from pitchgen.service import Service
from pitchgen.settings import Settings

pytest_plugins = ["conftest_store"]


def _accepted(service: Service, summit) -> None:
    pitch = send_pitch(service, summit, sent_at=at("2027-01-04"))
    service.follow.record_outcome(pitch.id, "accepted", "ana", now=at("2027-01-06"))


def test_with_smtp_a_reminder_to_us_reaches_the_sender_at_once(store, summit, smtp_server):
    inbox, port = smtp_server()
    settings = Settings(llm="off", smtp_host="127.0.0.1", smtp_port=port, smtp_tls="none")
    service = Service(settings, store=store)
    _accepted(service, summit)
    report = service.follow.run(at("2027-02-16"))  # the run of show, due February 19
    (made,) = report.drafted
    assert report.delivered == [made.draft_id] and report.undelivered == {}
    (message,) = inbox.messages
    assert message["To"] == "Ava Thompson <ava.thompson@libertypolicyforum.org>"
    assert "mainstreetalliance" not in str(message)
    assert "Final run of show shared with you" in message.get_content()
    sent = service.get_draft(made.draft_id)
    assert sent.status == "sent"
    assert service.follow.run(at("2027-02-17")).drafted == []
    assert len(inbox.messages) == 1  # never twice


def test_without_smtp_it_waits_in_review_addressed_to_the_sender(service: Service, summit):
    _accepted(service, summit)
    report = service.follow.run(at("2027-02-16"))
    (made,) = report.drafted
    assert report.delivered == []
    assert service.get_draft(made.draft_id).status == "draft"
    eml = service.export(made.draft_id, "eml").data.decode()
    assert "To: Ava Thompson <ava.thompson@libertypolicyforum.org>" in eml
    assert "mlee@mainstreetalliance.org" not in eml
