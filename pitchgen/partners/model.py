"""A directory entry: what an import row, a `POST /v1/partners` body or a PATCH gives
(`PartnerFields`), what the store hands back (`DirectoryPartner`) with its history of asks
(`History`, here rather than with the ranker so that reading it never loads numpy), and the
identity rule that makes a re-import update an entry rather than add a second one.

Identity: two entries are the same organization when their names are equal after Unicode NFKC
normalization, case folding and collapsing runs of whitespace ("Café  Liberté" is "café
liberté"). An import row with an `id` column names its entry directly, so a renamed
organization keeps its history.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from pitchgen.ask import NeedType, Partner
from pitchgen.ask.model import Name, OptEmail, OptHeaderName, OptName, OptText
from pitchgen.ask.text import BoundedDate

__all__ = [
    "FIELDS",
    "DirectoryPartner",
    "History",
    "PartnerFields",
    "PartnerPatch",
    "identity",
    "names_sender",
]

TAG_LIMIT = 20
_REGION = re.compile(r"^(US-[A-Z]{2}|US-national|[A-Z]{2})$")


def identity(organization: str) -> str:
    """The key that makes two names the same entry (see the module's docstring)."""
    return " ".join(unicodedata.normalize("NFKC", organization).casefold().split())


@dataclass(frozen=True)
class History:
    """What the store knows of an entry: when asks were made to it (and by whom), and what
    came of them."""

    asked: tuple[tuple[dt.date, str], ...] = ()
    accepted: int = 0
    declined: int = 0

    def last(self) -> dt.date | None:
        return max((day for day, _ in self.asked), default=None)

    def by(self, sender: str) -> int:
        return sum(1 for _, who in self.asked if identity(who) == identity(sender))


def _listed(value: Any) -> Any:
    # A CSV cell holds a list as "a;b;c"; YAML and JSON give a list.
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return value


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _region(value: str) -> str:
    code = value.strip().upper()
    if code == "US-NATIONAL":
        code = "US-national"
    if not _REGION.match(code):
        raise ValueError(
            f"not a region: {value!r} (use US-XX for a state, US-national, or a two-letter"
            " country code such as UK or DE)"
        )
    return code


Tag = Annotated[str, Field(min_length=1, max_length=60)]
Region = Annotated[str | None, BeforeValidator(_blank_to_none)]
OptDate = Annotated[BoundedDate | None, BeforeValidator(_blank_to_none)]


class PartnerFields(BaseModel):
    """One organization in the directory, as the user gives it (the columns of
    `directory.csv`). `can_offer` holds need types (`need.type` of an ask); the first tag names
    the kind of organization ("think tank", "university"), which the ranker uses to find allies
    beyond the usual kind."""

    # Built on first use (defer_build): saving a draft loads this module, and seldom an entry.
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, frozen=True, defer_build=True
    )

    organization: Name
    contact_name: OptHeaderName = None
    contact_role: OptName = None
    email: OptEmail = None
    focus: OptText = None
    can_offer: Annotated[list[NeedType], BeforeValidator(_listed), Field(max_length=7)] = []
    region: Region = None
    relationship: OptText = None
    last_asked: OptDate = None
    tags: Annotated[list[Tag], BeforeValidator(_listed), Field(max_length=TAG_LIMIT)] = []

    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str | None) -> str | None:
        return None if value is None else _region(value)

    @field_validator("can_offer")
    @classmethod
    def _once_each(cls, value: list[NeedType]) -> list[NeedType]:
        return list(dict.fromkeys(value))

    @model_validator(mode="after")
    def _addressable(self) -> PartnerFields:
        # With no contact, the organization is the To header's name: the ask's own rule, so an
        # entry can always be drafted to.
        if self.contact_name is None:
            from pitchgen.ask.mailheaders import header_name_problem

            if problem := header_name_problem(self.organization):
                raise ValueError(f"organization: {problem} (or name a contact)")
        return self

    @property
    def kind(self) -> str | None:
        """The kind of organization: the first tag, case-folded."""
        return self.tags[0].casefold() if self.tags else None

    @property
    def key(self) -> str:
        return identity(self.organization)

    def block(self, sender: str | None = None) -> Partner:
        """The ask's partner block for this entry. A relationship note names the member that
        has the history (a shared coalition directory): it goes into the block only when it
        names `sender`, so a draft never claims another member's history as ours."""
        relationship = self.relationship if sender and names_sender(self, sender) else None
        return Partner(
            organization=self.organization,
            contact_name=self.contact_name,
            contact_role=self.contact_role,
            email=self.email,
            focus=self.focus,
            relationship=relationship,
        )


FIELDS = tuple(PartnerFields.model_fields)


class DirectoryPartner(PartnerFields):
    """An entry as the store keeps it."""

    id: str
    created_at: dt.datetime
    updated_at: dt.datetime


class PartnerPatch(BaseModel):
    """A partial update (`PATCH /v1/partners/{id}`): only the fields given change; an empty
    value clears an optional field."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    organization: str | None = None
    contact_name: str | None = None
    contact_role: str | None = None
    email: str | None = None
    focus: str | None = None
    can_offer: list[str] | str | None = None
    region: str | None = None
    relationship: str | None = None
    last_asked: str | dt.date | None = None
    tags: list[str] | str | None = None


def names_sender(partner: PartnerFields, sender: str) -> bool:
    """Whether the relationship note is history with `sender` (it names the organization)."""
    if not partner.relationship or len(sender.strip()) < 3:
        return False
    return identity(sender) in identity(partner.relationship)
