"""Every model attempt behind a draft is on its ledger: the model, latency, tokens, retries,
whether it re-asked and what became of it, and a cost estimate from the operator's prices."""

from __future__ import annotations

from pathlib import Path

import pytest
from synthetic_fixtures import CASES

from pitchgen.content.ledger import ModelCall, usage_of
from pitchgen.drafting.pipeline import adraft
from pitchgen.llm.client import LLMClient
from pitchgen.llm.recordings import FixtureStore
from pitchgen.settings import Settings

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "llm"
MODEL = "synthetic-hand-written"
PRICED = {MODEL: {"prompt": 1.0, "completion": 2.0}}  # per million tokens


async def ledger_of(name: str, settings: Settings, fixtures: Path = FIXTURES):
    (case,) = [c for c in CASES if c.name == name]
    store = FixtureStore(fixtures, strict=fixtures == FIXTURES)
    async with LLMClient(settings, mode="replay", store=store) as client:
        result = await adraft(case.ask(), [case.channel], settings=settings, client=client)
    return result.drafts[0]


async def test_a_reask_that_fixes_the_draft_shows_both_calls_and_their_cost() -> None:
    made = await ledger_of("reask-fixed", Settings(prices=PRICED))
    assert made.source == "llm"
    first, second = made.model_calls
    assert (first.attempt, first.reask, first.outcome) == (1, False, "rejected")
    assert first.reason and "invalid_output" not in first.reason  # a check's name, no text
    assert (second.attempt, second.reask, second.outcome, second.reason) == (
        2, True, "accepted", None,
    )  # fmt: skip
    for call in made.model_calls:
        assert call.model == MODEL
        assert (call.prompt_tokens, call.completion_tokens, call.retries) == (100, 50, 0)
        assert call.cost == pytest.approx((100 * 1.0 + 50 * 2.0) / 1_000_000)
        assert call.latency_ms >= 0


async def test_a_draft_that_fails_twice_says_why_each_call_was_rejected() -> None:
    made = await ledger_of("invented-money", Settings())
    assert made.fallback_reason == "llm_invalid_output"
    assert [c.outcome for c in made.model_calls] == ["rejected", "rejected"]
    assert all("grounded" in (c.reason or "") for c in made.model_calls)
    assert [c.cost for c in made.model_calls] == [None, None]  # no prices: no estimate


async def test_a_model_that_cannot_answer_leaves_a_failed_call_with_the_reason(
    tmp_path: Path,
) -> None:
    made = await ledger_of("happy-email", Settings(), fixtures=tmp_path)  # nothing recorded
    assert made.fallback_reason == "replay_miss"
    (call,) = made.model_calls
    assert (call.outcome, call.reason, call.prompt_tokens, call.cost) == (
        "failed", "replay_miss", 0, None,
    )  # fmt: skip


async def test_template_drafts_made_without_a_model_have_no_calls() -> None:
    from pitchgen.ask import Channel

    (case,) = [c for c in CASES if c.name == "happy-email"]
    result = await adraft(case.ask(), [Channel.email], settings=Settings(llm="off"))
    assert result.drafts[0].model_calls == []


def call(**fields) -> ModelCall:
    base = {"attempt": 1, "reask": False, "model": "m", "outcome": "accepted", "latency_ms": 10}
    return ModelCall(**(base | fields))


def test_usage_sums_calls_and_keeps_unpriced_ones_apart() -> None:
    usage = usage_of(
        [
            ([call(prompt_tokens=10, completion_tokens=5, cost=0.5)], None),
            ([call(outcome="rejected", prompt_tokens=7, completion_tokens=3, retries=2),
              call(attempt=2, reask=True, prompt_tokens=1, completion_tokens=1, cost=0.25)],
             None),
            ([call(outcome="failed", latency_ms=0)], "llm_unavailable"),
            ([], "llm_off"),
        ]
    )  # fmt: skip
    assert (usage.drafts, usage.model_calls, usage.reasks, usage.retries) == (4, 4, 1, 2)
    assert (usage.prompt_tokens, usage.completion_tokens) == (18, 9)
    assert usage.cost == pytest.approx(0.75)
    assert usage.unpriced_calls == 1  # the rejected call used tokens; the failed one none
    assert usage.fallbacks == {"llm_unavailable": 1, "llm_off": 1}
    assert usage_of([([call()], None)]).cost is None  # nothing priced: unknown, not free


def test_prices_match_a_dated_model_name_by_its_longest_entry() -> None:
    settings = Settings(
        prices={"gpt-4o": {"prompt": 2.5, "completion": 10}, "gpt-4o-mini": {"prompt": 0.15,
                "completion": 0.6}}
    )  # fmt: skip
    assert settings.price_for("gpt-4o-mini-2024-07-18").prompt == 0.15
    assert settings.price_for("gpt-4o").prompt == 2.5
    assert settings.price_for("llama") is None
    assert Settings().price_for("gpt-4o") is None  # none by default


def test_prices_come_from_the_environment_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PITCHGEN_PRICES", '{"m": {"prompt": 1, "completion": 3}}')
    assert Settings().price_for("m").cost(1_000_000, 1_000_000) == 4
