"""The ask: pitchgen's input contract (shared/spec/ask.md), loaded from YAML or JSON.

Every problem is reported at once by its path; nothing is truncated silently. The types of
its fields and their checks (limits, names, texts, addresses, zones, locales, currencies) are
in `pitchgen.ask.fieldtypes`; the names other modules import from here are importable still.
"""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)
from pydantic.functional_validators import model_validator

from pitchgen.ask.fieldtypes import (
    DEFAULT_LOCALE,
    ISO_4217,
    LIST_LIMIT,
    NAME_LIMIT,
    TEXT_LIMIT,
    HeaderName,
    LocaleTag,
    Name,
    OptEmail,
    OptHeaderName,
    OptName,
    OptText,
    OptZone,
    Text,
    blank_to_none,
    no_duplicates,
    with_offset,
)
from pitchgen.ask.reading import read_document
from pitchgen.ask.text import BoundedDate, BoundedDateTime
from pitchgen.errors import InvalidInput, Problem, problems_from

__all__ = [
    "ISO_4217",
    "LIST_LIMIT",
    "NAME_LIMIT",
    "TEXT_LIMIT",
    "Ask",
    "Channel",
    "Name",
    "OptEmail",
    "OptHeaderName",
    "OptName",
    "OptText",
    "load_ask",
    "parse_ask",
    "vagueness_warnings",
    "validate_ask",
]


class Channel(StrEnum):
    email = "email"
    call_script = "call_script"
    meeting_agenda = "meeting_agenda"

    @property
    def label(self) -> str:
        """The channel in words, as messages and pages name it: "call script"."""
        return self.value.replace("_", " ")


class NeedType(StrEnum):
    expertise = "expertise"
    workspace = "workspace"
    connections = "connections"
    sponsorship = "sponsorship"
    funding = "funding"
    volunteers = "volunteers"
    other = "other"


class BenefitType(StrEnum):
    co_sponsorship = "co_sponsorship"
    name_recognition = "name_recognition"
    email_list = "email_list"
    event_sponsorship = "event_sponsorship"
    speaking_slot = "speaking_slot"
    reciprocal_support = "reciprocal_support"
    media_exposure = "media_exposure"
    payment = "payment"
    other = "other"


class Tone(StrEnum):
    formal = "formal"
    warm = "warm"
    concise = "concise"


class _Strict(BaseModel):
    # Validators are built on first use (defer_build), not at import: the parts of an ask are
    # validated inside Ask, so most never need their own, and a command that reads no ask
    # builds none.
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, frozen=True, defer_build=True
    )


class Sender(_Strict):
    organization: Name
    name: HeaderName
    role: OptName = None
    email: OptEmail = None
    phone: OptName = None
    time_zone: OptZone = None  # IANA name ("America/New_York"): proposed times also in ours


class Partner(_Strict):
    organization: Name  # the To name when no contact is named: see validate_ask
    contact_name: OptHeaderName = None
    contact_role: OptName = None
    greet_as: OptName = None  # how a greeting addresses the contact: "Marcus", "Dr. Weiss"
    short_name: OptName = None  # how drafts may name them after the first full mention
    email: OptEmail = None
    focus: OptText = None
    relationship: OptText = None


class Project(_Strict):
    name: Name
    summary: Text


class Need(_Strict):
    type: NeedType
    description: Text
    deliverables: Annotated[list[Text], Field(max_length=LIST_LIMIT)] = []


class Benefit(_Strict):
    type: BenefitType
    description: Text


class Milestone(_Strict):
    date: BoundedDate
    milestone: Text


class Budget(_Strict):
    amount: Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=2)]
    currency: str = "USD"
    covers: OptText = None
    partner_contribution: Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=2)] = (
        Decimal(0)
    )
    negotiable: bool = False

    @field_validator("currency")
    @classmethod
    def _iso_4217(cls, value: str) -> str:
        code = value.strip().upper()
        if code not in ISO_4217:
            raise ValueError(f"not an ISO 4217 currency code: {value!r}")
        return code


class Meeting(_Strict):
    duration_minutes: Annotated[int, Field(ge=15, le=180)] = 30
    location: OptText = None
    time_zone: OptZone = None  # IANA name: proposed times are written on this clock
    proposed_times: Annotated[
        list[Annotated[BoundedDateTime, AfterValidator(with_offset)]],
        Field(max_length=LIST_LIMIT),
    ] = []


class Ask(_Strict):
    sender: Sender
    partner: Partner
    project: Project
    need: Need
    benefits: Annotated[list[Benefit], Field(min_length=1, max_length=LIST_LIMIT)]
    timeline: Annotated[list[Milestone], Field(min_length=1, max_length=LIST_LIMIT)]
    respond_by: BoundedDate | None = None
    budget: Budget | None = None
    meeting: Meeting | None = None
    tone: Tone = Tone.warm
    # None is en-US: an ask that names no locale serializes as it did before the field existed.
    locale: Annotated[LocaleTag | None, BeforeValidator(blank_to_none)] = None
    channels: Annotated[list[Channel], Field(min_length=1), AfterValidator(no_duplicates)] = list(
        Channel
    )

    @model_validator(mode="after")
    def _timeline_in_order(self) -> Ask:
        # Milestones are read as a plan; keep them in date order so every draft tells it forward.
        ordered = sorted(self.timeline, key=lambda m: m.date)
        if ordered != self.timeline:
            object.__setattr__(self, "timeline", ordered)
        return self

    @property
    def last_milestone(self) -> Milestone:
        return self.timeline[-1]

    @property
    def locale_tag(self) -> str:
        """The BCP 47 tag for written dates, times and money: `locale`, else en-US."""
        return self.locale or DEFAULT_LOCALE

    @property
    def reply_date(self) -> date:
        """The date we need an answer by: `respond_by`, else the first milestone."""
        return self.respond_by or self.timeline[0].date


# --- loading -------------------------------------------------------------------------------


def parse_ask(raw: bytes | str, fmt: str | None = None) -> Ask:
    """Parse and validate an ask from text; `fmt` is 'json' or 'yaml' (sniffed when None)."""
    return validate_ask(read_document(raw, fmt))


def load_ask(source: str | Path) -> Ask:
    """Load an ask from a file path ('-' reads stdin); the extension picks the format."""
    if str(source) == "-":
        return parse_ask(sys.stdin.buffer.read())
    path = Path(source)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput([Problem("", f"cannot read {path}: {exc.strerror}")]) from None
    suffix = path.suffix.lower()
    fmt = "json" if suffix == ".json" else "yaml" if suffix in (".yaml", ".yml") else None
    return parse_ask(raw, fmt)


def validate_ask(data: Any) -> Ask:
    """Validate already-decoded data (the API's JSON body) into an Ask."""
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise InvalidInput([Problem("", f"an ask must be a mapping of fields, not {kind}")])
    try:
        ask = Ask.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(problems_from(exc)) from None
    if ask.partner.contact_name is None:
        # Only then is the organization the To header's name (see HeaderName).
        from pitchgen.ask.mailheaders import header_name_problem

        if problem := header_name_problem(ask.partner.organization):
            raise InvalidInput([Problem("partner.organization", problem)])
    return ask


# --- step 2 of the seed: "know your ask" -----------------------------------------------------


def _first_event(ask: Ask) -> str:
    from pitchgen.ask.timeline import partner_milestones

    events = partner_milestones(ask) or ask.timeline
    return events[0].date.isoformat()


def vagueness_warnings(ask: Ask) -> list[Problem]:
    """Warnings for an ask that is valid but not yet concrete (seed step 2: "know your ask")."""
    from pitchgen.ask.vagueness import what_it_lacks

    need = ask.need
    warnings: list[Problem] = []
    if lacks := what_it_lacks(need.description):
        warnings.append(
            Problem(
                "need.description",
                f"vague: names no {', no '.join(x.split(' ', 1)[1] for x in lacks)}. Say exactly"
                " what they would do or provide, how much, by when and where, so they know what"
                " they are agreeing to.",
            )
        )
    if not ask.partner.contact_name:
        warnings.append(
            Problem("partner.contact_name", "no contact named: drafts greet the organization")
        )
    if not ask.partner.focus:
        warnings.append(
            Problem(
                "partner.focus",
                "their focus is not given: the benefit cannot be framed for what they care about",
            )
        )
    if ask.respond_by is not None and _first_event(ask) <= ask.respond_by.isoformat():
        warnings.append(
            Problem(
                "respond_by",
                f"on or after {_first_event(ask)}, a milestone the partner takes part in: drafts"
                " ask for an answer before that day instead",
            )
        )
    if ask.respond_by is None:
        warnings.append(
            Problem(
                "respond_by",
                "no reply date: drafts ask for an answer before the first milestone the partner"
                f" takes part in ({_first_event(ask)}); set one so they know when you need it",
            )
        )
    return warnings + _suspicious_warnings(ask)


def _suspicious_warnings(ask: Ask) -> list[Problem]:
    from pitchgen.ask.suspicious import suspicious_fields

    return [
        Problem(path, f"looks like {looks}: it is kept as data, and drafts write around it")
        for path, looks in suspicious_fields(ask).items()
    ]
