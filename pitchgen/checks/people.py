"""How a draft may name the people and organizations of an ask: the partner by its full name
(not a longer name that merely contains it), the contact by a form of their name, and the
sender's closing (a spoken voicemail drops the emoji and symbols of a name)."""

from __future__ import annotations

import re
from functools import lru_cache

from pitchgen import patterns
from pitchgen.checks.needles import Guarded

__all__ = ["closing_form", "contact_forms", "name_occurrences", "spoken"]

TITLES = ("Mr Mrs Ms Mx Miss Dr Doctor Prof Professor Rev Reverend Hon Sen Senator Rep "
          "Representative Judge Mayor Commissioner Councilmember Councilor Councillor Chair "
          "Pastor Father Sister Rabbi Imam Sir Dame Lady Lord Captain Chief")  # fmt: skip
_TITLE_WORDS = frozenset(TITLES.lower().split())
SUFFIXES = "jr jr. sr sr. ii iii iv phd ph.d. md m.d. esq esq. mba"
_SUFFIXES = frozenset(SUFFIXES.split())
_TITLE = r"(?:" + "|".join(TITLES.split()) + r")\.?"


@lru_cache(maxsize=256)
def contact_forms(contact: str, greet_as: str | None) -> tuple[Guarded, ...]:
    """Patterns for the forms of address of `contact`: the full name, the name without its
    title, the first name, any title with the last name ("Dr. Weiss", "Ms. Raman"), and the
    ask's `greet_as`. Whole words, any case."""
    # A name of commas alone ("," from a form) has no words: the name as written stands.
    words = contact.replace(",", " ").split() or [contact]
    while len(words) > 1 and words[0].lower().rstrip(".") in _TITLE_WORDS:
        words = words[1:]
    while len(words) > 1 and words[-1].lower() in _SUFFIXES:
        words = words[:-1]
    forms = [re.escape(contact), re.escape(" ".join(words)), re.escape(words[0])]
    if len(words) > 1:
        last = re.escape(words[-1])
        forms.append(rf"{_TITLE}\s+(?:{re.escape(words[0])}\s+)?{last}")
    if greet_as:
        forms.append(re.escape(greet_as))
    # Each searched only where its words are (the text has the name, in any case).
    return tuple(Guarded(re.compile(_bounded(form), re.IGNORECASE)) for form in forms)


# Chinese and Japanese run words together: a name there ends where its characters do
# ("王小明主任" addresses 王小明). Kana and the Han blocks, by code point: a character class
# this wide costs the regex compiler ~2 ms per pattern, in every process that drafts.
_HAN_EDGE = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


def _han(char: str) -> bool:
    return any(low <= ord(char) <= high for low, high in _HAN_EDGE)


def _bounded(form: str) -> str:
    """`form` as a whole word: no letter or digit right before or after it, unless it starts
    or ends in a Chinese or Japanese character."""
    # `form` is escaped: a line break in it follows a backslash, so its last character is the
    # one a `$` search would find.
    start = "" if form and _han(form[0]) else r"(?<!\w)"
    end = "" if form and _han(form[-1]) else r"(?!\w)"
    return f"{start}{form}{end}"


def name_occurrences(name: str, lines: str, low: str) -> tuple[int, list[str]]:
    """How often `name` stands on its own in `lines` (`low` is it in lower case, spacing
    folded within lines), and the longer names it appears inside ("Granite State Taxpayers
    Association" for "Granite State Taxpayers"): a capitalized word joined on by a space
    makes it another organization's name."""
    needle = " ".join(name.split()).lower()
    alone, longer = 0, []
    at = low.find(needle)
    while at != -1:
        end = at + len(needle)
        inside_word = (at and low[at - 1].isalnum() and needle[0].isalnum()) or (
            end < len(low) and low[end].isalnum() and needle[-1].isalnum()
        )
        if not inside_word:
            # A name that ends a sentence ("…", "!") is complete: a capital after it starts
            # the next sentence, not a longer name.
            if not needle.endswith(_SENTENCE_ENDS) and (
                following := _NEXT_NAME_WORD.match(lines, end)
            ):
                longer.append(lines[at : following.end()])
            else:
                alone += 1
        at = low.find(needle, at + 1)
    return alone, longer


# A word of a longer name: one space, then a capital (not "I", a pronoun).
_SENTENCE_ENDS = (".", "…", "!", "?")
_NEXT_NAME_WORD = patterns.compile(r" (?!I\b)[A-Z][\w&'’.-]*")
_SYMBOLS = patterns.compile(r"[^\w@.+\s-]|_")


def spoken(text: str) -> str:
    """`text` as it is said: "&" is "and", emoji and other symbols dropped, spacing folded,
    lower case. A voicemail signs "Green Futures" for "🌱 Green Futures 🌍"."""
    text = text.replace("&", " and ").replace("’", "'").replace("'", "")
    return " ".join(_SYMBOLS.sub(" ", text).lower().split())


def closing_form(value: str) -> str:
    """A detail of the sender as it must appear in a closing, compared in spoken form."""
    return spoken(value).rstrip(" .")
