"""`/v1/batches`: one ask to many partners, as `pitchgen batch` runs it. `POST` validates every
partner (each problem at its path, `partners[3].email`) and the ask, stores the batch and
answers 202 at once; the items are drafted in the server (SQLite) or by `pitchgen worker`
(PostgreSQL). `GET /v1/batches/{id}` is its progress and every partner's outcome."""

from __future__ import annotations

import functools
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, WrapValidator
from starlette.responses import Response

from pitchgen.api.jsonbody import JsonRoute
from pitchgen.api.problems import problem_responses
from pitchgen.ask import Channel
from pitchgen.ask.roster import MAX_PARTNERS, PartnerRow, validate_partners
from pitchgen.errors import InvalidInput, Problem
from pitchgen.service import Service

__all__ = ["BatchCreated", "BatchRequest", "BatchStatus", "router"]

router = APIRouter(
    prefix="/v1", route_class=JsonRoute, responses=problem_responses(401, 422, 429, 500, 503)
)


def _partners(value: Any, _handler: Any) -> list[PartnerRow]:
    if not isinstance(value, list):
        raise InvalidInput([Problem("partners", "must be a list of partner blocks")])
    return validate_partners([(None, block) for block in value])


def _shared_ask(value: Any, _handler: Any) -> dict[str, Any]:
    # Validated with the partners by the service, which has the first partner to put in it.
    if not isinstance(value, dict):
        raise InvalidInput([Problem("ask", "must be a mapping of the ask's fields")])
    return value


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ask: Annotated[
        dict[str, Any],
        WrapValidator(_shared_ask),
        Field(description="The ask (as for POST /v1/drafts) without its `partner` block."),
    ]
    partners: Annotated[
        list[PartnerRow],
        WrapValidator(_partners),
        Field(
            description=f"One partner block per partner (1 to {MAX_PARTNERS:,}): organization,"
            " contact_name, contact_role, greet_as, short_name, email, focus, relationship.",
            json_schema_extra={"minItems": 1, "maxItems": MAX_PARTNERS},
        ),
    ]
    channels: list[Channel] | None = Field(
        default=None, min_length=1, description="Default: the ask's own `channels`."
    )


class BatchWarning(BaseModel):
    path: str
    message: str


class BatchCreated(BaseModel):
    id: str
    total: int
    runner: str = Field(description="`local` (drafted in the server) or `queue` (the workers).")
    warnings: list[BatchWarning]


class BatchItem(BaseModel):
    id: str
    position: int
    partner: dict[str, Any]
    line: int | None
    state: str = Field(description="queued, running, done, failed or cancelled")
    attempts: int
    ask_id: str | None
    fallbacks: int
    drafts: list[dict[str, Any]]
    error: str | None
    updated_at: str


class BatchStatus(BaseModel):
    id: str
    status: str = Field(description="running, done or cancelled")
    runner: str
    channels: list[str]
    total: int
    counts: dict[str, int]
    done: int
    fallbacks: int
    source: str | None
    created_at: str
    cancelled_at: str | None
    items: list[BatchItem] | None = None


BatchId = Annotated[str, Path(max_length=64, description="A batch's id (a UUID).")]


async def _run(fn: Any, *args: Any, **kwargs: Any) -> Any:
    return await run_in_threadpool(functools.partial(fn, *args, **kwargs))


def _json(body: dict[str, Any], status: int = 200, headers: dict | None = None) -> Response:
    import json

    return Response(json.dumps(body), status, headers, media_type="application/json")


@router.post(
    "/batches",
    status_code=202,
    response_model=BatchCreated,
    responses=problem_responses(400, 413),
    summary="Draft one ask for many partners, in the background",
)
async def create_batch(request: Request, body: Annotated[BatchRequest, Body()]) -> Response:
    """Every partner and the ask are checked before anything is stored; then the batch is
    kept and 202 comes back with its id (`Location`: its progress)."""
    service: Service = request.app.state.service
    try:
        created = await _run(
            service.batches.create,
            body.ask,
            body.partners,
            body.channels,
            request.state.principal,
            source="api",
        )
    except InvalidInput as exc:
        raise InvalidInput(
            [Problem(f"ask.{p.path}" if p.path else "ask", p.message) for p in exc.problems]
        ) from None
    if created.runner == "local":
        service.batches.start(created.batch_id)
    return _json(
        {
            "id": created.batch_id,
            "total": created.total,
            "runner": created.runner,
            "warnings": [{"path": f"ask.{w.path}", "message": w.message} for w in created.warnings],
        },
        202,
        {"Location": f"/v1/batches/{created.batch_id}"},
    )


@router.get(
    "/batches/{batch_id}",
    response_model=BatchStatus,
    responses=problem_responses(404),
    summary="A batch's progress and every partner's outcome",
)
async def get_batch(request: Request, batch_id: BatchId) -> Response:
    from pitchgen.service.batches import batch_json

    service: Service = request.app.state.service
    batch = await _run(service.batches.get, batch_id)
    items = await _run(service.batches.items, batch_id)
    return _json(batch_json(batch, items))


@router.post(
    "/batches/{batch_id}/cancel",
    response_model=BatchStatus,
    responses=problem_responses(404),
    summary="Stop drafting the partners of a batch not yet started",
)
async def cancel_batch(request: Request, batch_id: BatchId) -> Response:
    from pitchgen.service.batches import batch_json

    service: Service = request.app.state.service
    return _json(batch_json(await _run(service.batches.cancel, batch_id)))
