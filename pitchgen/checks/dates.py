"""Dates in free text: "2027-03-04", "3/4/2027", "March 4th, 2027", "4 March", and the end of
a range of days ("October 11–17"), each found where it can start (`checks.textindex`)."""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from pitchgen import patterns
from pitchgen.checks.textindex import Found, TextIndex, matches_at, regex_facts

__all__ = ["MONTHS", "MonthDay", "date_facts", "range_days"]


class MonthDay(NamedTuple):
    """A date written without its year ("March 4th"): it matches that day in any year."""

    month: int
    day: int


MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
          "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
          "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
          "sept": 9, "oct": 10, "nov": 11, "dec": 12}  # fmt: skip

_MONTH_NAME = "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True))
_MONTH = rf"(?P<month>{_MONTH_NAME})\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?:,?\s+(?P<year>\d{4})(?!\d))?"
_DATES = (
    patterns.compile(r"(?P<year>\d(?<![\d-].)\d{3})-(?P<mon>\d{2})-(?P<day>\d{2})(?!\d)"),
    patterns.compile(r"(?P<mon>\d(?<![\d/].)\d?)/(?P<day>\d{1,2})/(?P<year>\d{4})(?![\d/])"),
    patterns.compile(rf"{_MONTH}\s+{_DAY}{_YEAR}"),
    patterns.compile(rf"(?P<day>\d(?<!\w.)\d?)(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH}{_YEAR}"),
)
# A range of days in one month, "October 11–17" ("11–17 October" in British order): the end
# not beside the month is a date of that month (the group `day` is the fact), unless it is a
# clock time ("October 11, 9–11:30"); a colon that ends a label ("October 11–17: the week") is
# no time.
_RANGE = r"(?:st|nd|rd|th)?\s?[–-]\s?"
_DAY_RANGES = (
    patterns.compile(rf"{_MONTH}\s+[0-3]?\d{_RANGE}(?P<day>[0-3]?\d)(?!\d|:\d){_YEAR}"),
    patterns.compile(rf"(?P<day>\d(?<!\w.)\d?){_RANGE}[0-3]?\d(?:st|nd|rd|th)?\s+{_MONTH}{_YEAR}"),
)
# Where each pattern can start: not at all in a text without "-12-31" or "/31/2027" (ISO and
# US dates); "March 4" at a month's name before one.
_ISO_HINT = patterns.compile(r"-\d\d-\d\d").search
_US_HINT = patterns.compile(r"/\d\d?/\d{4}").search
# Every month's name begins with one of twelve three-letter openings; no two of them can
# overlap (each is a capital and two small letters), so one scan finds what twelve plain
# searches would. A pattern of literals that all start with a capital is skipped to by its
# first character's set, not tried at every character.
_MONTH_OPENING = patterns.compile("|".join(sorted({m[:3].capitalize() for m in MONTHS})))
_ORDINALS = ("st", "nd", "rd", "th")


def _month_starts(index: TextIndex) -> list[int]:
    """Where a month's name starts ("March 4", "Sept. 4")."""
    return [m.start() for m in _MONTH_OPENING.finditer(index.text)]


def _day_starts(index: TextIndex) -> list[int]:
    """ "4 March", "4th of March": one or two digits, perhaps st, nd, rd or th, perhaps "of",
    then spacing and a month's name. Read backwards from each month's name (a few a draft),
    not forwards from every run of digits."""
    text, found = index.text, []
    for month in index.once(_month_starts):
        if not (month and text[month - 1].isspace()):
            continue
        at = _spacing_before(text, month - 1)
        if text[max(0, at - 2) : at] == "of" and at >= 3 and text[at - 3].isspace():
            at = _spacing_before(text, at - 2)
        if text[max(0, at - 2) : at] in _ORDINALS:
            at -= 2
        # One or two digits end there (`\d` is a decimal digit: str.isdecimal), no more.
        if not (at and text[at - 1].isdecimal()):
            continue
        start = at - 2 if at >= 2 and text[at - 2].isdecimal() else at - 1
        if not (start and text[start - 1].isdecimal()):
            found.append(start)
    return found


def _spacing_before(text: str, at: int) -> int:
    """Where the spacing that ends at `at` starts."""
    while at and text[at - 1].isspace():
        at -= 1
    return at


def _dash_starts(index: TextIndex) -> list[int]:
    """ "11–17 October": one or two digits, perhaps st, nd, rd or th and a space, then a dash
    (so within four characters of the run's end)."""
    text = index.text
    return [
        start
        for start, end in index.runs
        if end - start <= 2 and ("-" in (after := text[end : end + 4]) or "–" in after)
    ]


_DATE_STARTS = (
    lambda ix: ix.starts if _ISO_HINT(ix.text) else [],
    lambda ix: ix.starts if _US_HINT(ix.text) else [],
    lambda ix: ix.once(_month_starts),  # read again by the ranges
    _day_starts,
)


def _date(match: re.Match) -> date | MonthDay | None:
    groups = match.groupdict()
    month = int(groups["mon"]) if groups.get("mon") else MONTHS[groups["month"].lower()]
    day = int(groups["day"])
    try:
        if groups.get("year"):
            return date(int(groups["year"]), month, day)
        date(2000, month, day)  # a leap year, so February 29 stands
    except ValueError:
        return None
    return MonthDay(month, day)


def date_facts(index: TextIndex) -> list[Found]:
    return regex_facts(_DATES, _date, index, _DATE_STARTS)


def range_days(index: TextIndex) -> list[Found]:
    found = []
    starts = (index.once(_month_starts), _dash_starts(index))
    for pattern, where in zip(_DAY_RANGES, starts, strict=True):
        for match in matches_at(pattern, index.text, where):
            # The later end takes the year after it: "October 11–17, 2027".
            end = match.end() if match.start("day") > match.start() else match.end("day")
            if (value := _date(match)) is not None:
                found.append((match.start("day"), end, value))
    return found
