"""The fast paths of a draft's words and requests give what the plain way gives: words read
from a text with dashes beyond Latin-1 as from a Latin-1 one, each sentence's words cut from
the whole text's, and a request found by the word-led patterns alone in a sentence of plain
case."""

from __future__ import annotations

import random

from pitchgen.checks import cta
from pitchgen.checks.facts import lower
from pitchgen.checks.needles import plain_case
from pitchgen.checks.wordstems import _NOT_IN_WORDS, _WORD, sentence_words, words

PIECES = ("it's", "we'd", "'quoted'", "''", "'''", "'", "rock'n'roll", "o'", "é", "Ça", "x_y",
          "4", "²", "ª", "ß", "’", "İ", "ł", "日本", "Word", "-", "9x", *_NOT_IN_WORDS)  # fmt: skip
GLUE = ("", " ", "'", "\n", ". ", "—", "? ")


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) + rng.choice(GLUE) for _ in range(rng.randint(0, 14)))


def test_words_are_those_the_pattern_finds() -> None:
    rng, beyond = random.Random(21), 0
    for _ in range(20000):
        text = _text(rng)
        assert words(text) == _WORD.findall(text), text
        beyond += not text.isascii()
    assert beyond > 10000


def test_the_words_of_sentences_that_tile_a_text_are_those_read_alone() -> None:
    rng = random.Random(22)
    for _ in range(8000):
        text = _text(rng)
        # Cut after spaces and line breaks, as a draft's sentences are, and anywhere.
        cuts = [i + 1 for i, char in enumerate(text) if char in " \n" and rng.random() < 0.4]
        if rng.random() < 0.3:
            cuts = sorted({*cuts, *rng.sample(range(len(text) + 1), min(2, len(text) + 1))})
        starts = [0, *cuts]
        spans = list(zip(starts, [*starts[1:], len(text)], strict=True))
        assert sentence_words(text, spans) == [words(text[a:b]) for a, b in spans], text


REQUEST_WORDS = (  # noqa: SIM905 - a table, easier to read as one
    "please Please let me know could you Could We would love I'd like need your look forward "
    "reply confirm RSVP decide meet call schedule book by May 4 x_please é ß — ? . , You're in"
).split()


def test_a_request_by_the_word_led_patterns_is_as_by_the_guarded_ones() -> None:
    rng, requests = random.Random(24), 0
    for _ in range(8000):
        sentence = " ".join(rng.choice(REQUEST_WORDS) for _ in range(rng.randint(1, 10)))
        assert plain_case(sentence)
        got = cta.is_request_plain(lower(sentence))
        assert got == cta.is_request(sentence), sentence
        requests += got
    assert requests > 500
