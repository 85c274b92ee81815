"""How pitchgen writes the ask's figures in prose: one form per draft, set by the ask's `locale`
(a BCP 47 tag, default en-US) from CLDR data through Babel, so the templates, the prompts, the
exports and the checks' details all write "March 4, 2027" and "$2,500" for a US ask and
"4 March 2027" and "£4,500" for a British one.

The prose itself is English, so a locale's forms are taken from CLDR's English for that region
(en-ES for es-ES: English month names in the Spanish order), falling back to the language's own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from functools import cache, lru_cache

from pitchgen import patterns

__all__ = [
    "DEFAULT_LOCALE",
    "clock",
    "date_span",
    "full_date",
    "gist",
    "in_zone",
    "money",
    "spoken_clock",
    "timestamp",
    "written_date",
    "written_time",
    "years_shown",
    "zone_label",
    "zone_name",
]

DEFAULT_LOCALE = "en-US"
# An email names a long ask text by its gist: its first sentence, cut to this many words.
GIST_WORDS = 30


@lru_cache(maxsize=64)
def _locale(tag: str | None):
    """The CLDR locale whose forms an English draft for `tag` uses, its data loaded (from the
    cache of `localecache` when it is there)."""
    return _loaded(str(_parsed(tag)))


@cache
def _loaded(identifier: str):
    # One per locale, whichever tags lead to it ("en-US", "en_US", none).
    from babel import Locale

    from pitchgen.content.localecache import loaded

    return loaded(Locale.parse(identifier))


def _parsed(tag: str | None):
    from babel import Locale, UnknownLocaleError  # imported on use: CLI start-up

    tag = (tag or DEFAULT_LOCALE).replace("-", "_")
    try:
        wanted = Locale.parse(tag)
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en_US")
    if wanted.language == "en":
        return wanted
    for candidate in (f"en_{wanted.territory}" if wanted.territory else None, "en_150"):
        if candidate is None:
            continue
        try:
            return Locale.parse(candidate)
        except (ValueError, UnknownLocaleError):
            continue
    return Locale.parse("en_US")


def written_date(day: dt.date, locale: str | None = None, year: bool = True) -> str:
    """`March 4, 2027` (en-US), `4 March 2027` (en-GB, es-ES); `March 4` without the year."""
    return _date(day, locale, year)


@lru_cache(maxsize=1024)
def _date(day: dt.date, locale: str | None, year: bool = True) -> str:
    return _formatted(day, "long", locale, year)


def date_span(start: dt.date, end: dt.date, locale: str | None = None, year: bool = True) -> str:
    """The days something runs, as the locale writes an interval (CLDR): `October 11–17`
    (en-US), `11–17 October` (en-GB). With the year (CLDR has no interval of long dates with
    one), the two dates written in full."""
    if year:
        return f"{written_date(start, locale)}–{written_date(end, locale)}"
    return _span(start, end, locale)


@lru_cache(maxsize=256)
def _span(start: dt.date, end: dt.date, locale: str | None) -> str:
    from babel.dates import format_interval

    # CLDR sets the dash between thin spaces; in a plain-text email and a subject line the
    # closed dash reads as one range ("October 11–17") and counts as one word.
    span = format_interval(start, end, "MMMMd", locale=_locale(locale))
    return span.replace("\u2009–\u2009", "–")


# The year in a CLDR date pattern, with the separator before it: "MMMM d, y" is "MMMM d".
_YEAR = patterns.compile(r"[,\s]*\by+\b")


def _formatted(day: dt.date, width: str, locale: str | None, year: bool) -> str:
    from babel.dates import format_date

    where = _locale(locale)
    if year:
        return format_date(day, width, locale=where)
    pattern = _YEAR.sub("", where.date_formats[width].pattern).strip(" ,")
    return format_date(day, pattern, locale=where)


def years_shown(days: Iterable[dt.date]) -> bool:
    """Whether drafts write the year: only where the dates they give fall in more than one
    year. Dates of one year read as the coming ones ("March 4", "Tuesday, July 20"); the
    year is the reader's own or the next, and writing it on every date only adds words."""
    return len({day.year for day in days}) > 1


def written_time(moment: dt.datetime, locale: str | None = None) -> str:
    """`February 10, 2027 at 10:00 AM (UTC-05:00)`: the offset as given, never converted."""
    return f"{written_date(moment.date(), locale)} at {clock(moment, locale)} ({_offset(moment)})"


def clock(moment: dt.datetime, locale: str | None = None) -> str:
    """`10:00 AM` (en-US), `10:00` (en-GB): the time on `moment`'s own clock."""
    # Keyed on the wall-clock time: aware datetimes of one instant are equal in any zone.
    return _clock(moment.time().replace(tzinfo=None), locale)


@lru_cache(maxsize=1024)
def _clock(wall: dt.time, locale: str | None) -> str:
    from babel.dates import format_time

    return format_time(wall, "short", locale=_locale(locale)).replace("\u202f", " ")


def _offset(moment: dt.datetime) -> str:
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    if not minutes:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


@cache
def _zone(name: str):
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def in_zone(moment: dt.datetime, zone: str | None) -> dt.datetime:
    """`moment` on the clock of the IANA `zone`, or as given when there is none."""
    tz = _zone(zone) if zone else None
    return moment.astimezone(tz) if tz else moment


def zone_name(moment: dt.datetime, zone: str | None, locale: str | None = None) -> str:
    """A zone a reader knows: `Eastern Time` for America/New_York, else the offset (`UTC-05:00`)."""
    tz = _zone(zone) if zone else None
    return _offset(moment) if tz is None else _zone_name(zone, locale)


@lru_cache(maxsize=256)
def _zone_name(zone: str, locale: str | None) -> str:
    from babel.dates import get_timezone_name

    return get_timezone_name(_zone(zone), "long", "generic", locale=_locale(locale))


def money(amount: Decimal, currency: str, locale: str | None = None) -> str:
    """`$2,500`, `£4,500`, `€1,234.50`: the locale's symbol where the currency has one
    (`CHF 300` where it has none), cents only when there are any."""
    return _money(Decimal(amount), currency, locale)


# Symbols a reader anywhere knows; a longer local one ("MX$", "JP¥") is written as the code.
_PLAIN_SYMBOLS = frozenset({"US$", "CA$", "A$", "AU$"})


@lru_cache(maxsize=1024)
def _money(amount: Decimal, currency: str, locale: str | None) -> str:
    from babel.numbers import get_currency_symbol

    # A draft is written in English: its figures are English ("€15,000.50", never the
    # "15.000,50 €" of a Spanish or German letter), one form in every draft; the region picks
    # only the symbol ("$" in en-US, "US$" elsewhere).
    symbol = get_currency_symbol(currency, locale=_locale(locale))
    whole = amount == amount.to_integral_value()
    plain = (len(symbol) == 1 and not symbol.isalnum()) or symbol in _PLAIN_SYMBOLS
    figure = _figure(amount, whole)
    return f"{symbol}{figure}" if plain else f"{currency} {figure}"


def _figure(amount: Decimal, whole: bool) -> str:
    from babel.numbers import format_decimal

    # en_US's data as `_locale` keeps it, not a second copy read afresh.
    return format_decimal(amount, "#,##0" if whole else "#,##0.00", locale=_loaded("en_US"))


_SENTENCE_END = patterns.compile(r"(?<=[.!?])\s+(?=[\"'(]?[A-Z0-9])")
# Where a long text may be cut and still read as a whole phrase: before a clause.
_CLAUSE = patterns.compile(
    r",? so that |, which |, where |, while |, with |; |: | — | – |, and |, "
)


def gist(text: str, words: int = GIST_WORDS) -> str:
    """A long ask text as an email can carry it: the text when it fits in `words` words, else
    its first sentence, else the longest run of its opening clauses that fits. It is never cut
    inside a phrase, so it can grow past `words` when its first clause does."""
    if len(text.split()) <= words:
        return text
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(first.split()) <= words:
        return first
    cuts = [m.start() for m in _CLAUSE.finditer(first)]
    fits = [c for c in cuts if 4 <= len(first[:c].split()) <= words]
    if fits:
        return first[: fits[-1]].rstrip(" ,;:")
    shortest = next((c for c in cuts if len(first[:c].split()) >= 4), None)
    return first[:shortest].rstrip(" ,;:") if shortest else first


def full_date(day: dt.date, locale: str | None = None, year: bool = True) -> str:
    """`Wednesday, February 10, 2027` (en-US), `Wednesday, 10 February 2027` (en-GB);
    `Wednesday, February 10` without the year."""
    return _full_date(day, locale, year)


@lru_cache(maxsize=256)
def _full_date(day: dt.date, locale: str | None, year: bool = True) -> str:
    return _formatted(day, "full", locale, year)


def spoken_clock(moment: dt.datetime, locale: str | None = None) -> str:
    """`3:30 PM` (en-US), `3:30 pm` (en-GB): a time as it is said aloud, on the 12-hour
    clock, whatever the written form."""
    return _spoken(moment.time().replace(tzinfo=None), locale)


@lru_cache(maxsize=256)
def _spoken(wall: dt.time, locale: str | None) -> str:
    from babel.dates import format_time

    return format_time(wall, "h:mm a", locale=_locale(locale)).replace("\u202f", " ")


@lru_cache(maxsize=256)
def zone_label(zone: str, locale: str | None = None) -> str:
    """How a reader names a zone: `Pacific Time` in the Americas, else `Madrid time`."""
    from babel.dates import get_timezone_location

    if zone.startswith(("America/", "US/", "Canada/")):
        return _zone_name(zone, locale)
    city = get_timezone_location(_zone(zone), locale=_locale(locale), return_city=True)
    return f"{city} time"


def timestamp(at: dt.datetime | None, *, seconds: bool = False) -> str:
    """When something happened to a draft, as the CLI, the pages and messages show it:
    `2027-02-10 15:04 UTC` (with `:05` seconds when asked); "" for never."""
    if at is None:
        return ""
    form = "%Y-%m-%d %H:%M:%S UTC" if seconds else "%Y-%m-%d %H:%M UTC"
    return at.astimezone(dt.UTC).strftime(form)
