"""Clock times in free text: "7:30", "13:00", "10:00 a.m.", "1 pm", "noon", "8 to 11 am"; and
the offsets that look like one ("UTC-05:00"), which the number scan skips too."""

from __future__ import annotations

import re
from typing import NamedTuple

from pitchgen import patterns
from pitchgen.checks.textindex import TextIndex, matches_at

__all__ = ["Clock", "is_offset", "times"]


class Clock(NamedTuple):
    """A time of day in minutes after midnight; `exact` is False for "7:30" written without
    am or pm, which may be the evening."""

    minutes: int
    exact: bool


_HALF = r"\s?(?P<half>[AaPp])\.?\s?[Mm]\b\.?"
_CLOCK = patterns.compile(
    rf"(?P<h>\d(?<![\w:.,$].)\d?)"
    rf"(?::(?P<m>[0-5]\d)(?!\d)(?:{_HALF})?|{_HALF.replace('half', 'h2')})"
)
# "UTC-05:00" is an offset, not a time of day.
_OFFSET = patterns.compile(r"(?:(?:UTC|GMT)\s?|T\d\d:\d\d(?::\d\d(?:\.\d+)?)?)[+\-−]\Z")


def is_offset(text: str, at: int) -> bool:
    if not at or text[at - 1] not in "+-−":
        return False
    return bool(_OFFSET.search(text, max(0, at - 16), at))


_HALF = patterns.compile(r"[ap]\.?\s?m\b")


def _hour_start(text: str, end: int) -> int | None:
    """Where the one or two digits of an hour that end at `end` start."""
    start = end
    while start > end - 2 and start and text[start - 1].isdigit():
        start -= 1
    return start if start < end else None


def _colon_starts(text: str) -> list[int]:
    found, at = [], text.find(":")
    while at != -1:
        # Most colons end a label ("Duration:"): no digit before them, no hour.
        if at and text[at - 1].isdigit() and (start := _hour_start(text, at)) is not None:
            found.append(start)
        at = text.find(":", at + 1)
    return found


def _half_starts(index: TextIndex) -> list[int]:
    """Where "1 pm", "8am" or "2 p.m." may start (a time with minutes starts at its colon)."""
    text, low = index.text, index.low
    if "m" not in low:
        return []
    if index.latin1 is None:  # `low` may be longer than the text: scan it as it is
        ends = [m.start() - (m.start() > 0 and low[m.start() - 1] == " ")
                for m in _HALF.finditer(low)]  # fmt: skip
    else:  # am or pm right after a run of digits, or one space after it
        ends = []
        for _, end in index.runs:
            at = end + (low[end : end + 1] == " ")
            if low[at : at + 1] in ("a", "p") and _HALF.match(low, at):
                ends.append(end)
    return [start for end in ends if (start := _hour_start(text, end)) is not None]


_NOON = patterns.compile(r"\b(?:(?P<noon>noon|midday)|(?P<midnight>midnight))\b", re.IGNORECASE)


_RANGE = patterns.compile(
    r"(?P<h>\d(?<![\w:.,$].)\d?)(?::(?P<m>[0-5]\d))?\s?(?:-|–|—|to|until|till)\s?"
    r"(?P<h2>\d\d?)(?::(?P<m2>[0-5]\d))?\s?(?P<half>[AaPp])\.?\s?[Mm]\b\.?"
)


def _joins(text: str, at: int) -> bool:
    """Whether a dash or "to", "until", "till" may come next: at `at`, or after the minutes
    (":30") there, or after a space."""
    if text[at : at + 1] == ":":
        at += 3
    if text[at : at + 1].isspace():
        at += 1
    return text[at : at + 1] in _JOINS


_JOINS = frozenset("-–—tu")


def _ranges(index: TextIndex) -> list[tuple[int, int, Clock]]:
    """ "8 to 11 am", "6–8:30 pm": the first time takes the half of the day of the second,
    unless it is later than it on the clock ("11 to 1 pm" starts at 11 am)."""
    text, found = index.text, []
    # An hour of one or two digits, perhaps its minutes and a space, then a dash, "to",
    # "until" or "till".
    starts = [start for start, end in index.runs if end - start <= 2 and _joins(text, end)]
    for m in matches_at(_RANGE, text, starts):
        h1, h2 = int(m["h"]), int(m["h2"])
        if not (1 <= h1 <= 12 and 1 <= h2 <= 12):
            continue
        pm = m["half"] in "Pp"
        end = (h2 % 12 + (12 if pm else 0)) * 60 + int(m["m2"] or 0)
        start = (h1 % 12 + (12 if pm else 0)) * 60 + int(m["m"] or 0)
        if start > end:
            start -= 12 * 60
        second = m.start("h2")
        found += [(m.start(), m.end("m") if m["m"] else m.end("h"), Clock(start, True)),
                  (second, m.end(), Clock(end, True))]  # fmt: skip
    return found


def times(index: TextIndex) -> list[tuple[int, int, Clock]]:
    """Times of day: "7:30", "13:00", "10:00 a.m.", "1 pm", "noon", "8 to 11 am"."""
    # The clock pattern is tried only where a time can stand (before a colon, before am or
    # pm), not at every digit of a draft's dates.
    text = index.text
    halves = _half_starts(index)
    found = _ranges(index) if halves else []
    done = 0
    for start in sorted(set(_colon_starts(text) + halves)):
        if start < done or not (m := _CLOCK.match(text, start)) or is_offset(text, start):
            continue
        done = m.end()
        hour, minute, half = int(m["h"]), int(m["m"] or 0), m["half"] or m["h2"]
        if half:
            if not 1 <= hour <= 12:
                continue
            hour = hour % 12 + (12 if half in "Pp" else 0)
            found.append((m.start(), m.end(), Clock(hour * 60 + minute, True)))
        elif hour <= 23:
            exact = hour == 0 or hour >= 12
            found.append((m.start(), m.end(), Clock(hour * 60 + minute, exact)))
    low = index.low if "oon" in text or "idday" in text or "idnight" in text else ""
    for m in _NOON.finditer(low):
        found.append((m.start(), m.end(), Clock(12 * 60 if m["noon"] else 0, True)))
    return found
