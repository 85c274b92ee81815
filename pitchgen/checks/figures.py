"""Numbers in free text, in digits or in words: "3,000 reporters", "ten minutes", "a
five-minute address", "four thousand dollars". Clock times ("1 pm", "13:00") are
`pitchgen.checks.clocks`; `Clock` and `times` are importable from here too.

`pitchgen.textfacts` runs these after the stronger kinds (links, phones, dates, money with a
symbol), so what is left is every other figure a draft states.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import islice
from typing import NamedTuple

from pitchgen import patterns
from pitchgen.ask import ISO_4217
from pitchgen.checks.clocks import Clock, is_offset, times
from pitchgen.checks.textindex import TextIndex
from pitchgen.checks.wordstems import STOP_WORDS

__all__ = [
    "CURRENCY_WORDS",
    "NUMBER_WORDS",
    "Clock",
    "currency_word",
    "number_values",
    "numbers",
    "times",
    "words_value",
]

NUMBER_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
                "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
                "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
                "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
                "dozen": 12, "pair": 2}  # fmt: skip
MULTIPLIERS = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
SCALES = {"k": 1000, "thousand": 1000, "m": 10**6, "mn": 10**6, "million": 10**6,
          "bn": 10**9, "billion": 10**9}  # fmt: skip
CURRENCY_WORDS = {"us dollars": "USD", "canadian dollars": "CAD", "australian dollars": "AUD",
                  "dollars": "USD", "dollar": "USD", "bucks": "USD", "euros": "EUR",
                  "euro": "EUR", "pounds sterling": "GBP", "pounds": "GBP",
                  "pound": "GBP"}  # fmt: skip
# The letters beyond ASCII that a case-blind pattern matches as ASCII ones (Python's `re`
# under IGNORECASE): "poundſ" is matched as "pounds", so it must be looked up as "pounds".
_AS_ASCII = str.maketrans({"ſ": "s", "\u212a": "k", "ı": "i", "İ": "i"})


def currency_word(word: str) -> str:
    """The code of a currency word matched case-blind ("Dollars", "POUNDſ")."""
    return CURRENCY_WORDS[word.translate(_AS_ASCII).lower()]


_PARTS = frozenset(NUMBER_WORDS) | frozenset(MULTIPLIERS)
# "our two organizations" is how an honest draft names the parties, not a figure it claims.
_PARTIES = frozenset(
    ("organizations", "organisations", "groups", "sides", "teams", "parties", "of")
)
_TOKEN = patterns.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|[^\W\d_]+(?:[-'’][^\W\d_]+)*|\S")


def words_value(parts: list[str]) -> int:
    """The value of number words ("two hundred and fifty" as its words, "and" left out)."""
    total, current = 0, 0
    for word in parts:
        if word in ("a", "an"):
            current = 1
        elif word in MULTIPLIERS:
            current = max(current, 1) * MULTIPLIERS[word]
            if MULTIPLIERS[word] >= 1000:
                total, current = total + current, 0
        elif word in ("dozen", "pair"):  # "a dozen", "a pair", "two dozen"
            current = max(current, 1) * NUMBER_WORDS[word]
        else:
            current += NUMBER_WORDS[word]
    return total + current


def _leading_number_words(token: str) -> list[str]:
    """The number words a token starts with: "twenty-five" all, "five-minute" its "five"."""
    parts = token.lower().replace("’", "'").split("-")
    lead = []
    for part in parts:
        if part not in _PARTS:
            break
        lead.append(part)
    return lead


class _Number(NamedTuple):
    start: int
    end: int  # where the number itself ends
    value: Decimal
    in_words: bool
    unit: str  # the word it counts ("minute" of "five-minute"), lower case, or ""
    unit_end: int
    # What follows it (`_after`), when read with the number itself (in digits), else None.
    after: tuple[str | None, str | None, str | None, int] | None = None


def _scan(index: TextIndex, taken: bytearray | None = None) -> list[_Number]:
    """Every number in the text; one starting where `taken` is set (a date, a phone: read
    already as something stronger) is not looked at."""
    text = index.text
    found: list[_Number] = []
    done = 0
    size = len(taken) if taken is not None else 0
    for at in _candidates(index):
        if at < size and taken[at]:  # first: most runs of digits are dates and times
            continue
        if at < done or (at and (text[at - 1].isalnum() or text[at - 1] in "'’-")):
            continue
        if text[at].isdigit():  # the common case, matched at once
            if at and (text[at - 1] in "._:" or (text[at - 1] in "+-−" and is_offset(text, at))):
                continue
            number = _digits_at(text, at)
            if number is not None:
                found.append(number)
                done = number.unit_end
            continue
        tokens = list(islice(_TOKEN.finditer(text, at), 8))
        number, used = _number_at(text, tokens, 0)
        if number is not None:
            found.append(number)
            done = max(number.unit_end, tokens[used - 1].end() if used else 0)
    return found


_DIGITS = patterns.compile(r"\d+")
# The same few figures ("2", "30", "2027") come back in every draft; a Decimal is immutable, and
# parsing one from text costs more than a lookup (a failed parse still raises each time).
_decimal = lru_cache(maxsize=4096)(Decimal)
# What may follow a number and make it money or a percentage: one match per number.
_AFTER_SOURCE = (
    r"\s?(?:(?P<pct>%|[Pp]er\s?cent\b)|(?P<code>[A-Z]{3})\b|(?i:(?P<word>"
    + "|".join(sorted(CURRENCY_WORDS, key=len, reverse=True))
    + r"))\b)"
)
_UNIT_SOURCE = r"[ -]?(?P<unit>[^\W\d_]+(?:['’-][^\W\d_]+)*)"
_AFTER = patterns.compile(_AFTER_SOURCE)
# A number in digits, and at its end, each in a lookahead that may match nothing (so each is
# what a match of its own there finds), what follows it and the word it counts: one regex
# call a number, where three cost three calls and their group reads.
_DIGIT_NUMBER = patterns.compile(
    r"\d+(?:,\d{3})*(?:\.\d+)?(?:\s?(?P<scale>k|K|m|M|mn|bn|thousand|million|billion)\b)?"
    rf"(?=(?P<after>{_AFTER_SOURCE})|)(?={_UNIT_SOURCE}|)"
)


def _digits_at(text: str, at: int) -> _Number | None:
    """The number written in digits at `at` ("2,000", "2.5k") and the word it counts."""
    m = _DIGIT_NUMBER.match(text, at)
    figure = m[0]
    scale, unit, pct, code, word = m.group("scale", "unit", "pct", "code", "word")
    if scale:
        figure = figure[: m.start("scale") - at].rstrip()
    try:
        value = _decimal(figure.replace(",", ""))
    except InvalidOperation:
        return None
    if scale:
        value *= SCALES[scale.lower()]
    end = m.end()
    after = (pct, code, word, m.end("after"))
    if unit and (unit := unit.lower()) not in STOP_WORDS:
        return _Number(at, end, value, False, unit, m.end("unit"), after)
    return _Number(at, end, value, False, "", end, after)


_PART_LIST = tuple(_PARTS)
_PART_KEYS = tuple((word, word.encode()) for word in _PART_LIST)
_SCALE_WORDS = frozenset(("hundred", "thousand", "million", "billion", "dozen", "pair"))
_ARTICLE = patterns.compile(r"\ban?\s+(?=(?:hundred|thousand|million|billion|dozen|pair)\b)")


def _candidates(index: TextIndex) -> list[int]:
    """Where a number may start: a digit, a number word, "a" before "hundred". Found by
    plain searches, not one pattern of every number word: the regex engine would try each
    word at every character of the draft."""
    at = list(index.starts)
    low, words = index.low, index.ascii_words
    # A number word that counts is a token's first part, its own run of ASCII letters (a
    # letter beyond them on either side makes the token another word, or the start no
    # start): a set lookup each, not a search of the text each.
    present = [word for word, key in _PART_KEYS if key in words]
    for word in present:  # a plain find beats a pattern of the words (measured)
        i = low.find(word)
        while i != -1:
            at.append(i)
            i = low.find(word, i + 1)
    if _SCALE_WORDS.intersection(present):
        at += [m.start() for m in _ARTICLE.finditer(low)]
    return sorted(at)


def _number_at(text: str, tokens: list[re.Match], i: int) -> tuple[_Number | None, int]:
    token = tokens[i]
    word = token[0]
    if word[0].isdigit():
        before = text[token.start() - 1] if token.start() else " "
        if before.isalpha() or before in "._:" or is_offset(text, token.start()):
            return None, i + 1
        try:
            value = Decimal(word.replace(",", ""))
        except InvalidOperation:
            return None, i + 1
        j, end = i + 1, token.end()
        if j < len(tokens) and tokens[j][0].lower() in SCALES and tokens[j].start() - end <= 1:
            value *= SCALES[tokens[j][0].lower()]
            end, j = tokens[j].end(), j + 1
        return _with_unit(text, tokens, j, token.start(), end, value, False), j
    lead = _leading_number_words(word)
    article = word.lower() in ("a", "an") and i + 1 < len(tokens)
    if article and tokens[i + 1][0].lower().split("-")[0] in _SCALE_WORDS:
        lead = ["a"]
    if not lead:
        return None, i + 1
    parts, j, end = list(lead), i, token.end()
    if len(lead) == len(word.split("-")):  # the whole token is a number: more may follow
        j += 1
        while j < len(tokens):
            nxt = tokens[j][0].lower()
            if nxt == "and" and parts[-1] in MULTIPLIERS and j + 1 < len(tokens):
                more = _leading_number_words(tokens[j + 1][0])
                if not more:
                    break
                j += 1
                continue
            more = _leading_number_words(nxt)
            if not more:
                break
            parts += more
            end = tokens[j].start() + len("-".join(more))
            if len(more) < len(nxt.split("-")):  # "two hundred-seat"
                return _hyphen_unit(text, tokens, i, j, parts, end), j + 1
            j += 1
        if parts == ["pair"]:  # "pair it with": a verb; "a pair" is two
            return None, i + 1
        start = token.start()
        value = Decimal(words_value(parts))
        return _with_unit(text, tokens, j, start, end, value, True), j
    return _hyphen_unit(text, tokens, i, i, parts, token.start() + len("-".join(lead))), i + 1


def _hyphen_unit(text, tokens, i, j, parts, end) -> _Number:
    """A number joined to its unit by a hyphen: "five-minute", "80-seat"."""
    token = tokens[j]
    unit = token[0].lower().split("-")[len(parts) if i == j else 0 :]
    return _Number(
        tokens[i].start(), end, Decimal(words_value(parts)), True, "-".join(unit), token.end()
    )


def _with_unit(text, tokens, j, start, end, value, in_words) -> _Number:
    if j < len(tokens) and tokens[j][0][0].isalpha() and tokens[j][0].lower() not in STOP_WORDS:
        nxt = tokens[j]
        if nxt.start() - end <= 1:  # "80-seat": the unit is the hyphenated word
            unit = nxt[0].lower().lstrip("-")
            return _Number(start, end, value, in_words, unit, nxt.end())
    if j < len(tokens) and tokens[j][0] == "-" and j + 1 < len(tokens):
        nxt = tokens[j + 1]
        if nxt[0][0].isalpha() and nxt.start() == tokens[j].end():
            return _Number(start, end, value, in_words, nxt[0].lower(), nxt.end())
    return _Number(start, end, value, in_words, "", end)


def numbers(
    index: TextIndex, taken: bytearray | None = None
) -> list[tuple[int, int, str, Decimal | tuple[Decimal, str]]]:
    """Every number in `text` that states a figure, as (start, end, kind, value): a "count"
    spans the word it counts ("3,000 reporters"); "money" is a number followed by a currency
    ("four thousand dollars", "100 USD"), its value (amount, currency); "percent" one followed
    by "%" or "percent". Left out: "one" and "a" in words (a pronoun
    or article as often as a figure), list markers at a line's start, and "our two
    organizations"."""
    text = index.text
    found = []
    for n in _scan(index, taken):
        if n.in_words and n.value <= 1:
            continue
        if text[n.end : n.end + 1] in (".", ")"):  # a list marker only at a line's start
            line_start = text.rfind("\n", 0, n.start) + 1
            if not text[line_start : n.start].strip():
                continue
        if n.in_words and n.value == 2 and n.unit.replace("’", "'") in _PARTIES:
            continue
        pct, code, word, end = n.after or _after(text, n.end)
        if word:
            found.append((n.start, end, "money", (n.value, currency_word(word))))
        elif code in ISO_4217:
            found.append((n.start, end, "money", (n.value, code)))
        elif pct:
            found.append((n.start, end, "percent", n.value))
        else:
            found.append((n.start, n.unit_end, "count", n.value))
    return found


def _after(text: str, at: int) -> tuple[str | None, str | None, str | None, int]:
    """(percent sign or word, currency code, currency word, where they end) of what follows
    a number ending at `at`; all None where nothing does."""
    m = _AFTER.match(text, at)
    return (None, None, None, -1) if m is None else (*m.group("pct", "code", "word"), m.end())


def number_values(text: str) -> set[Decimal]:
    """Every number in `text`, in digits or words, "one" included: what an ask states."""
    return {n.value for n in _scan_once(text)}


_NEXT_WORDS = patterns.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|[^\w\s]")


def counted(text: str, span: int = 4) -> list[tuple[Decimal, list[str]]]:
    """(value, the words after it up to `span` words or a punctuation mark) of every number
    in `text`: what it may count ("10 energy or rural-affairs reporters")."""
    found = []
    for n in _scan_once(text):
        after = [n.unit] if n.unit else []
        for m in islice(_NEXT_WORDS.finditer(text, n.unit_end), span):
            if not m[0][0].isalpha():
                break
            after.append(m[0].lower())
        found.append((n.value, after))
    return found


def unit_numbers(text: str) -> list[tuple[Decimal, str]]:
    """(value, unit word) of every number in `text` that counts something."""
    return [(n.value, n.unit) for n in _scan_once(text) if n.unit]


@lru_cache(maxsize=2048)
def _scan_once(text: str) -> tuple[_Number, ...]:
    """`_scan` of an ask's text, once per process: one ask pitched to many partners repeats
    most of its text."""
    return tuple(_scan(TextIndex(text)))
