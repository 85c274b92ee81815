"""`GET /v1/asks/{ask_id}/usage`: the ledger of an ask's drafts, summed (each draft's own model
calls are on the draft, `model_calls`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from pitchgen.api.problems import problem_responses
from pitchgen.api.routes import _run, _service
from pitchgen.content.ledger import AskUsage

__all__ = ["router"]

router = APIRouter(prefix="/v1", responses=problem_responses(401, 422, 429, 500, 503))

AskId = Annotated[str, Path(max_length=64, description="An ask's id (`ask_id` of its drafts).")]


@router.get(
    "/asks/{ask_id}/usage",
    response_model=AskUsage,
    responses=problem_responses(404),
    summary="The model calls behind an ask's drafts: tokens, retries, re-asks, fallbacks, cost",
)
async def ask_usage(request: Request, ask_id: AskId) -> Response:
    """`cost` is estimated at the operator's `PITCHGEN_PRICES` when each call was made, and is
    null when no call's model had a price (`unpriced_calls` counts those)."""
    service = await _service(request)
    usage = await _run(service.usage, [ask_id])
    return Response(usage.model_dump_json(), media_type="application/json")
