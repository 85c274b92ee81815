"""The coverage and call-to-action fast paths give what the plain way gives: the best window of
sentences found without reading past one that holds all the draft has of an item, and a
sentence's request test on the draft's lower case, the words of each sentence read from the
whole draft, a word's stem and syllables kept in a plain dict, an ask's texts pre-tested for
suspicious text all at once, the windows of sentences joined in C, promises sought in a
Latin-1 draft lowered by its table."""

from __future__ import annotations

import random
from itertools import pairwise

from pitchgen.ask.suspicious import _hinted
from pitchgen.checks import cta
from pitchgen.checks.coverage import WINDOW, DraftTerms
from pitchgen.checks.draftview import Draft
from pitchgen.checks.facts import lower
from pitchgen.checks.promises import _PROMISE, _promises
from pitchgen.checks.readability import _SYLLABLES, _syllables
from pitchgen.checks.wordstems import STEMS, sentence_words, stem, words


def plain_best_window(terms: DraftTerms, roots: set[str]) -> set[str]:
    best: set[str] = set()
    for window in terms.windows:
        here = roots & window
        if len(here) > len(best):
            best = here
            if len(best) == len(roots):
                break
    return best


def test_the_best_window_is_the_first_with_the_most() -> None:
    rng = random.Random(5)
    vocabulary = [f"w{i}" for i in range(30)]
    for _ in range(3000):
        sentences = [" ".join(rng.sample(vocabulary, rng.randint(0, 6))) + ". "
                     for _ in range(rng.randint(0, 9))]  # fmt: skip
        spans, at = [], 0
        for sentence in sentences:
            spans.append((at, at + len(sentence)))
            at += len(sentence)
        terms = DraftTerms("".join(sentences), spans, [])
        if rng.random() < 0.3:
            terms.all |= set(rng.sample(vocabulary, 3))  # as `sums_up` adds the names said
        for _ in range(5):
            roots = set(rng.sample(vocabulary, rng.randint(0, 8)))
            assert terms.best_window(roots) == plain_best_window(terms, roots), (sentences, roots)


WORDS = (  # noqa: SIM905 - a table, easier to read as one
    "please Please let me know could you Could We would love I'd like need your look forward "
    "reply confirm RSVP decide meet call schedule book by May 4 x_please é İ ı K ſ — ? . ,"
).split()


def test_a_request_on_the_drafts_lower_case_is_as_on_its_own() -> None:
    rng = random.Random(6)
    requests = 0
    for _ in range(5000):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 10)))
        got = cta.is_request(text, lower(text))
        assert got == cta.is_request(text), text
        requests += got
    assert requests > 300


PIECES = ("it's", "we'd", "'quoted'", "''", "'", "rock'n'roll", "o'", "é", "—", "Ça", "x_y", "4")


def test_the_words_of_each_sentence_are_those_read_alone() -> None:
    rng = random.Random(8)
    for _ in range(4000):
        text = "".join(rng.choice((*PIECES, *WORDS)) + rng.choice(" \n.'") for _ in range(12))
        cuts = sorted(rng.sample(range(len(text) + 1), rng.randint(0, 5)))
        spans = list(pairwise([0, *cuts, len(text)]))  # as sentences tile a draft, or not
        spans += [(a, b) for a, b in [sorted(rng.sample(range(len(text) + 1), 2))]]
        assert sentence_words(text, spans) == [words(text[a:b]) for a, b in spans], text
        assert set(map(STEMS.__getitem__, words(text))) == set(map(stem, words(text)))


HINTS = ("todo", "ToDo", "act as", "act\nas", "you are now", "lorem", "x:", "<b>", "{{", "#",
         "İgnore", "ıgnore", "K", "ſ", "plain", "words", "to", "do", "\n", " ")  # fmt: skip


def test_an_asks_texts_joined_are_hinted_where_one_of_them_is() -> None:
    rng = random.Random(9)
    hinted = 0
    for _ in range(6000):
        texts = ["".join(rng.choice(HINTS) for _ in range(rng.randint(0, 4))) for _ in range(3)]
        if any(map(_hinted, texts)):
            hinted += 1
            assert _hinted("\n".join(texts)), texts
    assert hinted > 1000


def test_syllables_by_the_dict_are_by_the_function() -> None:
    for word in words(" ".join([*WORDS, "Élan", "NAME", "table", "Ça", "queue", "rhythm"])):
        assert _SYLLABLES[word] == _syllables(word.lower())


def test_the_windows_are_each_run_of_sentences_joined() -> None:
    rng = random.Random(10)
    for n in range(9):
        sentences = [set(rng.sample("abcdefgh", rng.randint(0, 4))) for _ in range(n)]
        terms = DraftTerms("", [], [])
        terms.sentences = sentences
        plain = [set().union(*sentences[i : i + WINDOW]) for i in range(max(1, n - WINDOW + 1))]
        assert terms.windows == plain


def test_promises_found_on_a_latin1_draft_are_those_the_pattern_finds() -> None:
    rng, found = random.Random(11), 0
    for _ in range(3000):
        text = " ".join(rng.choice(PROMISES) for _ in range(8))
        for variant in (text, text.lower()):
            got = [m.span() for m in _promises(_PROMISE, variant)]
            assert got == [m.span() for m in _PROMISE.finditer(variant)], variant
            found += bool(got)
    assert found > 500


PROMISES = (  # noqa: SIM905 - a table, easier to read as one
    "We we I i you You'll we'd I’d will also gladly cover send the slides get a seat travel "
    "WE YOU É é ß — İ K x_we ."
).split()


def test_a_span_is_in_a_name_as_a_walk_of_the_names_finds() -> None:
    rng = random.Random(12)
    for _ in range(3000):
        names = [(a, a + rng.randint(1, 12)) for a in rng.sample(range(40), rng.randint(0, 5))]
        draft = Draft(None, None, "")  # type: ignore[arg-type]
        draft.__dict__["named"] = names
        for _ in range(10):
            start = rng.randint(0, 50)
            span = (start, start + rng.randint(0, 8))
            plain = any(a <= span[0] and span[1] <= b for a, b in names)
            assert draft.in_name(span) == plain, (names, span)
