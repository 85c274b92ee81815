"""Exports: what a reviewer downloads is a file their mail client or calendar reads correctly,
and an unapproved draft can never pass for the approved one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from email import policy
from email.parser import BytesParser

import icalendar
import pytest
from asks import make_ask
from pydantic import ValidationError

from pitchgen.ask import Channel
from pitchgen.content.models import CONTENT_MODELS, Draft
from pitchgen.content.render import to_markdown, to_text
from pitchgen.errors import InvalidInput
from pitchgen.export.files import export, message_id

NOW = datetime(2027, 1, 5, 9, 30, tzinfo=UTC)

EMAIL = {
    "subject": "Your room for the Main Street Licensing Summit",
    "body": "Dear Marcus Lee,\n\nCould we use your room on March 4, 2027?\n\nAva Thompson",
}
CALL = {
    "opener": "Hi, this is Ava Thompson.",
    "purpose": "The summit.",
    "value_for_partner": "Your logo.",
    "the_ask": "Your room.",
    "plan": "March 4, 2027.",
    "anticipated_questions": [{"question": "When?", "answer": "March 4, 2027."}],
    "close": "Can you answer by January 15, 2027?",
    "voicemail": "Please call back. Ava Thompson, Liberty Policy Forum",
}
AGENDA = {
    "title": "Fellowship reception sponsorship",
    "duration_minutes": 45,
    "attendees": ["Daniel Okafor", "Priya Raman"],
    "objective": "Agree the sponsorship.",
    "items": [
        {"minutes": 30, "topic": "The fellowship", "owner": "Daniel Okafor"},
        {"minutes": 15, "topic": "The sponsorship", "owner": "Priya Raman"},
    ],
    "decisions_needed": ["Sponsor the reception"],
    "materials": ["Budget"],
    "next_steps": [{"action": "Decide", "owner": "Priya Raman", "date": "2027-03-01"}],
}
CONTENT = {Channel.email: EMAIL, Channel.call_script: CALL, Channel.meeting_agenda: AGENDA}


def make_draft(channel: Channel, status: str = "approved", version: int = 2, **content) -> Draft:
    return Draft(
        id="d-7f3a",
        channel=channel,
        source="template",
        prompt_version="test",
        content={**CONTENT[channel], **content},
        text="",
        checks=[],
        status=status,
        version=version,
    )


def parse_eml(data: bytes):
    return BytesParser(policy=policy.default).parsebytes(data)


def body(message) -> str:
    # On the wire every line ends in CRLF; the reader sees plain lines.
    return message.get_content().replace("\r\n", "\n")


def events(data: bytes) -> list:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


# --- .eml -----------------------------------------------------------------------------------


def test_email_exports_as_a_complete_rfc5322_message():
    ask = make_ask("summit-venue.yaml")
    exported = export(make_draft(Channel.email), ask, "eml", now=NOW)
    message = parse_eml(exported.data)

    assert exported.media_type == "message/rfc822"
    assert exported.filename == "main-street-business-alliance-email.eml"
    assert str(message["From"]) == "Ava Thompson <ava.thompson@libertypolicyforum.org>"
    assert str(message["To"]) == "Marcus Lee <mlee@mainstreetalliance.org>"
    assert message["Subject"] == EMAIL["subject"]
    assert message["Date"].datetime == NOW
    assert message["Message-ID"] == "<pitchgen.d-7f3a.v2@libertypolicyforum.org>"
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert body(message) == EMAIL["body"] + "\n"
    assert "X-Pitchgen-Status" not in message


@pytest.mark.parametrize(
    ("sender_name", "contact_name"),
    [
        ("Lucía Fernández", "Zoë Ōtsuka"),
        ("Дмитрий Иванов", "王小明"),
        ("Ava O'Neil, PhD", "Marcus (Mac) Lee: Events"),
    ],
)
def test_names_survive_header_encoding(sender_name, contact_name):
    ask = make_ask(
        "summit-venue.yaml", sender={"name": sender_name}, partner={"contact_name": contact_name}
    )
    data = export(make_draft(Channel.email), ask, "eml", now=NOW).data
    message = parse_eml(data)

    assert data.isascii()
    assert message["From"].addresses[0].display_name == sender_name
    assert message["To"].addresses[0].display_name == contact_name
    assert message["To"].addresses[0].addr_spec == "mlee@mainstreetalliance.org"


def test_non_ascii_subject_and_body_round_trip():
    ask = make_ask("summit-venue.yaml")
    draft = make_draft(Channel.email, subject="Café für Zoë — 東京", body="Grüße, Zoë 🌱\n")
    message = parse_eml(export(draft, ask, "eml", now=NOW).data)

    assert message["Subject"] == "Café für Zoë — 東京"
    assert body(message) == "Grüße, Zoë 🌱\n"
    assert message["Content-Transfer-Encoding"] == "quoted-printable"


def test_an_email_with_its_full_list_exports_it_below_the_signature_line_by_line():
    ask = make_ask("summit-venue.yaml")
    full_list = (
        "Ava Thompson\n\nThe full list\n\nWhat we'd ask of Main Street Business Alliance:\n"
        "- Use of your conference room, which seats 80\n- A projector and two microphones"
    )
    draft = make_draft(Channel.email, body=EMAIL["body"].replace("Ava Thompson", full_list))
    sent = body(parse_eml(export(draft, ask, "eml", now=NOW).data))
    assert sent.endswith(f"{full_list}\n")
    assert f"{full_list}" in export(draft, ask, "txt", now=NOW).data.decode()
    # Markdown keeps each line and shows the dashes as written, not as a list of its own.
    markdown = export(draft, ask, "md", now=NOW).data.decode()
    assert "Ava Thompson\n\nThe full list\n\n" in markdown
    assert "80\\\n\\- A projector and two microphones" in markdown


def test_without_addresses_the_names_still_show_and_no_address_is_invented():
    ask = make_ask("expertise-no-budget.json")
    message = parse_eml(export(make_draft(Channel.email), ask, "eml", now=NOW).data)

    assert message["From"].addresses == ()
    assert message["From"].groups[0].display_name == "Lucía Fernández"
    assert message["To"].addresses == ()
    assert message["To"].groups[0].display_name == "Dr. Hannah Weiss"
    assert message["Message-ID"] == "<pitchgen.d-7f3a.v2@pitchgen.invalid>"


def test_without_a_contact_the_email_is_addressed_to_the_organization():
    ask = make_ask("summit-venue.yaml", partner={"contact_name": None})
    message = parse_eml(export(make_draft(Channel.email), ask, "eml", now=NOW).data)

    assert str(message["To"]) == "Main Street Business Alliance <mlee@mainstreetalliance.org>"


@pytest.mark.parametrize(
    ("address", "domain"),
    [("marcus@bücher.example", "xn--bcher-kva.example"), ("marcus@straße.de", "xn--strae-oqa.de")],
)
def test_internationalised_domains_are_written_in_ascii(address, domain):
    ask = make_ask("summit-venue.yaml", partner={"email": address})
    message = parse_eml(export(make_draft(Channel.email), ask, "eml", now=NOW).data)

    assert message["To"].addresses[0].domain == domain


def test_an_internationalised_mailbox_makes_a_utf8_message():
    ask = make_ask("summit-venue.yaml", partner={"email": "zoë@example.org"})
    data = export(make_draft(Channel.email), ask, "eml", now=NOW).data

    assert "To: Marcus Lee <zoë@example.org>\r\n".encode() in data


def test_a_newline_in_the_subject_cannot_inject_a_header():
    ask = make_ask("summit-venue.yaml")
    draft = make_draft(Channel.email, subject="Hello\r\nBcc: attacker@evil.example")
    message = parse_eml(export(draft, ask, "eml", now=NOW).data)

    assert message["Subject"] == "Hello Bcc: attacker@evil.example"
    assert "Bcc" not in message


def test_message_id_is_fixed_per_revision():
    ask = make_ask("summit-venue.yaml")
    later = NOW + timedelta(days=3)

    first = parse_eml(export(make_draft(Channel.email), ask, "eml", now=NOW).data)
    retry = parse_eml(export(make_draft(Channel.email), ask, "eml", now=later).data)
    revised = parse_eml(export(make_draft(Channel.email, version=3), ask, "eml", now=NOW).data)

    assert first["Message-ID"] == retry["Message-ID"] == message_id(make_draft(Channel.email), ask)
    assert revised["Message-ID"] != first["Message-ID"]


# --- the DRAFT mark -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "marked"),
    [("draft", True), ("rejected", True), ("approved", False), ("sent", False)],
)
def test_only_approved_emails_export_unmarked(status, marked):
    ask = make_ask("summit-venue.yaml")
    exported = export(make_draft(Channel.email, status=status), ask, "eml", now=NOW)
    message = parse_eml(exported.data)

    assert message["Subject"].startswith("[DRAFT] ") is marked
    assert message.get("X-Pitchgen-Status") == (status if marked else None)
    assert exported.filename.endswith("-draft.eml") is marked


def test_a_marked_email_is_a_different_message_from_the_approved_one():
    ask = make_ask("summit-venue.yaml")
    draft = make_draft(Channel.email, status="draft")

    assert message_id(draft, ask) != message_id(make_draft(Channel.email), ask)


@pytest.mark.parametrize(
    ("fmt", "render", "first_line"),
    [
        ("txt", to_text, "DRAFT — not approved for sending (status: draft)"),
        ("md", to_markdown, "**DRAFT — not approved for sending (status: draft)**"),
    ],
)
@pytest.mark.parametrize("channel", list(Channel))
def test_text_exports_of_an_unapproved_draft_open_with_the_mark(fmt, render, first_line, channel):
    ask = make_ask("sponsorship-negotiable.yaml")
    draft = make_draft(channel, status="draft")
    text = export(draft, ask, fmt, now=NOW).data.decode("utf-8")

    expected = render(draft.content)
    assert text.splitlines()[0] == first_line
    assert text == f"{first_line}\n\n{expected.rstrip()}\n"


@pytest.mark.parametrize(
    ("fmt", "render", "media_type"),
    [
        ("txt", to_text, "text/plain; charset=utf-8"),
        ("md", to_markdown, "text/markdown; charset=utf-8"),
    ],
)
def test_approved_text_exports_are_the_rendering_alone(fmt, render, media_type):
    ask = make_ask("summit-venue.yaml")
    exported = export(make_draft(Channel.call_script), ask, fmt, now=NOW)

    expected = render(CONTENT_MODELS[Channel.call_script].model_validate(CALL))
    assert exported.media_type == media_type
    assert exported.filename == f"main-street-business-alliance-call-script.{fmt}"
    assert exported.data.decode("utf-8") == expected.rstrip() + "\n"


# --- .ics -----------------------------------------------------------------------------------


def test_each_proposed_time_becomes_an_event_that_parses_back():
    ask = make_ask("sponsorship-negotiable.yaml")
    exported = export(make_draft(Channel.meeting_agenda), ask, "ics", now=NOW)
    found = events(exported.data)
    est = timezone(timedelta(hours=-5))
    starts = [datetime(2027, 2, 10, 10, tzinfo=est), datetime(2027, 2, 11, 14, tzinfo=est)]

    assert exported.media_type == "text/calendar; charset=utf-8"
    assert exported.filename == "granite-state-taxpayers-meeting-agenda.ics"
    assert [e.decoded("dtstart") for e in found] == starts
    assert [e.decoded("dtend") - e.decoded("dtstart") for e in found] == [timedelta(minutes=45)] * 2
    assert [str(e["summary"]) for e in found] == ["Fellowship reception sponsorship"] * 2
    assert [str(e["status"]) for e in found] == ["TENTATIVE"] * 2
    assert [str(e["location"]) for e in found] == ["Granite State Taxpayers office, Concord"] * 2
    assert len({str(e["uid"]) for e in found}) == 2


def test_the_event_describes_the_agenda_and_invites_the_partner():
    ask = make_ask("sponsorship-negotiable.yaml", partner={"email": "priya@granitetaxpayers.org"})
    (first, _) = events(export(make_draft(Channel.meeting_agenda), ask, "ics", now=NOW).data)
    agenda = to_text(CONTENT_MODELS[Channel.meeting_agenda].model_validate(AGENDA))

    assert str(first["description"]).endswith(f"\n\n{agenda.rstrip()}")
    assert str(first["organizer"]) == "mailto:daniel@youngleaders.net"
    assert first["organizer"].params["CN"] == "Daniel Okafor"
    assert str(first["attendee"]) == "mailto:priya@granitetaxpayers.org"
    assert first["attendee"].params["CN"] == "Priya Raman"
    assert first.decoded("dtstamp") == NOW


def test_one_proposed_time_on_an_approved_draft_is_confirmed():
    ask = make_ask(
        "sponsorship-negotiable.yaml", meeting={"proposed_times": ["2027-02-10T10:00:00+01:00"]}
    )
    (event,) = events(export(make_draft(Channel.meeting_agenda), ask, "ics", now=NOW).data)

    assert str(event["status"]) == "CONFIRMED"
    assert event.decoded("dtstart") == datetime(2027, 2, 10, 9, tzinfo=UTC)


def test_without_proposed_times_one_tentative_all_day_event_sits_on_the_first_milestone():
    ask = make_ask("summit-venue.yaml")
    (event,) = events(export(make_draft(Channel.meeting_agenda), ask, "ics", now=NOW).data)

    assert event.decoded("dtstart") == date(2027, 1, 15)
    assert event.decoded("dtend") == date(2027, 1, 16)
    assert str(event["status"]) == "TENTATIVE"
    assert str(event["description"]).startswith("No meeting time has been proposed yet")
    assert "January 15, 2027" in str(event["description"])


def test_without_addresses_there_is_no_organizer_or_attendee():
    ask = make_ask("expertise-no-budget.json")
    (event,) = events(export(make_draft(Channel.meeting_agenda), ask, "ics", now=NOW).data)

    assert "organizer" not in event
    assert "attendee" not in event
    assert "location" not in event


def test_an_unapproved_agenda_is_a_tentative_draft_event():
    ask = make_ask(
        "sponsorship-negotiable.yaml", meeting={"proposed_times": ["2027-02-10T10:00:00-05:00"]}
    )
    exported = export(make_draft(Channel.meeting_agenda, status="draft"), ask, "ics", now=NOW)
    (event,) = events(exported.data)

    assert str(event["summary"]) == "[DRAFT] Fellowship reception sponsorship"
    assert str(event["status"]) == "TENTATIVE"
    assert exported.filename == "granite-state-taxpayers-meeting-agenda-draft.ics"


def test_a_revision_keeps_the_uid_and_raises_the_sequence():
    ask = make_ask("sponsorship-negotiable.yaml")
    old = events(export(make_draft(Channel.meeting_agenda, version=1), ask, "ics", now=NOW).data)
    new = events(export(make_draft(Channel.meeting_agenda, version=2), ask, "ics", now=NOW).data)

    assert [str(e["uid"]) for e in old] == [str(e["uid"]) for e in new]
    assert [e.decoded("sequence") for e in new] == [1, 1]
    assert [e.decoded("sequence") for e in old] == [0, 0]


def test_an_agenda_without_a_positive_duration_cannot_become_an_event():
    ask = make_ask("sponsorship-negotiable.yaml")
    with pytest.raises(InvalidInput) as caught:
        export(make_draft(Channel.meeting_agenda, duration_minutes=0), ask, "ics", now=NOW)
    assert [p.path for p in caught.value.problems] == ["content.duration_minutes"]


# --- formats and filenames ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "fmt"),
    [
        (Channel.call_script, "eml"),
        (Channel.meeting_agenda, "eml"),
        (Channel.email, "ics"),
        (Channel.call_script, "ics"),
        (Channel.email, "pdf"),
    ],
)
def test_a_format_the_channel_does_not_have_is_refused(channel, fmt):
    ask = make_ask("summit-venue.yaml")
    with pytest.raises(InvalidInput) as caught:
        export(make_draft(channel), ask, fmt, now=NOW)
    assert [p.path for p in caught.value.problems] == ["format"]


def test_content_that_does_not_fit_the_channel_never_becomes_a_draft_to_export():
    # Content is validated where it enters, as its own channel's model: an email without a
    # body, or a call script's fields under an email, is refused before any export sees it.
    fields = make_draft(Channel.email).model_dump() | {"content": {"subject": "Hi"}}
    with pytest.raises(ValidationError) as caught:
        Draft.model_validate(fields)
    assert [e["loc"] for e in caught.value.errors()] == [("body",)]
    fields["content"] = CONTENT[Channel.call_script]
    with pytest.raises(ValidationError):
        Draft.model_validate(fields)


@pytest.mark.parametrize(
    ("organization", "filename"),
    [
        ("Main Street Business Alliance", "main-street-business-alliance-email.txt"),
        ("Café Zoë & Co.", "cafe-zoe-co-email.txt"),
        ("東京都庁", "partner-email.txt"),
        ("../../etc/passwd", "etc-passwd-email.txt"),
        ('CON<>:"|?*', "con-email.txt"),
        ("A" * 200, "a" * 60 + "-email.txt"),
    ],
)
def test_filenames_are_safe_for_any_partner_name(organization, filename):
    ask = make_ask("summit-venue.yaml", partner={"organization": organization})
    assert export(make_draft(Channel.email), ask, "txt", now=NOW).filename == filename
