"""Facts parsed out of free text: money, dates, times, percentages, numbers (whatever they
count, in digits or words: `pitchgen.figures`), phones, email addresses and URLs, each with
where it stands in the text.

Parsing is regex-only and precompiled: the whole rubric runs on every draft and every edit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import lru_cache
from itertools import pairwise
from operator import itemgetter
from typing import Literal, NamedTuple

from pitchgen import patterns
from pitchgen.ask import ISO_4217
from pitchgen.checks.dates import MonthDay, date_facts, range_days
from pitchgen.checks.figures import (
    CURRENCY_WORDS,
    Clock,
    currency_word,
    number_values,
    numbers,
    times,
)
from pitchgen.checks.textindex import Found, TextIndex, lower, regex_facts

__all__ = [
    "Clock",
    "Fact",
    "Kind",
    "Money",
    "MonthDay",
    "fold",
    "lower",
    "parse_facts",
    "phone_digits",
    "text_facts",
]

Kind = Literal["url", "email", "phone", "date", "time", "money", "percent", "count"]


class Money(NamedTuple):
    amount: Decimal
    currency: str


class Fact(NamedTuple):
    """A fact and where it stands: a named tuple, made in C (a frozen dataclass's __init__
    sets each field through object.__setattr__, twice the cost, for a few dozen a draft)."""

    kind: Kind
    value: Money | date | MonthDay | Clock | Decimal | int | str
    span: tuple[int, int]
    text: str


# --- rule tables -----------------------------------------------------------------------------

SYMBOLS = {"US$": "USD", "CA$": "CAD", "C$": "CAD", "AU$": "AUD", "A$": "AUD", "$": "USD",
           "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}  # fmt: skip
URL_TLDS = "org com net edu gov io us info co uk ca"

# --- patterns --------------------------------------------------------------------------------
# Speed: every pattern begins with a literal or a character class, so the regex engine skips
# ordinary prose without trying a match; "not preceded by" rules sit just after the first
# character (`X(?<!\w.)`) where a leading lookbehind would defeat that skip. Kinds that hinge
# on a word after the number (counts, percentages) are found from that word backwards.

_alternation = "|".join
_AMOUNT = r"\d(?<![\w.,].)(?>(?:\d{0,2}(?:,\d{3})+|\d*)(?:\.\d+)?)"
_SCALE = r"(?:\s?(?P<scale>k|K|thousand|mn|m|M|million|bn|billion)\b)?"
_SCALES = {"k": 1000, "thousand": 1000, "m": 10**6, "mn": 10**6, "million": 10**6,
           "bn": 10**9, "billion": 10**9}  # fmt: skip
_SYMBOL = _alternation(re.escape(s) for s in sorted(SYMBOLS, key=len, reverse=True))
_CURRENCY_WORD = _alternation(sorted(CURRENCY_WORDS, key=len, reverse=True))
# A region with a decimal comma ("15.000,50 €", "4 500 £", "€ 1.250"): grouped by dots or
# spaces, or with a comma and cents; tried first, so "1.000 MXN" is a thousand, not one.
_COMMA_AMOUNT = (
    r"\d(?<![\w.,].)(?:\d{0,2}(?:[. \u00a0\u202f]\d{3})+(?:,\d{1,2})?|\d*,\d{1,2})(?!\d)"
)
_MONEY = (
    patterns.compile(
        rf"(?P<camt>{_COMMA_AMOUNT})[ \u00a0\u202f]?(?:(?P<sym>{_SYMBOL})|(?P<code>[A-Z]{{3}})\b)"
    ),
    patterns.compile(rf"(?P<sym>{_SYMBOL})[ \u00a0\u202f]?(?P<camt>{_COMMA_AMOUNT})"),
    patterns.compile(rf"(?P<sym>{_SYMBOL})\s?(?P<amt>{_AMOUNT}){_SCALE}"),
    patterns.compile(rf"(?P<code>[A-Z](?<!\w.)[A-Z]{{2}})\s?(?P<amt>{_AMOUNT}){_SCALE}"),
    patterns.compile(
        rf"(?P<amt>{_AMOUNT}){_SCALE}\s?(?:(?P<code>[A-Z]{{3}})|(?i:(?P<word>{_CURRENCY_WORD})))\b"
    ),
)
# Where each pattern can start (`pitchgen.checks.textindex`): a pattern that begins with a digit
# at a run of digits, "USD 2,500" four characters before one, "$2,500" at its symbol; and not
# at all in a text without a phone's shape. Dates: `pitchgen.checks.dates`.
# Digits as "0" (a character outside ASCII may be one: its bytes all are), phone separators as
# "-": a phone without a "+" ends in "555 0143" (three digits, a separator, four).
_PHONE_SHAPE = bytes(
    48 if c >= 128 or chr(c).isdigit() else 45 if chr(c) in " .-" else 120 for c in range(256)
)


def _where(text: str, chars: str, before: int = 0) -> list[int]:
    """Every place of each of `chars` in `text`, and the `before` places before each."""
    found = []
    for char in chars:
        at = text.find(char)
        while at != -1:
            found += range(max(0, at - before), at + 1)
            at = text.find(char, at + 1)
    return found


def _symbol_starts(index: TextIndex) -> list[int]:
    """Where a currency symbol may start: at "€", up to two before "$" ("US$", "C$")."""
    return sorted(set(_where(index.text, "$", 2) + _where(index.text, "€£¥₹")))


def _code_starts(index: TextIndex) -> list[int]:
    """ "USD 2,500": three capitals, a space, a figure (a code right before a figure leaves the
    figure no word start)."""
    text = index.text
    return [at - 4 for at in index.starts
            if at >= 4 and text[at - 1].isspace() and "A" <= text[at - 2] <= "Z"]  # fmt: skip


def _grouped_starts(index: TextIndex) -> list[int]:
    """ "15.000,50 €", "4 500 £", "1,50 €": a run, a group mark, and at once another run."""
    text, runs = index.text, index.runs
    return [start for (start, end), (after, _) in pairwise(runs)
            if after == end + 1 and text[end] in _GROUP_MARKS]  # fmt: skip


def _amount_starts(index: TextIndex) -> list[int]:
    """ "2,500.50 USD", "4k dollars": a figure (runs joined by "," or "."), then a letter at
    once or after one space."""
    text, runs, found = index.text, index.runs, []
    for i, (start, end) in enumerate(runs):
        while i + 1 < len(runs) and runs[i + 1][0] == end + 1 and text[end] in ",.":
            i += 1
            end = runs[i][1]
        after = text[end : end + 1]
        if after.isalpha() or (after.isspace() and text[end + 1 : end + 2].isalpha()):
            found.append(start)
    return found


_GROUP_MARKS = ". \u00a0\u202f,"
_MONEY_STARTS = (
    _grouped_starts,
    lambda ix: ix.once(_symbol_starts),  # two patterns start at a symbol
    lambda ix: ix.once(_symbol_starts),
    _code_starts,
    _amount_starts,
)


def _phone_starts(index: TextIndex) -> list[int]:
    if not _may_hold_phone(index.text):
        return []
    return sorted(set(index.starts + _where(index.text, "+(")))


def _may_hold_phone(text: str) -> bool:
    if "+" in text:
        return True
    return b"000-0000" in text.encode("utf-8", "surrogatepass").translate(_PHONE_SHAPE)


_PHONE = patterns.compile(
    r"[+(\d](?<![\w+].)(?:"
    r"(?<=\+)\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,4}){1,4}"
    r"|(?<=\()\d{3}\) ?\d{3}[ .-]\d{4}"
    r"|(?<=1)[ .-](?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}"
    r"|(?<=\d)\d{2}[ .-]\d{3}[ .-]\d{4})(?!\w)"
)
_EMAIL_DOMAIN = patterns.compile(r"@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
_URL = patterns.compile(r"(?:https?://|www\.)[^\s<>\"']+")
_BARE_TLD = patterns.compile(r"\.(?:{})\b(?![@.\w-])".format(URL_TLDS.replace(" ", "|")))
_URL_SCHEME = patterns.compile(r"^(?:https?://)?(?:www\.)?")
_URL_PATH = patterns.compile(r"/[^\s<>\"']*")
_URL_TRAILER = ".,;:!?)]}'\""
_LOCAL_PART = frozenset("._+-")
_HOST_PART = frozenset(".-")
# --- parsing ---------------------------------------------------------------------------------


def _money(match: re.Match) -> Money | None:
    groups = match.groupdict()
    if groups.get("sym"):
        currency = SYMBOLS[groups["sym"]]
    elif groups.get("code"):
        currency = groups["code"]
        if currency not in ISO_4217:
            return None
    else:
        currency = currency_word(groups["word"])
    if groups.get("camt"):
        figure = re.sub(r"[. \u00a0\u202f]", "", groups["camt"]).replace(",", ".")
        return Money(Decimal(figure), currency)
    amount = Decimal(groups["amt"].replace(",", ""))
    if groups.get("scale"):
        amount *= _SCALES[groups["scale"].lower()]
    return Money(amount, currency)


def phone_digits(text: str) -> str:
    """Digits only, without the North American country code, so +1 202 … matches (202) …."""
    digits = re.sub(r"\D", "", text)
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


def _phone(match: re.Match) -> str | None:
    digits = phone_digits(match[0])
    return digits if 7 <= len(digits) <= 15 else None


def _emails(text: str) -> list[Found]:
    found = []
    for match in _EMAIL_DOMAIN.finditer(text):
        start = match.start()
        while start and (text[start - 1].isalnum() or text[start - 1] in _LOCAL_PART):
            start -= 1
        if start < match.start():
            found.append((start, match.end(), text[start : match.end()].lower()))
    return found


def _urls(text: str) -> list[Found]:
    # Every match starts "http" or "www.": two plain searches skip the scan of most texts.
    linked = "http" in text or "www." in text
    spans = [match.span() for match in _URL.finditer(text)] if linked else []
    for match in _BARE_TLD.finditer(text):
        start = match.start()
        while start and (text[start - 1].isalnum() or text[start - 1] in _HOST_PART):
            start -= 1
        if start < match.start() and (not start or text[start - 1] not in "@/"):
            path = _URL_PATH.match(text, match.end())
            spans.append((start, path.end() if path else match.end()))
    found = []
    for start, end in spans:
        end = start + len(text[start:end].rstrip(_URL_TRAILER))
        found.append((start, end, _URL_SCHEME.sub("", text[start:end].lower()).rstrip("/")))
    return found


# In priority order: a URL may hold a date, a phone number looks like three numbers, and so on;
# a later kind never claims text an earlier kind already matched.
_FINDERS: tuple[tuple[Kind, Callable[[TextIndex], list[Found]]], ...] = (
    ("url", lambda ix: _urls(ix.text)),
    ("email", lambda ix: _emails(ix.text)),
    ("phone", lambda ix: regex_facts((_PHONE,), _phone, ix, (_phone_starts,))),
    ("date", date_facts),
    ("date", range_days),
    ("time", times),
    ("money", lambda ix: regex_facts(_MONEY, _money, ix, _MONEY_STARTS)),
    ("count", numbers),  # and the money and percentages written with a number
)


def parse_facts(text: str) -> list[Fact]:
    """Every fact in `text`, in reading order; overlapping matches go to the stronger kind."""
    facts: list[Fact] = []
    taken = bytearray(len(text))
    index = TextIndex(text)
    for kind, finder in _FINDERS:
        # The last finder, numbers, skips what the stronger kinds have taken.
        results = finder(index, taken) if finder is numbers else finder(index)
        # Numbers come in reading order already, never two at one start (each is found past
        # the last one's end): sorting them would call the key for each.
        if len(results) > 1 and finder is not numbers:
            results = sorted(results, key=_first_longest)
        # A finder gives (start, end, value), or (start, end, kind, value) where it finds
        # several kinds.
        for found in results:
            start, end = found[0], found[1]
            if taken.find(1, start, end) == -1:
                taken[start:end] = b"\x01" * (end - start)
                if len(found) == 4:
                    value = Money(*found[3]) if found[2] == "money" else found[3]
                    facts.append(Fact(found[2], value, (start, end), text[start:end]))
                else:
                    facts.append(Fact(kind, found[2], (start, end), text[start:end]))
    facts.sort(key=_SPAN)
    return facts


def _first_longest(found: Found) -> tuple[int, int]:
    return found[0], -found[1]


_SPAN = itemgetter(2)  # Fact.span, in C


@lru_cache(maxsize=1024)
def text_facts(text: str) -> tuple[tuple[tuple[Kind, object], ...], frozenset[Decimal]]:
    """The kind and value of every fact in `text`, and every number it states as a figure
    (not the parts of a phone, a date or a time). Parsed once per process: one ask pitched to
    many partners repeats most of its text (the sender, the project, the need, the benefits)."""
    facts = parse_facts(text)
    numbers = {n for n in number_values(text) if n <= 1}  # "one" is no fact, but it is a value
    for f in facts:
        if f.kind in ("count", "percent"):
            numbers.add(f.value)
        elif f.kind == "money":
            numbers.add(f.value.amount)
    return tuple((f.kind, f.value) for f in facts), frozenset(numbers)


def fold(text: str) -> str:
    """Whitespace folded to single spaces: the form spans and verbatim matches refer to."""
    return " ".join(text.split())
