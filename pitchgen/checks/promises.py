"""Promises a draft makes on our behalf: a clause in which we pay, cover, provide, give, send,
offer or share something ("we'll also cover your travel"), or in which they get or receive it.
Each must be something the ask offers: a benefit, what the budget covers, a milestone, or the
project itself; a clause whose words are mostly none of these is an invented promise.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

from pitchgen import patterns
from pitchgen.ask import Ask
from pitchgen.ask.memo import per_ask
from pitchgen.checks.needles import plain_case
from pitchgen.checks.textindex import LOWER_LATIN1, matches_at
from pitchgen.checks.wordstems import stem, stems, words

__all__ = ["invented_promises"]

PROMISE_VERBS = (
    "pay pays paid paying cover covers covered covering provide provides provided providing "
    "give gives gave giving send sends sent sending offer offers offered offering share shares "
    "shared sharing host hosts hosting supply supplies supplying reimburse reimburses "
    "reimbursing arrange arranges arranging handle handles handling donate donates fund funds "
    "buy buys bring brings throw throws feature features print prints waive waives book books "
    "cater caters reserve reserves deliver delivers circulate circulates promote promotes "
    "sponsor sponsors publish publishes credit credits acknowledge acknowledges thank list "
    "recognize recognise include name names invite invites reserve reserves comp comps treat"
)
# Between the one who promises and the verb: "we'd also gladly", "we are happy to".
_AUX = (
    r"(?:\s*['’](?:d|ll|re|m)\b|\s*,|\s+(?:would|will|can|could|shall|should|are|am|also|then|gladly|"
    r"happily|glad|happy|to|be|plan|planning|want|like|intend|promise|always|even|already|do|"
    r"certainly|pleased|delighted|ready|willing|able|more|than|further|additionally|in|addition|"
    r"turn|return|of\s+course))*"
)
# Longest first, then alphabetical: the same source in every process (a set's order is not), so
# the compiled pattern can be kept (`pitchgen.patterns`); words of one length never match alike.
_VERB = (
    r"\s+(?:" + "|".join(sorted(set(PROMISE_VERBS.split()), key=lambda w: (-len(w), w))) + r")\b"
)
_THEY_GET = (
    r"\byou(?:['’](?:d|ll)|\s+would|\s+will|\s+can|\s+could)?\s+(?:also\s+)?"
    r"(?:get|receive|gain|enjoy)\b"
)
_AND_VERB = r"(?:,|\band\b|\bor\b|\bplus\b)\s+(?:also\s+)?" + _VERB[3:]
# What a promise clause may name without promising anything of value.
NEUTRAL_WORDS = (
    "detail details information info update updates overview call ring invite invitation "
    "calendar agenda plan timeline note notes summary question questions chance "
    "opportunity moment reminder confirmation copy link email message line thought "
    "thoughts feedback background everything anything something whatever rest back "
    "afterward afterwards later soon today tomorrow week month year early earlier ahead "
    "along over together full whole entire cost costs straight right directly first "
    "each every little bit reply response january february march april may june july "
    "august september october november december monday tuesday wednesday thursday friday "
    "saturday sunday"
)
NEUTRAL = frozenset(stem(w) for w in NEUTRAL_WORDS.split())
# Run on the draft with the ask's own words blanked out (the sender's name among them), so
# "we" and "I" are who promises.
_PROMISE = patterns.compile(rf"\b(?:we|i)\b{_AUX}{_VERB}|{_THEY_GET}", re.IGNORECASE)
_CLAUSE_END = patterns.compile(r"[.!?;:\n]")
_SOFT_END = r",\s+(?:and|but|so|which|while|because)\b|\s+(?:but|so|because|if)\s"


@cache
def _cutting() -> tuple[re.Pattern[str], re.Pattern[str]]:
    # A promise's clauses are cut only where a draft promises something, which few do: these
    # are compiled then, not by every process that checks a draft.
    return patterns.compile(_AND_VERB, re.IGNORECASE), patterns.compile(_SOFT_END)


@dataclass(frozen=True)
class _Allowed:
    stems: frozenset[str]
    names: frozenset[str]


@per_ask
def _allowed(ask: Ask) -> tuple[_Allowed, re.Pattern[str]]:
    offered = [b.description for b in ask.benefits]
    offered += [m.milestone for m in ask.timeline]
    offered += [ask.project.name, ask.project.summary]
    if ask.budget and ask.budget.covers:
        offered.append(ask.budget.covers)
    if ask.meeting and ask.meeting.location:
        offered.append(ask.meeting.location)
    people = [ask.partner.organization, ask.sender.organization, ask.sender.name]
    people += [n for n in (ask.partner.contact_name, ask.partner.short_name) if n]
    allowed = _Allowed(
        frozenset().union(*map(stems, offered)), frozenset().union(*map(stems, people))
    )
    return allowed, _PROMISE


def _clauses(text: str, start: int, end: int, match: re.Match) -> list[str]:
    """The objects of the promise `match` makes in text[start:end] (its sentence): the words
    after the promising verb up to the end of its clause, a verb joined by "and" starting a
    clause of its own."""
    rest = text[match.end() : end]
    if stop := _CLAUSE_END.search(rest):
        rest = rest[: stop.start()]
    and_verb, soft_end = _cutting()
    pieces, at = [], 0
    for more in and_verb.finditer(rest):
        pieces.append(rest[at : more.start()])
        at = more.end()
    pieces.append(rest[at:])
    return [piece[: m.start()] if (m := soft_end.search(piece)) else piece for piece in pieces]


def _promises(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """`pattern.finditer(text)`, tried only where a promise can start, at "we", "I" or "you"
    as a word: a case-blind pattern led by a word boundary is otherwise tried at every
    character, half a million instructions on a draft."""
    try:  # Latin-1 text by a byte table, where islower() alone reads every character
        low = text.encode("latin-1").translate(LOWER_LATIN1).decode("latin-1")
    except UnicodeEncodeError:
        low = text if text.islower() else text.lower()
    if len(low) != len(text) or not plain_case(text):
        return list(pattern.finditer(text))
    try:  # word characters kept, every other character a space, offsets kept
        marked = " " + low.encode("latin-1").translate(_WORD_MARKS).decode("latin-1") + " "
    except UnicodeEncodeError:
        marked = None
    starts = []
    for word in ("we", "i", "you"):
        if marked is not None:  # the word alone: a space (or none) on both sides
            at = marked.find(f" {word} ")
            while at != -1:
                starts.append(at)  # `marked` has one character more in front
                at = marked.find(f" {word} ", at + 1)
            continue
        at = low.find(word)
        while at != -1:
            if not at or not (low[at - 1].isalnum() or low[at - 1] == "_"):
                starts.append(at)
            at = low.find(word, at + 1)
    return matches_at(pattern, text, sorted(starts))


# Latin-1 characters that are word characters (\w) kept, all others a space.
_WORD_MARKS = bytes(c if chr(c).isalnum() or c == 95 else 32 for c in range(256))


def _is_question(text: str, start: int, end: int) -> bool:
    """A question ("Could we give less?") asks; it promises nothing."""
    return text[start:end].rstrip().endswith("?")


def invented_promises(ask: Ask, text: str, sentences: list[tuple[int, int]]) -> list[int]:
    """Which `sentences` (spans of `text`, by index) promise something the ask does not
    offer."""
    allowed, pattern = _allowed(ask)
    starts = [start for start, _ in sentences]
    invented: list[int] = []
    for match in _promises(pattern, text):
        i = bisect.bisect_right(starts, match.start()) - 1
        if i < 0 or (invented and invented[-1] == i) or _is_question(text, *sentences[i]):
            continue
        for clause in _clauses(text, *sentences[i], match):
            named = {stem(w) for w in words(clause)} - NEUTRAL - allowed.names - {""}
            if named and 3 * len(named & allowed.stems) < 2 * len(named):
                invented.append(i)
                break
    return invented
