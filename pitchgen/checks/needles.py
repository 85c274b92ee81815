"""A cheap test before an expensive search: the words one of which every match of a pattern
holds, read off the pattern itself, so a text without any of them is not scanned at all.

Speed: a case-blind pattern led by a word boundary ("\\bcosts? nothing\\b") has no first
character the regex engine can skip to, so it is tried at every character of the text, some
two hundred machine instructions each; a plain substring test of the lower-cased text is a
hundred times cheaper.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property
from re import _constants as C  # the parser's op codes
from re import _parser

from pitchgen import patterns

__all__ = ["Guarded", "needles", "plain_case"]

# Python's case-blind matching relates these (all outside Latin-1) to an ASCII letter beyond
# its two cases: in a text with one, a lower-case substring test proves nothing.
_ODD_CASES = ("İ", "ı", "K", "ſ")


def needles(pattern: re.Pattern[str]) -> list[tuple[str, ...]]:
    """Sets of lower-case strings: every match of `pattern` contains one of each set (at most
    two sets, the rarest in prose; none when the pattern guarantees nothing)."""
    return _options(_parser.parse(pattern.pattern, pattern.flags).data)[:2]


def _sequence(items: list) -> tuple[str, ...] | None:
    options = _options(items)
    return options[0] if options else None


def _options(items: list) -> list[tuple[str, ...]]:
    """Every match of a sequence contains a match of each of its required items: its runs of
    literals, and the needles of each required group; best first."""
    options: list[tuple[str, ...]] = []
    run = ""
    for op, av in items:
        if op is C.LITERAL:
            run += chr(av)
            continue
        if run:
            options.append((run,))
            run = ""
        if op is C.SUBPATTERN:
            found = _sequence(av[3].data)
        elif op is C.ATOMIC_GROUP:
            found = _sequence(av.data)
        elif op is C.BRANCH:
            each = [_sequence(branch.data) for branch in av[1]]
            found = None if any(e is None for e in each) else tuple({n for e in each for n in e})
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1:
            found = _sequence(av[2].data)
        else:
            found = None
        if found:
            options.append(found)
    if run:
        options.append((run,))
    # The set whose shortest needle is longest is the rarest in prose ("no " is short).
    options.sort(key=lambda found: (-min(len(n.strip()) for n in found), len(found)))
    return [tuple(n.lower() for n in found) for found in options]


def plain_case(text: str) -> bool:
    """Whether `text` has none of the four characters in `_ODD_CASES`: at once for a Latin-1
    text (its encoding is a copy), else by a search for each."""
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return not any(c in text for c in _ODD_CASES)
    return True


class Guarded:
    """A pattern searched only in a text that holds one of its needles. Given as its source
    and flags, it is compiled on the first search: a case-blind pattern that most texts only
    test for needles, or that a faster path replaces, costs no process its compiling."""

    def __init__(self, pattern: re.Pattern[str] | str, flags: int = 0) -> None:
        if isinstance(pattern, re.Pattern):
            self.__dict__["pattern"] = pattern
            self.source, self.flags = pattern.pattern, pattern.flags
        else:
            self.source, self.flags = pattern, flags

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return patterns.compile(self.source, self.flags)

    @cached_property
    def needles(self) -> list[tuple[str, ...]]:
        # On first use, from the source: parsing a pattern costs start-up time.
        return _options(_parser.parse(self.source, self.flags).data)[:2]

    def may_match(self, text: str, low: str | None = None) -> bool:
        """False only when the pattern cannot match `text`; `low` is `text.lower()`."""
        if not self.needles or not plain_case(text):
            return True
        low = text.lower() if low is None else low
        has = low.__contains__  # mapped in C, not a generator per set of needles
        return all(any(map(has, found)) for found in self.needles)

    def search(self, text: str, low: str | None = None) -> re.Match[str] | None:
        return self.pattern.search(text) if self.may_match(text, low) else None

    def finditer(self, text: str, low: str | None = None) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text) if self.may_match(text, low) else iter(())


# --- case-blind word patterns, for lower-cased text ------------------------------------------


class CaseBlind(Guarded):
    """A case-blind word pattern (branches that `word_led` can lead), searched where it can be
    as its word-led twin in the lower-cased text: there the engine skips to each branch's
    first letter. That holds where lower case keeps every offset and none of `_ODD_CASES` is
    in the text; elsewhere the pattern itself is searched. A match's offsets are the text's
    either way (its string may be the lower-cased one)."""

    def __init__(self, alternation: str) -> None:
        super().__init__(alternation, re.IGNORECASE)

    @cached_property
    def led(self) -> re.Pattern[str]:
        return word_led(self.source)

    def search(self, text: str, low: str | None = None) -> re.Match[str] | None:
        low = text.lower() if low is None else low
        if len(low) != len(text) or not plain_case(text):
            return super().search(text, low)
        return self.led.search(low) if self.may_match(text, low) else None


def word_led(alternation: str) -> re.Pattern[str]:
    """The case-blind `alternation` (branches such as `\\bplease\\b`, `\\b(?:could|would) you`)
    as a case-sensitive pattern for the lower-cased text, each branch led by its first letter
    and then the word boundary (`p(?<!\\w.)lease\\b`): the engine skips to those letters, where
    a boundary first is tried at every character. Same branches in the same order. Only for
    text whose lower case keeps its length and has none of `_ODD_CASES`."""
    return patterns.compile("|".join(_led(branch) for branch in _branches(alternation)))


def _led(branch: str) -> str:
    if not branch.startswith(r"\b"):
        return branch  # "\?": no word to lead with
    body = branch[2:]
    if body.startswith("(?:"):
        end = _close(body)
        rest = body[end + 1 :]
        return "|".join(_led(rf"\b{word}{rest}") for word in _branches(body[3:end]))
    if not (body[:1].isascii() and body[:1].isalpha()):
        raise ValueError(f"a branch must start with a letter: {branch!r}")
    return rf"{body[0]}(?<!\w.){body[1:]}"


def _branches(alternation: str) -> list[str]:
    """The top-level branches of `alternation`."""
    found, depth, start, i = [], 0, 0, 0
    while i < len(alternation):
        char = alternation[i]
        if char == "\\":
            i += 1  # an escaped character is literal
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "|" and depth == 0:
            found.append(alternation[start:i])
            start = i + 1
        i += 1
    return [*found, alternation[start:]]


def _close(text: str) -> int:
    """Where the group that opens `text` closes."""
    depth, i = 0, 0
    while i < len(text):
        if text[i] == "\\":
            i += 1
        elif text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError(f"unbalanced: {text!r}")
