"""Items that restate the need, said once: "Ten volunteers from 8:00 to noon on cleanup day"
after "Ten volunteers from your members for the cleanup morning" is the same request twice.
The call card and the email both say such items as the request itself, with the need's reason
(`need_purpose`), where the draft then still states the need as the checks read it.
"""

from __future__ import annotations

from decimal import Decimal

from pitchgen import patterns
from pitchgen.checks.facts import parse_facts
from pitchgen.checks.figures import NUMBER_WORDS
from pitchgen.checks.wordstems import stem, stems
from pitchgen.checks.wordstems import words as tokens
from pitchgen.content.formats import gist
from pitchgen.drafting.briefs import purpose
from pitchgen.drafting.outline import Outline
from pitchgen.drafting.phrasing import shape

__all__ = ["after_need", "need_purpose", "restates"]

# A deliverable restates the need when at least this share of its words and figures are the
# need's: said after it, it reads as the same clause twice.
_RESTATED = Decimal("0.5")


def _terms(text: str) -> set:
    """A text's words (by stem) and figures, as the checks read what it states."""
    figures = {(f.kind, str(f.value)) for f in parse_facts(text) if f.kind != "date"}
    dates = {("date", f.value.month, f.value.day) for f in parse_facts(text) if f.kind == "date"}
    return stems(text) | figures | dates


def _opening(text: str, n: int = 2) -> set:
    """The first `n` terms of a text, as `_terms` writes them: "Six volunteers on …" is
    the count 6 and "volunteer"."""
    found: list = []
    for token in tokens(text):
        low = token.lower()
        if low in NUMBER_WORDS or low.isdigit():
            found.append(("count", str(Decimal(NUMBER_WORDS.get(low, low)))))
        elif root := stem(token):
            found.append(root)
        if len(found) == n:
            break
    return set(found)


def restates(o: Outline, items: list[str], words: int) -> bool:
    """Whether the items said (aloud or in a letter) are the need again, made concrete: each
    opens with the need's own count and noun ("Ten volunteers from 8:00 to noon on cleanup
    day" after "Ten volunteers from your members for the cleanup morning"), or at least half
    its words and figures are those of the need, cut to `words` ("a list of the 12 counties
    where your summer reading program runs" after "… in the rural districts where your summer
    reading program runs"). Said once, as the request, they read as one ask, not the same
    clause twice."""
    need = _need_terms(o, items, words)
    if need is None:
        return False
    for item in items:
        own = _terms(item)
        if not own or not (_opening(item) <= need or len(own & need) >= _RESTATED * len(own)):
            return False
    return True


def after_need(o: Outline, items: list[str], words: int) -> list[str] | None:
    """What each item adds to the need, where every item opens with the need's own count and
    noun: "from 8:00 to 12:00 on cleanup day" of "Ten volunteers from 8:00 to 12:00 on cleanup
    day". Said after the need, the count is said once and the need whole. None where an item
    opens otherwise or adds nothing."""
    need = _need_terms(o, items, words)
    if need is None or any(not _opening(item) <= need for item in items):
        return None
    rest = [_after_opening(item) for item in items]
    return rest if all(rest) else None


def _need_terms(o: Outline, items: list[str], words: int) -> set | None:
    """The need's terms, where the need and every item are noun phrases; else None."""
    if not o.need or o.need_shape != "noun" or not items:
        return None
    if any(shape(item) != "noun" for item in items):
        return None
    return _terms(gist(o.need, words))


_TOKEN = patterns.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def _after_opening(text: str, n: int = 2) -> str:
    """`text` after its first `n` terms, as `_opening` counts them: "Six volunteers on
    Saturday, April 10" is "on Saturday, April 10"."""
    seen = 0
    for m in _TOKEN.finditer(text):
        if m[0].lower() in NUMBER_WORDS or stem(m[0]):
            seen += 1
        if seen == n:
            return text[m.end() :].strip(" ,;:")
    return ""


# What a need is for, said after the thing it asks for ("… to collect litter from the water"),
# up to where it says when or where (the items said instead give that).
_INFINITIVE = patterns.compile(
    r"\bto\s+(?!(?:the|a|an|your|our|their|its|each|every|all|be)\b)[a-z]+\b.*?"
    r"(?=\s+(?:on|at|in|during|by|between|over)\s|[,;:.]|$)"
)


def need_purpose(need: str | None, words: int) -> str | None:
    """The reason the need (cut to `words`) gives for itself, said after the items that stand
    for it: "so that we can …", or what the people asked for would do ("to canvass with us")."""
    said = gist(need or "", words)
    if found := purpose(said):
        return found
    m = _INFINITIVE.search(said)
    verb = m[0].split()[1] if m else ""
    # "to three senior centres", "to members": a place or a people it goes to, not a reason.
    if not m or verb in NUMBER_WORDS or (verb.endswith("s") and not verb.endswith("ss")):
        return None
    return m[0] if len(m[0].split()) >= 3 else None
