"""A long list summed up as a coalition director sums it up in an email: every item by its
first few words that still say what it is ("a list of the 12 counties", "a 30-minute call",
"a thank-you letter from our board"), and items that open alike said once ("introductions by
email to the superintendents and to the reading coaches"). A brief is the shortest opening of
the item, cut before a clause, that still carries what the rubric looks for in a summary
(`pitchgen.checks.coverage.sums_up`): its figures, its names and its key words.
"""

from __future__ import annotations

import re

from pitchgen.checks.coverage import sums_up
from pitchgen.drafting.phrasing import shape

__all__ = ["MIN_WORDS", "brief", "briefs"]

# Where an item may be cut: before a clause or a phrase that qualifies it, or a purpose ("to
# attach to each invitation"). Never before "to the …" or "by" ("introductions to the reading
# coaches", "introductions by email"), inside a name, nor inside a sentence of ours.
_CUT = re.compile(
    r",\s+|\s+(?=(?:where|with|for|about|who|which|that|so|during|because|in|on|at|from)\s)"
    r"|\s+(?=to\s+(?!(?:the|a|an|your|our|their|its|each|every|all)\b)[a-z]+\b)",
    re.IGNORECASE,
)
# A brief says what the thing is, not only its kind ("a 30-minute call with your research
# team", not "a 30-minute call").
MIN_WORDS = 4
_QUESTION = re.compile(r"\b(?:which|what|how|where|whom|when|whether)\b", re.IGNORECASE)
# Never cut so little is left after it that the cut word dangles ("works with").
_MIN_REST = 2
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
