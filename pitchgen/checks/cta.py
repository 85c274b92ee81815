"""Plain wording the checks recognize however it is phrased: a sentence that asks the partner
for a next step ("Could you confirm the room by January 15?"), the date it asks by, and a
plain statement that the partner pays nothing ("it costs your chapter nothing")."""

from __future__ import annotations

import re
from datetime import date, timedelta

from pitchgen import patterns
from pitchgen.checks.needles import CaseBlind, Guarded

__all__ = ["answer_day", "asks_for_answer", "costs_nothing", "is_request", "is_request_plain"]

# Words that make a sentence about a next step: a reply, a decision, a meeting.
ANSWER_CUES = (r"repl|respon|let (?:me|us) know|tell (?:me|us)|confirm|answer|decision|decide|"
               r"get back|hear (?:from|back)|agree|commit|rsvp|yes|approv|go ahead|in or out|"
               r"you(?:'re| are) in\b")  # fmt: skip
MEETING_CUES = (r"meet|call|talk|chat|speak|schedule|available|availability|join|sign up|"
                r"connect|follow up|touch base|book")  # fmt: skip
CUES = f"{ANSWER_CUES}|{MEETING_CUES}"
# ...and the forms that ask for it rather than report it.
REQUEST = (r"\?|\bplease\b|\blet (?:me|us) know\b|\b(?:could|would|can|will|might|may) (?:you|we"
           r")\b|\bgrateful\b|\bappreciate\b|\bneed (?:your|an?|to)\b|\bhope to\b|\blook(?:ing)?"
           r" forward\b|\bif you could\b|\bwould love\b|\bkindly\b|\b(?:i|we)['’]?d like\b|"
           r"\bwe ask\b|\bask(?:ing)? (?:you|for)\b|\bwelcome\b|"
           r"\b(?:i|we)(?:['’]?d| would) love\b")  # fmt: skip
# Case-blind, searched in the lower-cased text where they can be (`needles.CaseBlind`).
_CUE_ = CaseBlind(rf"\b(?:{CUES})")
_ANSWER_ = CaseBlind(rf"\b(?:{ANSWER_CUES})")
_REQUEST_ = CaseBlind(REQUEST)
_BEFORE = patterns.compile(
    r"\b(?:before|ahead of|prior to|earlier than|in advance of)\s+(?:the\s+)?(?:\w+,?\s+)?\Z",
    re.IGNORECASE,
)
_BY = patterns.compile(
    r"\b(?:by|until|till|no later than|not later than|on or before|through|due)\s+(?:the\s+)?"
    r"(?:\w+,?\s+)?\Z",
    re.IGNORECASE,
)
# Plain statements that it costs them nothing: (the words one starts with, what follows them).
_ANY_MONEY = r"(?:anything|a (?:cent|penny|dime|thing))\b"
_NOTHING_PARTS = (
    (("cost",), r"(?:s|ing)?\s+(?:\w+\s+){0,3}?(?:nothing|zero|not a (?:cent|penny|dime|thing))\b"),
    (("not", "n['’]t", "never"), rf"\s+cost\s+(?:\w+\s+){{0,3}}?{_ANY_MONEY}"),
    (("free of",), r" (?:charge|cost)\b"),
    (("at no",), r" (?:cost|charge|expense)\b"),
    (("no",), r" (?:cost|charge|fee|expense)s?\b(?:\s+(?:to|for)\s+\w+)?"),
    (("pays?", "owes?", "spends?", "contributes?"), r"\s+nothing\b"),
    (("nothing",), r" (?:to pay|from you|out of (?:your|their) (?:pocket|budget))\b"),
    (("free",), r" (?:to|for) (?:you|your|them|their)\b"),
    (("without",), r" (?:any )?(?:cost|charge)\b"),
    (("won['’]t", "will not", "wouldn['’]t", "would not", "don['’]t", "do not", "doesn['’]t",
      "does not", "never"), rf"\s+(?:have to |need to )?(?:pay|spend|contribute)\s+{_ANY_MONEY}"),
)  # fmt: skip
NOTHING = "|".join(rf"\b(?:{'|'.join(starts)}){rest}" for starts, rest in _NOTHING_PARTS)
_NOTHING_ = CaseBlind(NOTHING)


_WE_PAY_ALL = patterns.compile(
    r"\bwe(?:['’]ll|['’]d| will| would)?\s+(?:also\s+)?(?:cover|covers|pay|pays|handle|"
    r"handles)\s+(?:for\s+)?(?:all|everything|every cost|the (?:full|whole|entire))"
)


# Searched only where one of its words is there (`pitchgen.checks.needles`).
_WE_PAY_ALL_ = Guarded(_WE_PAY_ALL)


def is_request(sentence: str, low: str | None = None) -> bool:
    """Whether `sentence` asks for a next step (not only mentions one: "January 15: Confirm
    the room" is a milestone, "Could you confirm the room by January 15?" a request). `low`:
    the sentence lower-cased character for character (`facts.lower`), when the caller has it."""
    low = sentence.lower() if low is None else low
    return bool(_CUE_.search(sentence, low) and _REQUEST_.search(sentence, low))


def is_request_plain(low: str) -> bool:
    """`is_request` of a sentence whose lower case is `low`, for a sentence without any of
    `needles._ODD_CASES` (so `low` is what `CaseBlind` searches): the word-led patterns alone.
    Their needles' pre-test only ever skips a search that would find nothing, and costs more
    than searching a sentence does."""
    return bool(_CUE_.led.search(low) and _REQUEST_.led.search(low))


def asks_for_answer(sentence: str) -> bool:
    """Whether a request asks for their answer (a reply, a decision), not for a meeting or
    for one of the deliverables ("the roster by November 5")."""
    return bool(_ANSWER_.search(sentence))


def answer_day(before_text: str, day: date) -> tuple[date, bool]:
    """The last day an answer asked for at `day` may come, read from the words just before
    the date ("before March 4": March 3), and whether they set a deadline at all ("by",
    "before") rather than name the date of something else ("for March 4")."""
    tail = before_text[-40:]
    if _BEFORE.search(tail):
        return day - timedelta(days=1), True
    return day, bool(_BY.search(tail))


def costs_nothing(text: str, sender: str, low: str | None = None) -> str | None:
    """The words saying the partner pays nothing, in any plain form, or None: "costs you
    nothing", "free of charge to you", "at no cost to your team", "we cover all of it".
    `low`: the text lower-cased character for character (`facts.lower`), when the caller has
    it; that is `text.lower()` but where an "İ" lowers to two characters."""
    if m := _NOTHING_.search(text, low):
        return text[m.start() : m.end()]  # the words as written (the match may be in lower case)
    if low is None or "İ" in text:
        low = text.lower()
    low = " ".join(low.replace(" ".join(sender.lower().split()), "we").split())
    return m[0] if (m := _WE_PAY_ALL_.search(low)) else None
