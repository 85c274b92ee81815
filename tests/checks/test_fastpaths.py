"""The checks' fast paths find exactly what the plain way finds: a case-blind pattern rebuilt
for lower-cased text (`needles.word_led`), the request and "costs nothing" tests on it, and
the runs of digits of a text with characters beyond Latin-1."""

from __future__ import annotations

import random
import re

import pytest

from pitchgen.checks import cta
from pitchgen.checks.needles import word_led
from pitchgen.checks.textindex import TextIndex

WORDS = (  # noqa: SIM905 - a table, easier to read as one
    "please Please let me know could you Could We would love I'd like we’d like need your "
    "look forward looking welcome reply confirm RSVP decide get back hear from meet call "
    "schedule touch base book costs cost nothing Nothing free of charge at no cost fee fees "
    "won't don’t pay spend anything a cent without owes contributes we will cover all "
    "x_please unplease é İ ı K ſ ? . , ' - 4"
).split()


def texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    spaces = (" ", " ", "", "\n", "-", "'")
    return [
        "".join(rng.choice(WORDS) + rng.choice(spaces) for _ in range(rng.randint(1, 9)))
        for _ in range(n)
    ]


@pytest.mark.parametrize(
    "alternation",
    [cta.REQUEST, rf"\b(?:{cta.CUES})", rf"\b(?:{cta.ANSWER_CUES})", cta.NOTHING],
)
def test_word_led_matches_the_case_blind_pattern_on_lower_case(alternation: str) -> None:
    blind, led = re.compile(alternation, re.IGNORECASE), word_led(alternation)
    found = 0
    for text in texts(4000, seed=len(alternation)):
        low = text.lower()
        if len(low) != len(text) or any(c in text for c in "İıKſ"):
            continue  # the callers keep the case-blind search for these
        want, got = blind.search(text), led.search(low)
        assert (want and want.span()) == (got and got.span()), text
        found += want is not None
    assert found >= 10  # the texts do reach the patterns


def test_word_led_refuses_a_branch_it_cannot_lead() -> None:
    with pytest.raises(ValueError, match="must start with a letter"):
        word_led(r"\b\d+ days")


def test_the_requests_and_costs_are_found_with_odd_cases_too() -> None:
    assert cta.is_request("Could you confirm by May 4?")
    assert cta.is_request("COULD YOU CONFIRM by May 4?")
    # Python's case-blind matching reads "İ" as an "i", and so do the checks on such a text.
    assert cta.is_request("Could you conf\u0130rm by May 4?")
    assert cta.costs_nothing("It COSTS you NOTHING.", "Us") == "COSTS you NOTHING"
    assert cta.costs_nothing("It costs you nothing, İstanbul.", "Us") == "costs you nothing"
    assert cta.asks_for_answer("Let me know your DECISION by May 4.")


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("October 11–17, 2027", [(8, 10), (11, 13), (15, 19)]),
        ("王小明 12 and 3", [(4, 6), (11, 12)]),
        ("٣4 — 5", [(0, 2), (5, 6)]),  # an Arabic-Indic three is a decimal digit too
    ],
)
def test_runs_of_digits_beyond_latin1(text: str, runs: list[tuple[int, int]]) -> None:
    assert TextIndex(text).runs == runs == [m.span() for m in re.finditer(r"\d+", text)]
