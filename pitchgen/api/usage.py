"""The ledger summed: `GET /v1/asks/{ask_id}/usage` over an ask's drafts and
`GET /v1/batches/{batch_id}/usage` over a batch's (each draft's own model calls are on the
draft, `model_calls`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from pitchgen.api.jsonbody import JsonRoute
from pitchgen.api.problems import problem_responses
from pitchgen.api.routes import _run, _service
from pitchgen.content.ledger import AskUsage

__all__ = ["router"]

router = APIRouter(
    prefix="/v1", route_class=JsonRoute, responses=problem_responses(401, 422, 429, 500, 503)
)

AskId = Annotated[str, Path(max_length=64, description="An ask's id (`ask_id` of its drafts).")]
BatchId = Annotated[str, Path(max_length=64, description="A batch's id (a UUID).")]


def _json(usage: AskUsage) -> Response:
    return Response(usage.model_dump_json(), media_type="application/json")


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
    return _json(await _run(service.usage, [ask_id]))


@router.get(
    "/batches/{batch_id}/usage",
    response_model=AskUsage,
    responses=problem_responses(404),
    summary="The model calls behind a batch's drafts so far, summed, and each draft's own",
)
async def batch_usage(request: Request, batch_id: BatchId) -> Response:
    """As for an ask: `ask_ids` are the batch's asks drafted so far, in file order, and a
    batch with nothing drafted yet sums to zero."""
    service = await _service(request)
    return _json(await _run(service.batches.usage, batch_id))
