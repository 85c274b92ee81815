"""The types of the ask's fields and their checks: bounded names and texts (no control
characters; "" from a form is absent), a name fit for an email header, an email address, an
IANA time zone, a BCP 47 locale tag, a time with its UTC offset, and the ISO 4217 currencies.
`pitchgen.ask.model` builds the ask from them; the partner directory reuses the names and texts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo

from pitchgen.ask.addresses import email_address
from pitchgen.ask.text import is_stored, text_problem

__all__ = [
    "DEFAULT_LOCALE",
    "ISO_4217",
    "LIST_LIMIT",
    "NAME_LIMIT",
    "TEXT_LIMIT",
    "Email",
    "HeaderName",
    "LocaleTag",
    "Name",
    "OptEmail",
    "OptHeaderName",
    "OptName",
    "OptText",
    "OptZone",
    "Text",
    "blank_to_none",
    "no_duplicates",
    "with_offset",
]

NAME_LIMIT = 200
TEXT_LIMIT = 1000
LIST_LIMIT = 10


def blank_to_none(value: Any) -> Any:
    # Forms and spreadsheets send "" for a field left empty; an optional field treats it as absent.
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _no_control_characters(value: str) -> str:
    # Terminal escapes and bidi overrides could hide words from a reviewer (see safetext).
    if problem := text_problem(value):
        raise ValueError(problem)
    return value


Name = Annotated[
    str, Field(min_length=1, max_length=NAME_LIMIT), AfterValidator(_no_control_characters)
]
Text = Annotated[
    str, Field(min_length=1, max_length=TEXT_LIMIT), AfterValidator(_no_control_characters)
]
OptName = Annotated[Name | None, BeforeValidator(blank_to_none)]


def _header_name(value: str, info: ValidationInfo) -> str:
    # Imported on use, like the email validator: most commands never build a header.
    from pitchgen.ask.mailheaders import header_name_problem

    if not is_stored(info) and (problem := header_name_problem(value)):
        raise ValueError(problem)
    return value


# A name that becomes an email header's display name (From, To) and a calendar's CN.
HeaderName = Annotated[Name, AfterValidator(_header_name)]
OptHeaderName = Annotated[HeaderName | None, BeforeValidator(blank_to_none)]
OptText = Annotated[Text | None, BeforeValidator(blank_to_none)]


def _iana_zone(value: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # imported on use: CLI start-up

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"not an IANA time zone: {value!r} (e.g. America/New_York)") from None
    return value


OptZone = Annotated[
    Annotated[str, Field(max_length=64), AfterValidator(_iana_zone)] | None,
    BeforeValidator(blank_to_none),
]


# Not pydantic's EmailStr: it loads email-validator (and package metadata) for every ask,
# address or not, and CLI start-up pays for it; `email_address` imports it only when needed.
Email = Annotated[str, Field(max_length=NAME_LIMIT), AfterValidator(email_address)]
OptEmail = Annotated[Email | None, BeforeValidator(blank_to_none)]


def no_duplicates(values: list) -> list:
    if len(set(values)) != len(values):
        raise ValueError("lists a value twice")
    return values


def _bcp47(value: str) -> str:
    # Imported on use: Babel's locale data costs start-up time, and most asks have no locale.
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(value, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValueError(f"not a known BCP 47 locale tag: {value!r} (e.g. en-US, en-GB)") from None
    return value


LocaleTag = Annotated[str, Field(max_length=35), AfterValidator(_bcp47)]
DEFAULT_LOCALE = "en-US"


def with_offset(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError(f"needs a UTC offset: '{value.isoformat()}' (add +00:00 or Z)")
    return value


# Currencies in use (ISO 4217, 2024), held as data so an unknown code is named at once.
ISO_4217 = frozenset(
    """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
    BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD
    FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY
    KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP
    MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR
    RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT
    TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR
    ZMW ZWG""".split()  # noqa: SIM905 - a table, easier to read as one
)
