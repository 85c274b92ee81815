"""`POST /v1/checks`: the rubric on any draft, as `pitchgen check` runs it; nothing is stored."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body
from starlette.responses import Response

from pitchgen.api.bodies import CheckRequest
from pitchgen.api.examples import CHECK_EXAMPLES
from pitchgen.api.jsonbody import JsonRoute
from pitchgen.api.problems import problem_responses
from pitchgen.checks.report import CheckReport
from pitchgen.service import Service

__all__ = ["router"]

# 403 and 415: the guard refuses a state-changing request from another site's page or with a
# body that is not JSON, before any route sees it.
router = APIRouter(
    prefix="/v1",
    route_class=JsonRoute,
    responses=problem_responses(401, 403, 415, 422, 429, 500, 503),
)


@router.post(
    "/checks",
    response_model=CheckReport,
    responses=problem_responses(400, 413),
    summary="Run the rubric on a draft written anywhere; nothing is stored",
)
async def check(body: Annotated[CheckRequest, Body(openapi_examples=CHECK_EXAMPLES)]) -> Response:
    """`passed` is true when every must check passes. The checks are pure Python, a
    millisecond or so: they run on the event loop, as template drafting does."""
    report = Service.check(body.ask, body.channel, body.content)
    return Response(report.model_dump_json(), media_type="application/json")
