"""The ledger of model calls behind drafts: each attempt (`ModelCall`) with its model, latency,
tokens, retries, whether it was the re-ask and what became of it, and an estimated cost from
the operator's price table; `Usage` sums them over any drafts (a draft, an ask, a batch).

Cost is estimated when the call is made, at the prices then in force, and stays None for a
model the price table does not list: an unknown price is never counted as free.
May import: nothing beyond pydantic.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["AskUsage", "CallOutcome", "DraftUsage", "ModelCall", "Usage", "usage_of"]

# accepted: its reply became the draft. rejected: a reply came but failed the checks or did
# not parse (re-asked, or the template took over). failed: no usable reply (`reason` is the
# fallback reason: llm_unavailable, llm_rejected, circuit_open, replay_miss).
CallOutcome = Literal["accepted", "rejected", "failed"]


# Built on first use (defer_build): a draft's ledger is validated inside the draft, and the
# sums only where usage is shown.
_PART = ConfigDict(defer_build=True)


class ModelCall(BaseModel):
    model_config = _PART

    attempt: int = Field(ge=1, description="1 for the first ask, 2 for the re-ask.")
    reask: bool = Field(description="Whether this call re-asked after a rejected reply.")
    model: str | None = Field(description="The model that answered, or the one asked.")
    outcome: CallOutcome
    reason: str | None = Field(
        default=None,
        description="Why it was rejected (the failed checks' ids) or failed (the fallback reason).",
    )
    latency_ms: float = Field(ge=0, description="From asking to the answer, retries included.")
    prompt_tokens: int = Field(default=0, ge=0)
    completion_tokens: int = Field(default=0, ge=0)
    retries: int = Field(default=0, ge=0, description="Transport retries within this call.")
    cost: float | None = Field(
        default=None,
        description="Estimated from PITCHGEN_PRICES when it was made; null when unpriced.",
    )
    request_id: str | None = Field(default=None, description="The request that made it.")


class Usage(BaseModel):
    """Model calls summed over some drafts."""

    model_config = _PART

    drafts: int = 0
    model_calls: int = 0
    reasks: int = 0
    retries: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: float = 0.0
    cost: float | None = Field(
        default=None, description="The priced calls' estimated cost; null when none is priced."
    )
    unpriced_calls: int = Field(
        default=0, description="Calls that used tokens of a model with no price."
    )
    fallbacks: dict[str, int] = Field(
        default_factory=dict, description="Template drafts by their fallback reason."
    )

    def summary(self) -> str:
        """The sum in words, as the review page and `pitchgen batch status` show it."""
        said = (
            f"{self.model_calls} model calls, {self.reasks} re-asks, {self.retries} retries,"
            f" {self.prompt_tokens} / {self.completion_tokens} tokens"
        )
        if self.cost is not None:
            said += f", about {self.cost:.4f} at the operator's prices"
            if self.unpriced_calls:
                said += f" ({self.unpriced_calls} calls unpriced)"
        return said


def usage_of(drafts: Iterable[tuple[list[ModelCall], str | None]]) -> Usage:
    """The sum over drafts given as (their model calls, their fallback reason)."""
    usage = Usage()
    fallbacks: Counter[str] = Counter()
    cost: float | None = None
    for calls, fallback_reason in drafts:
        usage.drafts += 1
        if fallback_reason:
            fallbacks[fallback_reason] += 1
        for call in calls:
            usage.model_calls += 1
            usage.reasks += call.reask
            usage.retries += call.retries
            usage.prompt_tokens += call.prompt_tokens
            usage.completion_tokens += call.completion_tokens
            usage.latency_ms += call.latency_ms
            if call.cost is None:
                usage.unpriced_calls += call.prompt_tokens + call.completion_tokens > 0
            else:
                cost = (cost or 0.0) + call.cost
    usage.cost = cost
    usage.fallbacks = dict(fallbacks)
    return usage


class DraftUsage(BaseModel):
    model_config = _PART

    draft_id: str
    ask_id: str
    channel: str
    source: str
    fallback_reason: str | None
    usage: Usage


class AskUsage(BaseModel):
    """The ledger of some asks (one ask, or a batch's): the sum, and each draft's own."""

    model_config = _PART

    ask_ids: list[str]
    total: Usage
    drafts: list[DraftUsage]
