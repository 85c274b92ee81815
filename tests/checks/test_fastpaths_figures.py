"""The fact scanner's fast paths find exactly what the plain way finds: Latin-1 text lowered by a
byte table, a number in digits read with what follows it in one match, number words looked up
among a text's ASCII words where it has characters beyond Latin-1, a draft's lower case handed
to the "costs nothing" test."""

from __future__ import annotations

import random
import re

from pitchgen.checks import cta, figures
from pitchgen.checks.facts import lower
from pitchgen.checks.textindex import TextIndex
from pitchgen.checks.wordstems import STOP_WORDS

WORDS = [
    *(  # noqa: SIM905 - a table, easier to read as one
        "one two three eight eighteen eighty hundred thousand million dozen pair a an and of "
        "someone often 4 12 2027 2,500 2.5k 3 M mn bn 5% percent per cent USD usd dollars euros "
        "pounds sterling minutes 80-seat five-minute one-hour minute's Young Leaders Network é É "
        "ß — – İ ı K ſ ² ٣ x_1 ’ ' -"
    ).split(),
    *("costs you nothing", "free of charge", "at no cost", "we will cover all", "won't pay"),
]
SEPS = (" ", " ", "", "\n", "-", "'", ", ", ". ", "—")


def texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(rng.choice(WORDS) + rng.choice(SEPS) for _ in range(rng.randint(1, 12)))
        for _ in range(n)
    ]


def test_lower_case_by_the_latin1_table_is_str_lower() -> None:
    latin1 = "".join(map(chr, range(256)))
    assert lower(latin1) == latin1.lower() == TextIndex(latin1).low
    for text in texts(3000, seed=1):
        assert TextIndex(text).low == lower(text)
        if len(text.lower()) == len(text):
            assert lower(text) == text.lower()
        else:  # "İ": character for character, so offsets hold
            assert lower(text) == "".join(c if c == "İ" else c.lower() for c in text)


def test_a_number_in_digits_reads_what_follows_as_matches_of_their_own_do() -> None:
    unit_alone = re.compile(figures._UNIT_SOURCE)
    checked = 0
    for text in texts(5000, seed=2):
        for n in figures._scan(TextIndex(text)):
            if n.after is None:
                continue  # in words: read afterwards, the plain way
            checked += 1
            assert n.after == figures._after(text, n.end), text
            unit = unit_alone.match(text, n.end)
            if unit and unit["unit"].lower() not in STOP_WORDS:
                assert (n.unit, n.unit_end) == (unit["unit"].lower(), unit.end()), text
            else:
                assert (n.unit, n.unit_end) == ("", n.end), text
    assert checked > 2000


def test_number_words_beyond_latin1_are_found_as_by_searching_the_text() -> None:
    compared = 0
    for text in texts(5000, seed=3):
        index, searched = TextIndex(text), TextIndex(text)
        # The plain way: every number word searched for in the lower case.
        searched.__dict__["ascii_words"] = frozenset(key for _, key in figures._PART_KEYS)
        if index.latin1 is None:
            compared += 1
        assert figures._scan(index) == figures._scan(searched), text
    assert compared > 1000


def test_costs_nothing_with_the_drafts_lower_case_is_as_without() -> None:
    found = 0
    for text in texts(4000, seed=4):
        got = cta.costs_nothing(text, "Young Leaders Network", lower(text))
        assert got == cta.costs_nothing(text, "Young Leaders Network"), text
        found += got is not None
    assert found > 100


def test_numbers_come_in_reading_order_as_the_facts_merge_reads_them() -> None:
    rng = random.Random(5)
    for text in texts(4000, seed=5):
        taken = bytearray(rng.random() < 0.2 for _ in text)
        found = figures.numbers(TextIndex(text), taken)
        assert found == sorted(found, key=lambda f: (f[0], -f[1])), text
