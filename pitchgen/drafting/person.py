"""Ask text in the second person ("your logo files") as a shared document says it, the agenda
both sides read: "Logo files" where an item opens with "Your", "the director" for a person of
theirs, the partner's name where "your council" is the partner itself, "its" otherwise."""

from __future__ import annotations

import re

from pitchgen import patterns

__all__ = ["third_person"]

_BRACKETS = frozenset("[]{}<>")
# Nouns that name an organization: "your council" is the partner itself when its name says so
# ("Pilsen Neighbors Council"); "your organization" always is.
_KINDS = frozenset(
    """council center centre institute bank union alliance association foundation coalition
    network society league club chamber federation lab library school university college
    museum church agency company trust fund committee cooperative collective""".split()  # noqa: SIM905
)
_ALWAYS = frozenset({"organization", "organisation"})
# A person of theirs: "a note from the director" reads as people say it, "its director" does not.
_ROLES = frozenset(
    "director president chair chairperson ceo founder head principal dean editor".split()  # noqa: SIM905
)
_YOUR = patterns.compile(r"\b([Yy])our\s+([\w-]+)")


def third_person(text: str, org: str | None = None) -> str:
    """`text` with "your" said of the partner: "Your advice on …" → "Advice on …"; "from your
    director" → "from the director"; "your council named as co-host" → "Pilsen Neighbors
    Council named as co-host" (`org`, the partner's name as drafts write it); else "its".
    Text with brackets or braces stays as the ask wrote it: the checks pass placeholder-like
    text only in the ask's own words, and "[ your ]" rewritten as "[ its ]" would read as a
    placeholder the draft made up."""
    if not _BRACKETS.isdisjoint(text):
        return text
    named = {w.lower() for w in re.findall(r"[\w-]+", org or "")}

    def said(m: re.Match) -> str:
        word, low = m[2], m[2].lower()
        if m[1] == "Y" and m.start():
            return m[0]  # a name's own word: "Know Your Rights Nights"
        # An item that opens "Your …" drops the pronoun; a lowered one runs on in a sentence.
        opening = m.start() == 0 and m[1] == "Y"
        if org and (low in _ALWAYS or (low in _KINDS and low in named)):
            return (org[:1].upper() + org[1:]) if m[1] == "Y" else org
        if opening:
            return word[:1].upper() + word[1:]
        if low in _ROLES:
            return f"the {word}"
        return f"{'Its' if m[1] == 'Y' else 'its'} {word}"

    return _YOUR.sub(said, text)
