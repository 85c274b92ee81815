"""Facts parsed out of free text: money, dates, percentages, counts of people, phones, email
addresses and URLs, each with where it stands in the text.

Parsing is regex-only and precompiled: the whole rubric runs on every draft and every edit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal, NamedTuple

from pitchgen.ask import ISO_4217

__all__ = [
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

Kind = Literal["url", "email", "phone", "date", "money", "percent", "count"]


class Money(NamedTuple):
    amount: Decimal
    currency: str


class MonthDay(NamedTuple):
    """A date written without its year ("March 4th"): it matches that day in any year."""

    month: int
    day: int


@dataclass(frozen=True, slots=True)
class Fact:
    kind: Kind
    value: Money | date | MonthDay | Decimal | int | str
    span: tuple[int, int]
    text: str


# --- rule tables -----------------------------------------------------------------------------

SYMBOLS = {"US$": "USD", "CA$": "CAD", "C$": "CAD", "AU$": "AUD", "A$": "AUD", "$": "USD",
           "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}  # fmt: skip
CURRENCY_WORDS = {"us dollars": "USD", "canadian dollars": "CAD", "australian dollars": "AUD",
                  "dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR",
                  "pounds sterling": "GBP"}  # fmt: skip
SCALES = {"k": 1000, "thousand": 1000, "m": 10**6, "mn": 10**6, "million": 10**6,
          "bn": 10**9, "billion": 10**9}  # fmt: skip
MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
          "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
          "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
          "sept": 9, "oct": 10, "nov": 11, "dec": 12}  # fmt: skip
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
                "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
                "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
                "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12}  # fmt: skip
MULTIPLIERS = {"hundred": 100, "thousand": 1000}
_NUMBER_PARTS = frozenset(NUMBER_WORDS) | frozenset(MULTIPLIERS)
PEOPLE_NOUNS = ("people", "persons", "attendees", "guests", "members", "groups", "students",
    "fellows", "volunteers", "seats", "legislators", "lawmakers", "staff", "staffers",
    "organizations", "organisations", "partners", "participants", "speakers", "panelists",
    "researchers", "experts", "donors", "sponsors", "businesses", "owners", "leaders",
    "employees", "families", "residents", "voters", "advocates", "delegates", "officials",
    "commissioners", "chapters", "coalitions", "nonprofits", "companies", "signatories",
    "allies", "teams", "schools", "churches", "supporters")  # fmt: skip
URL_TLDS = "org com net edu gov io us info co uk ca"
# "our two organizations" is how an honest draft names the parties; a claim starts at three.
SMALLEST_COUNT = 3

# --- patterns --------------------------------------------------------------------------------
# Speed: every pattern begins with a literal or a character class, so the regex engine skips
# ordinary prose without trying a match; "not preceded by" rules sit just after the first
# character (`X(?<!\w.)`) where a leading lookbehind would defeat that skip. Kinds that hinge
# on a word after the number (counts, percentages) are found from that word backwards.

_alternation = "|".join
_AMOUNT = r"\d(?<![\w.,].)(?>(?:\d{0,2}(?:,\d{3})+|\d*)(?:\.\d+)?)"
_SCALE = r"(?:\s?(?P<scale>k|K|thousand|mn|m|M|million|bn|billion)\b)?"
_SYMBOL = _alternation(re.escape(s) for s in sorted(SYMBOLS, key=len, reverse=True))
_CURRENCY_WORD = _alternation(sorted(CURRENCY_WORDS, key=len, reverse=True))
_MONEY = (
    re.compile(rf"(?P<sym>{_SYMBOL})\s?(?P<amt>{_AMOUNT}){_SCALE}"),
    re.compile(rf"(?P<code>[A-Z](?<!\w.)[A-Z]{{2}})\s?(?P<amt>{_AMOUNT}){_SCALE}"),
    re.compile(
        rf"(?P<amt>{_AMOUNT}){_SCALE}\s?(?:(?P<code>[A-Z]{{3}})|(?i:(?P<word>{_CURRENCY_WORD})))\b"
    ),
)
_MONTH_NAME = _alternation(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True))
_MONTH = rf"(?P<month>{_MONTH_NAME})\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?:,?\s+(?P<year>\d{4})(?!\d))?"
_DATES = (
    re.compile(r"(?P<year>\d(?<![\d-].)\d{3})-(?P<mon>\d{2})-(?P<day>\d{2})(?!\d)"),
    re.compile(r"(?P<mon>\d(?<![\d/].)\d?)/(?P<day>\d{1,2})/(?P<year>\d{4})(?![\d/])"),
    re.compile(rf"{_MONTH}\s+{_DAY}{_YEAR}"),
    re.compile(rf"(?P<day>\d(?<!\w.)\d?)(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH}{_YEAR}"),
)
# Whether a text can hold a match of the pattern at the same place, found faster than the
# pattern is scanned for: a pattern that starts with a digit is tried at every number of a
# draft (its written dates have many), so a text without "-12-31" or "/31/2027" is not scanned
# for ISO or US dates at all, nor one without a currency symbol for "$2,500".
_DATE_HINTS = (re.compile(r"-\d\d-\d\d").search, re.compile(r"/\d\d?/\d{4}").search, None, None)
_MONEY_HINTS = (
    lambda text: any(symbol in text for symbol in "$€£¥₹"),
    None,
    lambda text: _may_name_currency(text.encode("utf-8", "surrogatepass")),
)
# Digits as "0" (a character outside ASCII may be one: its bytes all are), phone separators as
# "-": a phone without a "+" ends in "555 0143" (three digits, a separator, four).
_PHONE_SHAPE = bytes(
    48 if c >= 128 or chr(c).isdigit() else 45 if chr(c) in " .-" else 120 for c in range(256)
)


_CAPITALS = bytes(65 if 65 <= c <= 90 else 32 for c in range(256))


def _may_name_currency(data: bytes) -> bool:
    """Whether "2,500 EUR" or "2,500 dollars" may follow a figure: three capitals in a row, or a
    currency word (any case of these ASCII letters matches only ASCII letters)."""
    if b"AAA" in data.translate(_CAPITALS):
        return True
    low = data.lower()
    return b"dollar" in low or b"euro" in low or b"pound" in low


def _may_hold_phone(text: str) -> bool:
    if "+" in text:
        return True
    return b"000-0000" in text.encode("utf-8", "surrogatepass").translate(_PHONE_SHAPE)


_PERCENT_SIGN = re.compile(r"%|[Pp]er\s?cent\b")
_TOKEN = re.compile(r"\S+")
_PLAIN_WORD = re.compile(r"[\w'-]+\Z")
_DIGITS_TOKEN = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\Z")
_NUMBER_TOKEN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|[^\W\d_]+(?:-[^\W\d_]+)*")
_PHONE = re.compile(
    r"[+(\d](?<![\w+].)(?:"
    r"(?<=\+)\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,4}){1,4}"
    r"|(?<=\()\d{3}\) ?\d{3}[ .-]\d{4}"
    r"|(?<=1)[ .-](?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}"
    r"|(?<=\d)\d{2}[ .-]\d{3}[ .-]\d{4})(?!\w)"
)
_EMAIL_DOMAIN = re.compile(r"@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+")
_BARE_TLD = re.compile(r"\.(?:{})\b(?![@.\w-])".format(URL_TLDS.replace(" ", "|")))
_URL_SCHEME = re.compile(r"^(?:https?://)?(?:www\.)?")
_URL_PATH = re.compile(r"/[^\s<>\"']*")
_URL_TRAILER = ".,;:!?)]}'\""
_LOCAL_PART = frozenset("._+-")
_HOST_PART = frozenset(".-")
_LOOKBACK = 48


# --- parsing ---------------------------------------------------------------------------------


def _words_value(words: str) -> int:
    total, current = 0, 0
    for word in re.split(r"[\s-]+", words.lower()):
        if word in ("a", "an"):
            current = 1
        elif word in MULTIPLIERS:
            current = max(current, 1) * MULTIPLIERS[word]
            if word == "thousand":
                total, current = total + current, 0
        elif word == "dozen":
            current = max(current, 1) * 12
        else:
            current += NUMBER_WORDS[word]
    return total + current


def _money(match: re.Match) -> Money | None:
    groups = match.groupdict()
    if groups.get("sym"):
        currency = SYMBOLS[groups["sym"]]
    elif groups.get("code"):
        currency = groups["code"]
        if currency not in ISO_4217:
            return None
    else:
        currency = CURRENCY_WORDS[groups["word"].lower()]
    amount = Decimal(groups["amt"].replace(",", ""))
    if groups.get("scale"):
        amount *= SCALES[groups["scale"].lower()]
    return Money(amount, currency)


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


def phone_digits(text: str) -> str:
    """Digits only, without the North American country code, so +1 202 … matches (202) …."""
    digits = re.sub(r"\D", "", text)
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


Found = tuple[int, int, object]


def _regex_facts(
    patterns: tuple[re.Pattern[str], ...],
    value_of,
    text: str,
    hints: tuple[Callable[[str], object] | None, ...] = (),
) -> list[Found]:
    """Matches of `patterns` with a value; a pattern whose hint says `text` cannot hold a
    match of it is skipped."""
    found = []
    for pattern, hint in zip(patterns, hints or (None,) * len(patterns), strict=True):
        if hint is not None and not hint(text):
            continue
        for match in pattern.finditer(text):
            try:
                value = value_of(match)
            except (InvalidOperation, KeyError):
                continue
            if value is not None:
                found.append((*match.span(), value))
    return found


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


def _is_number_word(token: str) -> bool:
    if token in _NUMBER_PARTS:  # the common case, one word: no split
        return True
    return "-" in token and all(part in _NUMBER_PARTS for part in token.split("-"))


def _number_ending(tokens: list[re.Match], last: int) -> tuple[int, Decimal] | None:
    """The number whose final token is tokens[last]: (index of its first token, value)."""
    token = tokens[last][0]
    if _DIGITS_TOKEN.match(token):
        return last, Decimal(token.replace(",", ""))
    first = last
    while first >= 0 and _is_number_word(tokens[first][0].lower()):
        first -= 1
    if first == last:
        return None
    if first < 0 or tokens[first][0].lower() not in ("a", "an"):
        first += 1
    return first, Decimal(_words_value(" ".join(t[0] for t in tokens[first : last + 1])))


def _number_before(text: str, at: int, words_between: int) -> tuple[int, Decimal] | None:
    """The number that ends just before `at`, or up to `words_between` plain words earlier:
    (where it starts, its value)."""
    lo = text.rfind(" ", 0, max(0, at - _LOOKBACK)) + 1
    tokens = list(_TOKEN.finditer(text, lo, at))[-6:]
    for last in range(len(tokens) - 1, max(-1, len(tokens) - 2 - words_between), -1):
        if last < len(tokens) - 1 and not _PLAIN_WORD.match(tokens[last + 1][0]):
            break
        number = _number_ending(tokens, last)
        if number:
            return tokens[number[0]].start(), number[1]
    return None


def _percents(text: str) -> list[Found]:
    if "%" not in text and "cent" not in text:  # skips the scan of a text with no percentage
        return []
    found = []
    for sign in _PERCENT_SIGN.finditer(text):
        if number := _number_before(text, sign.start(), 0):
            found.append((number[0], sign.end(), number[1]))
    return found


# The text's ASCII words as bytes, every other byte a space: a noun that stands as a whole word
# in the text is one of them (a neighbour outside ASCII only splits words further), so one
# pass finds the few nouns worth a search instead of a search for every noun.
_ASCII_WORDS = bytes(c if chr(c).isascii() and chr(c).isalnum() else 32 for c in range(256))
_NOUN_BYTES = tuple((noun, noun.encode()) for noun in PEOPLE_NOUNS)


def _counts(text: str) -> list[Found]:
    low, found = lower(text), []
    words = set(low.encode("utf-8", "surrogatepass").translate(_ASCII_WORDS).split())
    for noun in (noun for noun, word in _NOUN_BYTES if word in words):
        at = low.find(noun)
        while at != -1:
            end = at + len(noun)
            whole = not (at and low[at - 1].isalnum()) and not low[end : end + 1].isalnum()
            # "40 students", "25 graduate students": the number ends one or two words back.
            number = _number_before(text, at, 1) if whole else None
            if number and number[1] >= SMALLEST_COUNT and number[1] == int(number[1]):
                found.append((number[0], end, int(number[1])))
            at = low.find(noun, end)
    return found


def lower(text: str) -> str:
    """`text` in lower case, character for character, so offsets stay valid in both."""
    low = text.lower()
    # A few characters lower to two ("İ"); keep offsets aligned with the original text.
    return (
        low
        if len(low) == len(text)
        else "".join(c if len(c.lower()) > 1 else c.lower() for c in text)
    )


# In priority order: a URL may hold a date, a phone number looks like three numbers, and so on;
# a later kind never claims text an earlier kind already matched.
_FINDERS: tuple[tuple[Kind, Callable[[str], list[Found]]], ...] = (
    ("url", _urls),
    ("email", _emails),
    ("phone", lambda text: _regex_facts((_PHONE,), _phone, text, (_may_hold_phone,))),
    ("date", lambda text: _regex_facts(_DATES, _date, text, _DATE_HINTS)),
    ("money", lambda text: _regex_facts(_MONEY, _money, text, _MONEY_HINTS)),
    ("percent", _percents),
    ("count", _counts),
)


def parse_facts(text: str) -> list[Fact]:
    """Every fact in `text`, in reading order; overlapping matches go to the stronger kind."""
    facts: list[Fact] = []
    taken = bytearray(len(text))
    for kind, finder in _FINDERS:
        for start, end, value in sorted(finder(text), key=lambda f: (f[0], -f[1])):
            if taken.find(1, start, end) == -1:
                taken[start:end] = b"\x01" * (end - start)
                facts.append(Fact(kind, value, (start, end), text[start:end]))
    return sorted(facts, key=lambda f: f.span)


def _numbers(text: str) -> set[Decimal]:
    """Every number in `text`, in digits or words ("two hundred" gives 2 and 200)."""
    tokens = list(_NUMBER_TOKEN.finditer(text))
    return {number[1] for last in range(len(tokens)) if (number := _number_ending(tokens, last))}


@lru_cache(maxsize=1024)
def text_facts(text: str) -> tuple[tuple[tuple[Kind, object], ...], frozenset[Decimal]]:
    """The kind and value of every fact in `text`, and every number in it. Parsed once per
    process: one ask pitched to many partners repeats most of its text (the sender, the
    project, the need, the benefits)."""
    return tuple((f.kind, f.value) for f in parse_facts(text)), frozenset(_numbers(text))


def fold(text: str) -> str:
    """Whitespace folded to single spaces: the form spans and verbatim matches refer to."""
    return " ".join(text.split())
