"""A draft as the rubric checks read it: its text with spacing folded, its sentences, its
facts, the ask's own words blanked out, its terms; each computed once, on first use, and
shared by every check. And the small phrases the checks' details are written with."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import accumulate

from pitchgen import patterns
from pitchgen.ask import Ask
from pitchgen.ask.suspicious import suspicious_fields
from pitchgen.checks.coverage import DraftTerms
from pitchgen.checks.facts import Fact, fold, lower, parse_facts
from pitchgen.checks.grounding import AskFacts, ask_facts, blank, verbatim_spans
from pitchgen.checks.lazy import lazy
from pitchgen.content.models import Content

__all__ = ["Draft", "Verdict", "and_", "count_words", "short", "straight_quotes", "verdict"]

Verdict = tuple[bool, str]

# A sentence ends after ". " before a capital, and at a line break. Found by plain searches
# for the marks (a pattern would test a class at every character: `_sentence_ends`).
_SENTENCE_MARKS = (". ", "! ", "? ")
_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def straight_quotes(text: str) -> str:
    # Not str.translate: it looks every character up in a table (~50 us on a draft), where a
    # replace() of a quote the text lacks returns at once.
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


# --- the draft as the checks see it ----------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    ask: Ask
    content: Content
    raw: str

    @lazy
    def lines(self) -> str:
        """The text with spacing folded within each line; lines kept, for sentence breaks."""
        raw = straight_quotes(self.raw)
        flat = _INDENTS.sub("\n", raw).lstrip(" ") if "\n " in raw or raw[:1] == " " else raw
        if _single_spaced(flat):  # folding would change nothing but drop the empty lines
            return "\n".join(filter(None, flat.split("\n")))
        # fold() per line, in C: " ".join(line.split()); an empty line drops out.
        return "\n".join(filter(None, map(" ".join, map(str.split, raw.splitlines()))))

    @lazy
    def text(self) -> str:
        """Whitespace folded: every offset below is into this (and `lines`: same length)."""
        return self.lines.replace("\n", " ")

    @lazy
    def low(self) -> str:
        return self.low_lines.replace("\n", " ")  # lower-casing is blind to the break

    @lazy
    def low_lines(self) -> str:
        return lower(self.lines)

    @lazy
    def facts(self) -> list[Fact]:
        return parse_facts(self.text)

    @lazy
    def verbatim(self) -> list[tuple[int, int]]:
        return verbatim_spans(self.ask, self.text, self.low)

    @lazy
    def sentences(self) -> list[tuple[int, int]]:
        starts = [0, *_sentence_ends(self.lines)]
        return list(zip(starts, [*starts[1:], len(self.lines)], strict=True))

    @lazy
    def claims(self) -> list[Fact]:
        """Facts outside text copied verbatim from the ask: what the draft itself asserts."""
        blanked, low = self.blanked, self.low
        return [f for f in self.facts if blanked[slice(*f.span)] == low[slice(*f.span)]]

    @lazy
    def blanked(self) -> str:
        """The lower-cased text with the ask's own words blanked out, offsets kept."""
        return blank(self.low, self.verbatim)

    @lazy
    def blanked_lines(self) -> str:
        """`lines` lower-cased, the ask's own words blanked out: what the draft itself says."""
        return blank(self.low_lines, self.verbatim)

    @lazy
    def known(self) -> AskFacts:
        return ask_facts(self.ask)

    @lazy
    def ask_days(self) -> list[date]:
        return sorted(self.known.dates)

    @lazy
    def named(self) -> list[tuple[int, int]]:
        """Where the text gives a name of the ask's that holds a figure (an organization called
        "March 4, 2027"): a date or time inside a name is the name, not a day the draft sets."""
        names = (self.ask.sender.organization, self.ask.sender.name,
                 self.ask.partner.organization, self.ask.partner.contact_name)  # fmt: skip
        spans = []
        for name in {n for n in names if n and any(map(str.isdigit, n))}:
            folded = fold(straight_quotes(name))
            start = self.text.find(folded)
            while start != -1:
                spans.append((start, start + len(folded)))
                start = self.text.find(folded, start + 1)
        return spans

    def in_name(self, span: tuple[int, int]) -> bool:
        """Whether `span` lies within one of `named`: by a search of their starts, each with
        the furthest end of the names that start there or before."""
        starts, reach = self._named_reach
        i = bisect.bisect_right(starts, span[0])
        return bool(i) and reach[i - 1] >= span[1]

    @lazy
    def _named_reach(self) -> tuple[list[int], list[int]]:
        spans = sorted(self.named)
        return [start for start, _ in spans], list(accumulate((end for _, end in spans), max))

    @lazy
    def odd(self) -> dict[str, str]:
        return suspicious_fields(self.ask)

    @lazy
    def terms(self) -> DraftTerms:
        return DraftTerms(self.lines, self.sentences, self.facts)

    def says(self, phrase: str) -> bool:
        """Whether `phrase` occurs, ignoring case, spacing, curly quotes and a final stop."""
        return _needle(phrase) in self.low


_INDENTS = patterns.compile(r"\n +")  # the spaces that start a line (an agenda item's detail)


def _single_spaced(text: str) -> bool:
    """Whether every line of `text` is already folded: no whitespace but single spaces between
    words and line feeds (a printable text has no other whitespace), none at a line's ends."""
    return (
        text.replace("\n", "").isprintable()
        and "  " not in text
        and " \n" not in text
        and "\n " not in text
        and not text.startswith(" ")
        and not text.endswith(" ")
    )


def _sentence_ends(lines: str) -> list[int]:
    """Where each sentence after the first starts: after ". " (or "!", "?") before a capital,
    perhaps after a quote or a parenthesis, and after each line break."""
    ends = []
    at = lines.find("\n")
    while at != -1:
        ends.append(at + 1)
        at = lines.find("\n", at + 1)
    for mark in _SENTENCE_MARKS:
        at = lines.find(mark)
        while at != -1:
            after = lines[at + 2 : at + 3]
            if after and after in "\"'(":
                after = lines[at + 3 : at + 4]
            if after in _CAPITALS:
                ends.append(at + 2)
            at = lines.find(mark, at + 1)
    return sorted(ends)


@lru_cache(maxsize=512)
def _needle(phrase: str) -> str:
    return lower(fold(straight_quotes(phrase))).rstrip(" .!;:")


# --- wording ---------------------------------------------------------------------------------


def and_(items: Iterable[str]) -> str:
    items = list(items)
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def short(text: str, limit: int = 60) -> str:
    text = fold(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def count_words(text: str) -> int:
    return len(text.split())


def verdict(problems: list[str], passed: str) -> Verdict:
    return (False, "; ".join(problems)) if problems else (True, passed)
