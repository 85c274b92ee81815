"""A draft as a file to hand on: an email as `.eml` (RFC 5322), a meeting agenda as `.ics`
(iCalendar), and any draft as Markdown or plain text.

An unapproved draft always carries a visible DRAFT mark (subject prefix and header, SUMMARY
prefix and TENTATIVE status, or a first line), so a file that leaves the review page early can
never pass for the approved message.

A person with no address is still named: RFC 6854 lets From and To be an empty group
(`Lucía Fernández:;`), which shows the name and invents no mailbox. Such a file opens in a mail
client as a message to complete; `send.send_email` refuses to send it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from hashlib import sha256
from typing import TYPE_CHECKING, Literal

from email_validator import validate_email
from pydantic import BaseModel

from pitchgen.ask import Ask, Channel
from pitchgen.ask.mailheaders import address_header, header_name_problem
from pitchgen.ask.text import text_problem, without_controls
from pitchgen.content.formats import written_date
from pitchgen.content.models import Draft, Email, MeetingAgenda
from pitchgen.content.render import to_markdown, to_text
from pitchgen.errors import InvalidInput, Problem

if TYPE_CHECKING:
    import icalendar

__all__ = [
    "FORMATS",
    "Exported",
    "Format",
    "default_format",
    "draft_mark",
    "export",
    "mailbox",
    "message_id",
]

Format = Literal["eml", "ics", "md", "txt"]
FORMATS: dict[Channel, tuple[Format, ...]] = {
    Channel.email: ("eml", "md", "txt"),
    Channel.call_script: ("md", "txt"),
    Channel.meeting_agenda: ("ics", "md", "txt"),
}
_MEDIA_TYPES: dict[Format, str] = {
    "eml": "message/rfc822",
    "ics": "text/calendar; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
}
# A Message-ID needs a domain even when the sender has no address; `.invalid` is reserved for
# names that must never resolve (RFC 6761).
_NO_DOMAIN = "pitchgen.invalid"
_SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_SLUG_LIMIT = 60


@dataclass(frozen=True)
class Exported:
    filename: str
    media_type: str
    data: bytes


def export(draft: Draft, ask: Ask, fmt: Format, *, now: datetime | None = None) -> Exported:
    """The draft as a file in `fmt`; `now` (timezone-aware) stamps the email's Date and the
    calendar's DTSTAMP, the current time when None."""
    allowed = FORMATS[draft.channel]
    if fmt not in allowed:
        kind = draft.channel.label
        raise InvalidInput(
            [Problem("format", f"a {kind} draft exports as {', '.join(allowed)}, not {fmt!r}")]
        )
    content = draft.content
    if problems := _unwritable(content):
        raise InvalidInput(problems)
    stamp = now or datetime.now(UTC)
    if fmt == "eml":
        data = _eml(draft, ask, content, stamp)
    elif fmt == "ics":
        data = _ics(draft, ask, content, stamp)
    elif fmt == "md":
        data = _document(draft, to_markdown(content, ask.locale_tag), bold=True)
    else:
        data = _document(draft, to_text(content, ask.locale_tag), bold=False)
    return Exported(_filename(draft, ask, fmt), _MEDIA_TYPES[fmt], data)


def default_format(draft: Draft, ask: Ask) -> Format:
    """eml for an email, ics for an agenda with proposed times, else Markdown."""
    if draft.channel is Channel.email:
        return "eml"
    if draft.channel is Channel.meeting_agenda and ask.meeting and ask.meeting.proposed_times:
        return "ics"
    return "md"


def draft_mark(draft: Draft) -> str | None:
    """The warning an unapproved draft carries on export; None once approved or sent."""
    if draft.status in ("approved", "sent"):
        return None
    return f"DRAFT — not approved for sending (status: {draft.status})"


def message_id(draft: Draft, ask: Ask) -> str:
    """The email's Message-ID: the same for every export and send of one revision, so a retried
    send is recognisable; a DRAFT-marked export is a different message and gets its own."""
    left = draft.id if _SAFE_ID.fullmatch(draft.id) else sha256(draft.id.encode()).hexdigest()[:32]
    marked = ".draft" if draft_mark(draft) else ""
    domain = _split(ask.sender.email)[1] if ask.sender.email else _NO_DOMAIN
    return f"<pitchgen.{left}.v{draft.version}{marked}@{domain}>"


def mailbox(email: str) -> str:
    """The address as it travels in SMTP commands: the domain in its ASCII (IDNA) form."""
    local, domain = _split(email)
    return f"{local}@{domain}"


def _split(email: str) -> tuple[str, str]:
    # email-validator (which validated the ask) gives the IDNA 2008 form; Python's own "idna"
    # codec is IDNA 2003 and would send straße.de to strasse.de, a different domain.
    checked = validate_email(email, check_deliverability=False)
    return checked.local_part, checked.ascii_domain


def _unwritable(content: BaseModel) -> list[Problem]:
    """Text no file may carry: a control character that an older pitchgen let into the store
    (edits and models refuse it where they enter; a stored draft is read back as it was)."""
    problems: list[Problem] = []

    def walk(value: object, path: str) -> None:
        if isinstance(value, str) and (problem := text_problem(value)):
            problems.append(Problem(path, problem))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{path}[{i}]")

    walk(content.model_dump(), "content")
    return problems


def _one_line(text: str) -> str:
    # A header is one line: a newline from an edit or a model must not start a new header, and
    # a control character stored before they were refused must not reach a mail client.
    return " ".join(without_controls(text).split())


def _filename(draft: Draft, ask: Ask, fmt: Format) -> str:
    ascii_name = (
        unicodedata.normalize("NFKD", ask.partner.organization).encode("ascii", "ignore").decode()
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    slug = slug[:_SLUG_LIMIT].rstrip("-") or "partner"
    channel = draft.channel.value.replace("_", "-")
    marked = "-draft" if draft_mark(draft) else ""
    return f"{slug}-{channel}{marked}.{fmt}"


def _document(draft: Draft, rendered: str, *, bold: bool) -> bytes:
    mark = draft_mark(draft)
    if mark:
        rendered = f"**{mark}**\n\n{rendered}" if bold else f"{mark}\n\n{rendered}"
    return (rendered.rstrip("\n") + "\n").encode("utf-8")


# --- .eml ------------------------------------------------------------------------------------


def _set_address(
    message: EmailMessage, field: str, path: str, name: str, email: str | None
) -> None:
    """Write `field` from the email package's address objects, read back to the one mailbox
    meant (see `mailheaders`); an ask stored before names were checked may still hold one
    that cannot be, and is refused here rather than sent to whoever the header would name."""
    local, domain = _split(email) if email else (None, None)
    value = address_header(field, _one_line(name), local, domain, message.policy)
    if value is None or header_name_problem(name):
        problem = header_name_problem(name) or "cannot be written as one email header address"
        raise InvalidInput([Problem(path, problem)])
    message.set_raw(field, value)


def _eml(draft: Draft, ask: Ask, content: BaseModel, now: datetime) -> bytes:
    assert isinstance(content, Email)
    partner = ask.partner
    to_path = "partner.contact_name" if partner.contact_name else "partner.organization"
    # An internationalised local part (zoë@…) cannot be encoded in 7-bit headers; such a
    # message is written in UTF-8 and sent with SMTPUTF8.
    utf8 = any(e and not _split(e)[0].isascii() for e in (ask.sender.email, partner.email))
    chosen = policy.SMTPUTF8 if utf8 else policy.SMTP
    # Raw headers (the checked addresses) are written as they are, never refolded.
    message = EmailMessage(policy=chosen.clone(refold_source="none"))
    mark = draft_mark(draft)
    _set_address(message, "From", "sender.name", ask.sender.name, ask.sender.email)
    _set_address(
        message, "To", to_path, partner.contact_name or partner.organization, partner.email
    )
    message["Subject"] = ("[DRAFT] " if mark else "") + _one_line(content.subject)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(draft, ask)
    if mark:
        message["X-Pitchgen-Status"] = draft.status
    # Quoted-printable keeps the body 7-bit, so any relay carries it, yet readable as a file.
    message.set_content(content.body, charset="utf-8", cte="quoted-printable")
    return message.as_bytes()


# --- .ics ------------------------------------------------------------------------------------


def _ics(draft: Draft, ask: Ask, content: BaseModel, now: datetime) -> bytes:
    assert isinstance(content, MeetingAgenda)
    try:
        return _calendar(draft, ask, content, now)
    except OverflowError:
        # Asks and edits are bounded (safetext); one stored before they were can still be out.
        raise InvalidInput(
            [Problem("meeting.proposed_times", "too far in the future to write as an event")]
        ) from None


def _calendar(draft: Draft, ask: Ask, content: MeetingAgenda, now: datetime) -> bytes:
    import icalendar

    if content.duration_minutes <= 0:
        raise InvalidInput(
            [Problem("content.duration_minutes", "must be positive to make a calendar event")]
        )
    mark = draft_mark(draft)
    agenda = to_text(content, ask.locale_tag).rstrip()
    times = list(ask.meeting.proposed_times) if ask.meeting else []
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//pitchgen//meeting agenda//EN")
    calendar.add("version", "2.0")
    if not times:
        first = ask.timeline[0]
        note = (
            f"No meeting time has been proposed yet: this all-day entry sits on the first"
            f" milestone, {written_date(first.date)} ({first.milestone}). Agree a time and move it."
        )
        event = _event(draft, ask, content, now, uid=f"pitchgen-{draft.id}", status="TENTATIVE")
        event.add("dtstart", first.date)
        event.add("dtend", first.date + timedelta(days=1))
        event.add("description", f"{note}\n\n{agenda}")
        calendar.add_component(event)
    for n, start in enumerate(times, 1):
        # Several proposed times are alternatives, so none of them is confirmed yet.
        confirmed = not mark and len(times) == 1
        event = _event(
            draft,
            ask,
            content,
            now,
            uid=f"pitchgen-{draft.id}-{n}",
            status="CONFIRMED" if confirmed else "TENTATIVE",
        )
        # UTC (…Z) rather than a bare offset: iCalendar has no fixed-offset form, and a TZID
        # without its VTIMEZONE would be read as floating local time.
        event.add("dtstart", start.astimezone(UTC))
        event.add("dtend", (start + timedelta(minutes=content.duration_minutes)).astimezone(UTC))
        option = (
            f"Proposed time {n} of {len(times)}; the others are alternatives.\n\n"
            if len(times) > 1
            else ""
        )
        event.add("description", f"{option}{agenda}")
        calendar.add_component(event)
    return calendar.to_ical()


def _event(
    draft: Draft, ask: Ask, content: MeetingAgenda, now: datetime, *, uid: str, status: str
) -> icalendar.Event:
    import icalendar

    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", now.astimezone(UTC))
    # Each revision bumps SEQUENCE, so re-importing a later export updates the earlier one.
    event.add("sequence", draft.version - 1)
    event.add("summary", ("[DRAFT] " if draft_mark(draft) else "") + _one_line(content.title))
    event.add("status", status)
    if ask.meeting and ask.meeting.location:
        event.add("location", ask.meeting.location)
    if ask.sender.email:
        organizer = icalendar.vCalAddress(f"mailto:{mailbox(ask.sender.email)}")
        organizer.params["CN"] = _one_line(ask.sender.name)
        event.add("organizer", organizer)
    if ask.partner.email:
        attendee = icalendar.vCalAddress(f"mailto:{mailbox(ask.partner.email)}")
        attendee.params["CN"] = _one_line(ask.partner.contact_name or ask.partner.organization)
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        attendee.params["PARTSTAT"] = "NEEDS-ACTION"
        attendee.params["RSVP"] = "TRUE"
        event.add("attendee", attendee)
    return event
