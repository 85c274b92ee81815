"""Where the facts of a text can start, found once per text and read by every fact pattern.

Speed: the regex engine scans a pattern that has no literal first character by testing a
character class at every character of the text, a few hundred machine instructions each for
Unicode classes; a draft of 2,000 characters cost half a million per pattern, a dozen patterns
per draft. Nearly every fact starts at a run of digits, and a draft has a few dozen of them:
each pattern is matched there instead (`matches_at`), which finds exactly what scanning finds,
since the pattern cannot match anywhere else.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import InvalidOperation
from typing import TypeVar

from pitchgen import patterns
from pitchgen.checks.lazy import lazy

__all__ = ["LOWER_LATIN1", "Found", "TextIndex", "lower", "matches_at", "regex_facts"]

T = TypeVar("T")
# A fact found: (start, end, value) or (start, end, kind, value).
Found = tuple[int, int, object]

_DIGIT_RUN = patterns.compile(r"\d+")
_BEYOND_LATIN1 = patterns.compile("[^\x00-\xff]")  # a range: tested at each character cheaply
# Latin-1 text as bytes, one byte a character: digits "0", every other byte a space, so the
# runs are found by a search for a literal (fast) rather than by a class.
_DIGIT_SHAPE = bytes(48 if 48 <= c <= 57 else 32 for c in range(256))
_ZEROS = patterns.compile(rb"00*")
# Each Latin-1 character's lower case, a Latin-1 character too: `str.lower()` of Latin-1 text.
LOWER_LATIN1 = bytes(ord(chr(c).lower()) for c in range(256))


def lower(text: str) -> str:
    """`text` in lower case, character for character, so offsets stay valid in both."""
    try:  # a Latin-1 text by a byte table, in C: str.lower() maps each non-ASCII one in turn
        return text.encode("latin-1").translate(LOWER_LATIN1).decode("latin-1")
    except UnicodeEncodeError:
        pass
    low = text.lower()
    # A few characters lower to two ("İ"); keep offsets aligned with the original text.
    return (
        low
        if len(low) == len(text)
        else "".join(c if len(c.lower()) > 1 else c.lower() for c in text)
    )


# ASCII letters in lower case, every other byte a space: the words a number may be written in.
_LETTER_SHAPE = bytes(c | 32 if chr(c).isascii() and chr(c).isalpha() else 32 for c in range(256))


class TextIndex:
    """A text with the places its facts can start: its runs of digits (what `\\d+` finds),
    its lower-case form, and (for Latin-1 text) its ASCII words."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._found: dict[Callable, object] = {}

    def once(self, find: Callable[[TextIndex], T]) -> T:
        """`find(self)`, worked out once for this text: where several patterns start."""
        if find not in self._found:
            self._found[find] = find(self)
        return self._found[find]  # type: ignore[return-value]

    @lazy
    def latin1(self) -> bytes | None:
        """The text as Latin-1 bytes, offsets kept, or None when it has other characters."""
        try:
            return self.text.encode("latin-1")
        except UnicodeEncodeError:
            return None

    @lazy
    def runs(self) -> list[tuple[int, int]]:
        """(start, end) of each run of decimal digits, in order."""
        data = self.latin1
        if data is None:
            # A few characters beyond Latin-1 ("–" of a range of days, "—"): each read as one
            # "?", offsets kept, unless one of them is a decimal digit ("٣"), which `\d` finds.
            if any(c.isdecimal() for c in _BEYOND_LATIN1.findall(self.text)):
                return [m.span() for m in _DIGIT_RUN.finditer(self.text)]
            data = self.text.encode("latin-1", "replace")
        # Latin-1 has no decimal digits beyond 0-9 (superscripts are not decimal).
        return [m.span() for m in _ZEROS.finditer(data.translate(_DIGIT_SHAPE))]

    @lazy
    def starts(self) -> list[int]:
        return [start for start, _ in self.runs]

    @lazy
    def low(self) -> str:
        """The text in lower case, character for character (`lower`): its offsets are the
        text's, which the finders that search it rely on."""
        data = self.latin1
        return lower(self.text) if data is None else data.translate(LOWER_LATIN1).decode("latin-1")

    @lazy
    def ascii_words(self) -> frozenset[bytes]:
        """The runs of ASCII letters, lower-cased, of the text, each character beyond Latin-1
        read as a space ("—")."""
        data = self.latin1
        if data is None:
            data = self.text.encode("latin-1", "replace")  # "?", a space below
        return frozenset(data.translate(_LETTER_SHAPE).split())


def matches_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    """`pattern.finditer(text)`, for a pattern that can only start at one of `starts`
    (ascending): each is tried in turn, and one inside the last match skipped, as a scan does."""
    found, done = [], 0
    for at in starts:
        if at >= done and (m := pattern.match(text, at)):
            found.append(m)
            done = m.end()
    return found


def regex_facts(
    patterns: tuple[re.Pattern[str], ...],
    value_of: Callable[[re.Match[str]], object],
    index: TextIndex,
    starts: tuple[Callable[[TextIndex], list[int]], ...],
) -> list[Found]:
    """Matches of `patterns` with a value, each pattern tried where it can start."""
    found = []
    for pattern, where in zip(patterns, starts, strict=True):
        for match in matches_at(pattern, index.text, where(index)):
            try:
                value = value_of(match)
            except (InvalidOperation, KeyError):
                continue
            if value is not None:
                found.append((*match.span(), value))
    return found
