"""Words reduced to what they mean for the checks: a small suffix stemmer, a stop-word list and
a table of common equivalents, so "reviewing", "reviewer" and "reviews" are one term, and "the
projector" matches "a projector" and "mics" the "microphones".

Small on purpose: the same rules run on the ask and on the draft, so a stem need only be
consistent, not a dictionary word; and the whole rubric must stay well under a millisecond.
"""

from __future__ import annotations

from functools import lru_cache

from pitchgen import patterns

__all__ = ["STEMS", "STOP_WORDS", "sentence_words", "stem", "stems", "words"]

STOP_WORDS = frozenset(
    """
a about above after again against all also am an and any are as at be been before being below
between both but by can could did do does doing down during each either else even ever every few
for from further had has have having he her here hers him his how i if in into is it its itself
just may me might more most much must my no nor not now of off on once only or other our ours
out over own per please same she should so some such than that the their theirs them then there
these they this those through to too under until up upon us very via was we were what when where
which while who whom why will with within without would you your yours yourself yourselves
we'd we'll we're we've i'd i'll i'm i've you'd you'll you're you've it's that's let's
one two three four five six seven eight nine ten dozen hundred thousand million
day days time times thing things way ways part lot kind sort able like get got make made
want need needs needed hope hoping ask asking asked help use using used
across around along among amongst behind beside besides beyond inside outside toward towards
throughout near onto ahead later soon already still yet again whether etc
""".split()  # noqa: SIM905 - a table, easier to read as one
)

# Common equivalents: every word of a group means the group's first word.
EQUIVALENTS = (
    "seat capacity accommodate fit hold",
    "room space venue hall",
    "microphone mic mike",
    "projector beamer",
    "logo brand branding",
    "remark speech address talk words",
    "acknowledge acknowledgement credit recognize recognise recognition thank name",
    "circulate share distribute send sent forward promote spread pass",
    "give gave given",
    "attendee participant guest registrant",
    "list roster",
    "researcher expert analyst scholar specialist",
    "review check vet",
    "morning am",
    "access entry",
    "press media news",
    "website site web online",
    "dinner gala banquet",
    "fall autumn",
    "catering food refreshment meal lunch breakfast snack coffee drink",
    "payment pay paid contribution contribute",
    "sponsor underwrite sponsorship",
    "decision decide answer",
    "data figure number statistic stat",
    "publish publication release launch",
    "group organization organisation chapter affiliate",
    "next upcoming forthcoming latest",
    "annual yearly",
    "support assist",
    "session panel plenary",
    "opening kickoff kick-off",
    "material signage handout collateral",
    "free nothing",
)

_WORD = patterns.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# (suffix, replacement), tried in order, each only where a stem of three letters remains.
_RULES = (
    ("ies", "y"), ("ied", "y"), ("sses", "ss"), ("ches", "ch"), ("shes", "sh"), ("xes", "x"),
    ("ings", ""), ("ing", ""), ("ed", ""), ("ments", ""), ("ment", ""), ("ships", ""),
    ("ship", ""), ("ations", ""), ("ation", ""), ("ers", ""), ("er", ""), ("ly", ""),
)  # fmt: skip


@lru_cache(maxsize=16384)
def _stem(word: str) -> str:
    if word.endswith(("'s", "s'")):
        word = word[:-2] if word.endswith("'s") else word[:-1]
    if len(word) <= 3:
        return word
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "ies", "sses", "ches",
                                                  "shes", "xes")):  # fmt: skip
        word = word[:-1]
    for suffix, replacement in _RULES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "lsz":  # "planned": "plan"
        word = word[:-1]
    return word


def _table() -> dict[str, str]:
    table = {}
    for group in EQUIVALENTS:
        first, *others = group.split()
        for word in others:
            table[_stem(word)] = _stem(first)
    return table


_EQUIVALENT = _table()


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """The stem a word means, its equivalents folded in; "" for a stop word."""
    # casefold, not lower: "ß" and a capitalized "Ss" at a sentence's start are one word.
    word = word.casefold().replace("’", "'")
    if word in STOP_WORDS:
        return ""
    root = _stem(word)
    return _EQUIVALENT.get(root, root)


class _Stems(dict):
    """`STEMS[word]` is `stem(word)`, kept once read: a hit is one dict lookup in C, where the
    LRU cache's wrapper also moves the entry to the front of its list (a draft maps some
    four hundred words). Emptied at the LRU cache's size, so it stays as small."""

    def __missing__(self, word: str) -> str:
        if len(self) >= 16384:
            self.clear()
        value = self[word] = stem(word)
        return value


STEMS = _Stems()


# Speed: the word pattern tests Unicode classes at every character (a few hundred machine
# instructions each). A Latin-1 text is read as bytes instead, one byte a character: its
# letters kept, apostrophes kept, everything else a space, then split, all in C.
_WORD_BYTES = bytes(  # [^\W\d_] is a letter or a number other than a decimal digit
    c if (chr(c).isalnum() and not chr(c).isdecimal()) or c == 39 else 32 for c in range(256)
)


def words(text: str) -> list[str]:
    """The words of `text` (hyphenated words split: "opt-in" is "opt" and "in")."""
    shaped = _shaped(text)
    return _WORD.findall(text) if shaped is None else _split(shaped)


def sentence_words(text: str, spans: list[tuple[int, int]]) -> list[list[str]]:
    """`words(text[start:end])` for each (start, end) of `spans`: a Latin-1 text read once,
    another sentence by sentence (most of its sentences may be Latin-1)."""
    shaped = _shaped(text)
    if shaped is None:
        return [words(text[start:end]) for start, end in spans]
    if not spans:
        return []
    starts, ends = zip(*spans, strict=True)
    cut = map(slice, starts, ends)
    if "'" not in shaped:
        return list(map(str.split, map(shaped.__getitem__, cut)))  # in C, no loop of steps
    if _tiled(shaped, starts, ends):
        # The stray apostrophes of the whole text dropped at once (`_split`): the same for a
        # span whose edges are spaces or the text's, as a draft's sentences are.
        return list(map(str.split, map(_spaced(shaped)[1:].__getitem__, cut)))
    spaced = _spaced(shaped)
    return [
        spaced[start + 1 : end + 1].split()
        if (not start or shaped[start - 1 : start] == " ") and shaped[end : end + 1] in _EDGE
        else _split(shaped[start:end])
        for start, end in spans
    ]


def _tiled(shaped: str, starts: tuple[int, ...], ends: tuple[int, ...]) -> bool:
    """Whether the spans tile `shaped` (each starts where the last ends, from 0 to its end)
    and a space comes just before each inner edge: there no word, and no run of apostrophes,
    crosses an edge, so a span's words are those of the whole text between its edges."""
    inner = starts[1:]
    return (
        starts[0] == 0
        and ends[-1] == len(shaped)
        and inner == ends[:-1]
        and all(inner)
        and not any(map(" ".__ne__, map(shaped.__getitem__, map((-1).__add__, inner))))
    )


_EDGE = (" ", "")


def _shaped(text: str) -> str | None:
    """A Latin-1 text with its letters and apostrophes kept and all else a space (offsets
    kept), or None for other text. Characters beyond Latin-1 that never stand in a word
    (`_NOT_IN_WORDS`) are spaces too: with them, a text is shaped as a Latin-1 one."""
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        for char in _NOT_IN_WORDS:
            text = text.replace(char, " ")
        try:
            raw = text.encode("latin-1")
        except UnicodeEncodeError:
            return None
    return raw.translate(_WORD_BYTES).decode("latin-1")


# Dashes, an ellipsis, quotes (not "’", an apostrophe in a word) and spaces beyond Latin-1:
# no word holds one (`_WORD`), so each parts words as a space does. "—" is in a fifth of the
# drafts, and reading their words by the pattern tests a Unicode class at every character.
_NOT_IN_WORDS = "—–…•“”‘€−→™\u2009\u202f"


def _split(shaped: str) -> list[str]:
    if "'" not in shaped:
        return shaped.split()
    return _spaced(shaped).split()


def _spaced(shaped: str) -> str:
    """`shaped` with a space on either side and each apostrophe that is not between two
    letters a space (offsets one on)."""
    # An apostrophe joins two letters ("it's"), no more: "''" parts words, and one at either
    # end of a token is not the word's. Each such apostrophe becomes a space, by replace() in C
    # rather than a loop over the tokens: "''" first, so the ones left stand alone.
    spaced = " " + shaped.replace("''", "  ") + " "
    return spaced.replace(" '", "  ").replace("' ", "  ")


def stems(text: str) -> set[str]:
    """The meaningful stems of `text`."""
    found = set(map(STEMS.__getitem__, words(text)))
    found.discard("")
    return found
