"""A draft's ledger entries: each model attempt recorded (`ModelCall`), logged as one line
without any ask or draft text, and told to the process's observer (the server's metrics).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pitchgen import telemetry
from pitchgen.ask import Channel
from pitchgen.content.ledger import CallOutcome, ModelCall
from pitchgen.settings import Settings

if TYPE_CHECKING:
    import logging

    from pitchgen.llm.completion import Completion

__all__ = ["ledger_entry"]


def _log() -> logging.Logger:
    # Only a model call logs: a template draft does not load `logging`.
    import logging

    return logging.getLogger("pitchgen.drafting")


def ledger_entry(
    channel: Channel,
    settings: Settings,
    *,
    attempt: int,
    seconds: float,
    outcome: CallOutcome,
    reason: str | None,
    reply: Completion | None = None,
    retries: int = 0,
) -> ModelCall:
    """One model attempt for the draft's ledger, also logged (one line, no text) and counted."""
    model = (reply.model if reply else None) or settings.model
    prompt_tokens = reply.prompt_tokens if reply else 0
    completion_tokens = reply.completion_tokens if reply else 0
    price = settings.price_for(model)
    call = ModelCall(
        attempt=attempt,
        reask=attempt > 1,
        model=model,
        outcome=outcome,
        reason=reason,
        latency_ms=round(seconds * 1000, 1),
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        retries=reply.retries if reply else retries,
        cost=price.cost(prompt_tokens, completion_tokens) if price else None,
        request_id=telemetry.request_id.get(),
    )
    fields = call.model_dump(exclude={"request_id"})
    _log().info("model call", extra={"event": "model_call", "channel": channel.value, **fields})
    telemetry.observer().model_call(
        channel=channel.value,
        outcome=outcome,
        reason=reason,
        model=model,
        seconds=seconds,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        retries=call.retries,
        reask=call.reask,
        cost=call.cost,
    )
    return call
