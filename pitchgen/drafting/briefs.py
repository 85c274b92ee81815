"""A long list summed up as a coalition director sums it up in an email: every item by its
first few words that still say what it is ("a list of the 12 counties", "a 30-minute call",
"a thank-you letter from our board"), and items that open alike said once ("introductions by
email to the superintendents and to the reading coaches"). A brief is the shortest opening of
the item, cut before a clause, that still carries what the rubric looks for in a summary
(`pitchgen.checks.coverage.sums_up`): its figures, its names and its key words.
"""

from __future__ import annotations

import re

from pitchgen import patterns
from pitchgen.checks.coverage import sums_up
from pitchgen.drafting.phrasing import shape

__all__ = ["MIN_WORDS", "brief", "briefs", "clause", "our_part", "purpose"]

# Where an item may be cut: before a clause or a phrase that qualifies it, or a purpose ("to
# attach to each invitation"). Never before "to the …" or "by" ("introductions to the reading
# coaches", "introductions by email"), inside a name, nor inside a sentence of ours.
_CUT = patterns.compile(
    r",\s+|\s+(?=(?:where|with|for|about|who|which|that|so|during|because|in|on|at|from)\s)"
    r"|\s+(?=to\s+(?!(?:the|a|an|your|our|their|its|each|every|all)\b)[a-z]+\b)",
    re.IGNORECASE,
)
# A brief says what the thing is, not only its kind ("a 30-minute call with your research
# team", not "a 30-minute call").
MIN_WORDS = 4
_QUESTION = patterns.compile(r"\b(?:which|what|how|where|whom|when|whether)\b", re.IGNORECASE)
# Never cut so little is left after it that the cut word dangles ("works with").
_MIN_REST = 2
_RELATIVE = patterns.compile(r"(?:where|who|that|which|whose)\s", re.IGNORECASE)
_DETERMINERS = frozenset("a an the your our their its".split())  # noqa: SIM905


def brief(text: str, named: str = "", listed: tuple[str, ...] = ()) -> str:
    """The shortest opening of `text` that still names it, beside the other items of `listed`,
    in a draft that names `named` (the partner, the project) elsewhere; the whole text when
    none does."""
    if shape(text) == "sentence":
        return text.rstrip(" .")
    for m in _CUT.finditer(text):
        head, rest = text[: m.start()].rstrip(" ,;:"), text[m.end() :]
        if len(head.split()) < MIN_WORDS or len(rest.split()) < _MIN_REST:
            continue
        if head.split()[-1][:1].isupper() and rest.split()[1][:1].isupper():
            continue  # inside a name: "Institute for Land Use Studies"
        if _QUESTION.search(head) and rest.split()[0].lower() == "to":
            continue  # "which 10 districts to invite first" is one question
        if _RELATIVE.match(rest) and "the" in (w.lower() for w in head.split()[-3:]):
            continue  # "the 12 counties where your program runs": the clause says which
        if sums_up(text, head, named, listed):
            return head
    return text.rstrip(" .")


def _head(text: str) -> str:
    words = text.split()
    return words[0].lower() if words and words[0].lower() not in _DETERMINERS else ""


def briefs(items: list[str], named: str = "", listed: tuple[str, ...] = ()) -> list[str]:
    """Each item's brief; neighbours that open with the same noun say it once: "Introductions
    by email to the superintendents" and "Introductions to the reading coaches" become
    "Introductions by email to the superintendents and to the reading coaches"."""
    out: list[str] = []
    heads: list[str] = []
    for text in (brief(i, named, listed) for i in items):
        head = _head(text)
        rest = text.split(maxsplit=1)[1] if len(text.split()) > 1 else ""
        if out and head and head == heads[-1] and rest[:1].islower() and heads.count(head) == 1:
            out[-1] = f"{out[-1]} and {rest}"
            heads.append("")
            continue
        out.append(text)
        heads.append(head)
    return out


# An aside that gives examples ("from family reading nights … to pop-up libraries,"): a clause
# that says what the project is drops it first.
_ASIDE = patterns.compile(r",\s+(?:from|including|such as|like|e\.g\.)\s[^,;:]*,", re.IGNORECASE)
_SENTENCE = patterns.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_RELATIVE_TAIL = patterns.compile(
    r",?\s+(?:where|who|which|whose|while|so that)\s.*$", re.IGNORECASE
)


def clause(text: str) -> str:
    """What a project is, in one clause: its first sentence without its examples, cut before
    a clause that qualifies it ("a week of reading events in 30 rural school districts,
    ending with a statehouse briefing")."""
    first = _SENTENCE.split(text.strip(), maxsplit=1)[0].rstrip(" .")
    return _RELATIVE_TAIL.sub("", _ASIDE.sub(",", first)).rstrip(" ,;:")


_PURPOSE = patterns.compile(r"\bso(?: that)? (?:we|our)\b[^,;:.]*", re.IGNORECASE)


def purpose(text: str | None) -> str | None:
    """The reason a need gives for itself ("so that we can invite each district to host a
    family reading night"), the clause alone; None when it gives none."""
    m = _PURPOSE.search(text or "")
    return m[0].strip() if m and len(m[0].split()) >= MIN_WORDS else None


_OURS = patterns.compile(r"^(?:We will|We'll|We would|We'd|We can)\b", re.IGNORECASE)


def our_part(text: str | None) -> str | None:
    """A sentence of the need that says what we take on ourselves ("We will do all of the
    scheduling, follow-up and logistics ourselves; …"): it reassures, so it is kept whole."""
    for part in _SENTENCE.split((text or "").strip()):
        if _OURS.match(part) and "ourselves" in part.lower():
            return part.rstrip(" .") + "."
    return None
