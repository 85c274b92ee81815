"""How hard a text is to read: the Flesch-Kincaid US school grade, computed without a
dictionary so that checking a draft costs no start-up time."""

from __future__ import annotations

from functools import lru_cache

from pitchgen import patterns
from pitchgen.checks.wordstems import words as text_words

__all__ = ["grade_level"]

_FK_BREAK = patterns.compile(r"[.!?]+(?=\s|$)|\n")
_FK_WORD = patterns.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_VOWEL_GROUP = patterns.compile(r"[aeiouy]+")


@lru_cache(maxsize=8192)
def _syllables(word: str) -> int:
    """Vowel groups, less a silent final e ("name", not "table"): within a syllable or so of a
    dictionary on everyday words, at no start-up cost (textstat loads NLTK's cmudict, 150 ms,
    and pyphen's dictionary takes 80 ms to parse)."""
    count = len(_VOWEL_GROUP.findall(word))
    if count > 1 and word.endswith("e") and not word.endswith(("le", "ee", "ye")):
        count -= 1
    return max(count, 1)


class _Syllables(dict):
    """`_SYLLABLES[word]` is `_syllables(word.lower())`, kept once read: one dict lookup in C
    a word, where lower() and the LRU cache's wrapper cost two calls. Emptied at the LRU
    cache's size."""

    def __missing__(self, word: str) -> int:
        if len(self) >= 8192:
            self.clear()
        value = self[word] = _syllables(word.lower())
        return value


_SYLLABLES = _Syllables()


def grade_level(text: str) -> float:
    """Flesch-Kincaid grade. A line break ends a sentence too: a greeting and a signature are
    not run-on sentences. Addresses and links are not words a reader sounds out."""
    if "@" in text or "/" in text:
        text = " ".join(w for w in text.split(" ") if "@" not in w and "/" not in w)
    words = text_words(text)  # what _FK_WORD finds, read as bytes where it can
    if not words:
        return 0.0
    sentences = sum(1 for s in _FK_BREAK.split(text) if _FK_WORD.search(s)) or 1
    syllables = sum(map(_SYLLABLES.__getitem__, words))
    return 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59
