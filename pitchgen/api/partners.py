"""`/v1/partners`: the partner directory (list, create, read, change, import, export) and
`POST /v1/partners/suggest`, each route one `Service.partners` call, as `pitchgen partners`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, WrapValidator
from starlette.responses import Response

from pitchgen.api.jsonbody import JsonRoute
from pitchgen.api.problems import problem_responses
from pitchgen.ask import Ask
from pitchgen.errors import InvalidInput, Problem
from pitchgen.partners.model import DirectoryPartner
from pitchgen.service import Service
from pitchgen.service.partners import MAX_TOP, Suggestions
from pitchgen.store.followrows import Commitment, Outcome

__all__ = ["router"]

router = APIRouter(
    prefix="/v1", route_class=JsonRoute, responses=problem_responses(401, 422, 429, 500, 503)
)

PartnerId = Annotated[str, Path(max_length=64, description="A partner's id (a UUID).")]
_TYPES = {
    "text/csv": "csv",
    "application/yaml": "yaml",
    "application/x-yaml": "yaml",
    "text/yaml": "yaml",
}


def _ranking_ask(value: Any, _handler: Any) -> Ask:
    from pitchgen.partners.asking import for_ranking

    try:
        return for_ranking(value)
    except InvalidInput as exc:
        raise InvalidInput(
            [Problem(f"ask.{p.path}" if p.path else "ask", p.message) for p in exc.problems]
        ) from None


class SuggestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ask: Annotated[Ask, WrapValidator(_ranking_ask)] = Field(
        description="The ask; its `partner` block may be left out."
    )
    top: int = Field(default=10, ge=1, le=MAX_TOP)
    today: dt.date | None = Field(
        default=None, description="Judge recency as of this day (default: today, UTC)."
    )


class PartnerList(BaseModel):
    partners: list[DirectoryPartner]


class AskMade(BaseModel):
    ask_id: str
    created_at: dt.datetime
    sender: str
    project: str
    need_type: str
    drafts: list[dict[str, str]]
    outcome: Outcome | None = Field(default=None, description="The standing outcome, if any.")


class PartnerDetail(DirectoryPartner):
    """An entry with what the store knows of it: the asks made to it, and when it was last asked."""

    asks: list[AskMade]
    last_asked_any: dt.date | None = Field(
        default=None, description="The later of `last_asked` and the newest ask in the store."
    )
    we_owe: list[Commitment] = Field(default=[], description="Our open promises to them.")
    they_owe: list[Commitment] = Field(default=[], description="Theirs to us, still open.")


class ImportReport(BaseModel):
    created: list[str]
    updated: list[str]
    unchanged: list[str]


def _service(request: Request) -> Service:
    return request.app.state.service


async def _run(fn: Any, *args: Any) -> Any:
    return await run_in_threadpool(fn, *args)


def _json(model: BaseModel, status: int = 200) -> Response:
    return Response(model.model_dump_json(), status, media_type="application/json")


@router.get("/partners", response_model=PartnerList, summary="The partner directory, by name")
async def list_partners(
    request: Request,
    q: Annotated[str | None, Query(max_length=200, description="Name, focus or tag.")] = None,
    need: Annotated[str | None, Query(max_length=20, description="Offers this need type.")] = None,
) -> Response:
    service = _service(request)
    return _json(PartnerList(partners=await _run(service.partners.list, q, need)))


@router.post(
    "/partners",
    status_code=201,
    response_model=DirectoryPartner,
    responses=problem_responses(400, 409, 413),
    summary="Add a partner (409 when the organization is in the directory already)",
)
async def create_partner(
    request: Request, body: Annotated[dict[str, Any], Body(description="PartnerFields")]
) -> Response:
    service = _service(request)
    return _json(await _run(service.partners.create, body), 201)


@router.get(
    "/partners/export",
    summary="The directory as CSV (formulas defused) or YAML",
    response_class=Response,
)
async def export_partners(
    request: Request, format: Annotated[str, Query(pattern="^(csv|yaml)$")] = "csv"
) -> Response:
    service = _service(request)
    text = await _run(service.partners.export, format)
    media = "text/csv; charset=utf-8" if format == "csv" else "application/yaml; charset=utf-8"
    disposition = f'attachment; filename="partners.{format}"'
    return Response(text, media_type=media, headers={"Content-Disposition": disposition})


@router.get(
    "/partners/{partner_id}",
    response_model=PartnerDetail,
    responses=problem_responses(404),
    summary="One partner, with every ask made to it",
)
async def get_partner(request: Request, partner_id: PartnerId) -> Response:
    service = _service(request)
    page = await _run(service.partners.page, partner_id)
    asks = [
        AskMade(
            ask_id=a.ask_id,
            created_at=a.created_at,
            sender=a.sender,
            project=a.project,
            need_type=a.need_type,
            drafts=[{"id": d, "channel": c, "status": s} for d, c, s in a.drafts],
            outcome=page.outcomes.get(a.ask_id),
        )
        for a in page.asks
    ]
    detail = PartnerDetail(
        **dict(page.partner),
        asks=asks,
        last_asked_any=page.last_asked,
        we_owe=page.owed,
        they_owe=page.owing,
    )
    return _json(detail)


@router.patch(
    "/partners/{partner_id}",
    response_model=DirectoryPartner,
    responses=problem_responses(400, 404, 409, 413),
    summary="Change a partner's fields (those given; an empty value clears one)",
)
async def patch_partner(
    request: Request,
    partner_id: PartnerId,
    body: Annotated[dict[str, Any], Body(description="Some of PartnerFields")],
) -> Response:
    service = _service(request)
    return _json(await _run(service.partners.update, partner_id, body))


@router.post(
    "/partners/import",
    response_model=ImportReport,
    responses=problem_responses(400, 413, 415),
    summary="Import a CSV (text/csv) or YAML file: all of it, or nothing and every problem",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    },
)
async def import_partners(
    request: Request,
    map: Annotated[
        list[str] | None,
        Query(description="Another export's column to a field: 'Account Name=organization'."),
    ] = None,
    encoding: Annotated[str, Query(max_length=40)] = "utf-8",
) -> Response:
    """Rows are matched by `id` when given, else by organization (see the identity rule); any
    problem is a 422 naming each bad cell by line and column, and nothing is imported."""
    from pitchgen.partners.files import parse_header_map

    media = request.headers.get("content-type", "text/csv").split(";")[0].strip().lower()
    fmt = _TYPES.get(media)
    if fmt is None:
        raise InvalidInput([Problem("", "send the file as text/csv or application/yaml")])
    mapping = parse_header_map(map or [])
    raw = await request.body()
    service = _service(request)
    result = await _run(lambda: service.partners.import_file(raw, fmt, mapping, encoding=encoding))
    return _json(ImportReport(**vars(result)))


@router.post(
    "/partners/suggest",
    response_model=Suggestions,
    responses=problem_responses(400, 413),
    summary="The partners that fit an ask, best first, each score broken into parts",
)
async def suggest_partners(request: Request, body: SuggestRequest) -> Response:
    """Each suggestion's `score` is the sum of its `parts` (need type offered; focus and tags
    matching the project and need; room size; region or reach; history and outcomes; asked
    recently, which counts against). One `beyond_usual_allies` pick is kept when one
    qualifies: a fit with no prior relationship, of a kind the sender's allies are not."""
    service = _service(request)
    result = await _run(service.partners.suggest, body.ask, body.top, body.today)
    return _json(result)
