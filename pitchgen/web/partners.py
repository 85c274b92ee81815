"""The partner pages: the directory, searchable, and one partner as a coalition director reads
them before asking again: who they are, what we asked, what came of it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from pitchgen.errors import InvalidInput
from pitchgen.web.access import reviewer, state
from pitchgen.web.pages import ReviewRoute, render

__all__ = ["router"]

router = APIRouter(prefix="/review/partners", route_class=ReviewRoute, include_in_schema=False)


@router.get("")
def partner_list(request: Request) -> Response:
    who = reviewer(request)
    query = request.query_params.get("q", "").strip()[:200]
    need = request.query_params.get("need", "").strip()[:20]
    try:
        entries = state(request).service.partners.list(query or None, need or None)
        problems = []
    except InvalidInput as exc:
        entries, problems = [], exc.problems
    return render(
        request,
        "partners.html.j2",
        422 if problems else 200,
        who,
        partners=entries,
        query=query,
        need=need,
        problems=problems,
    )


@router.get("/{partner_id}")
def partner_page(request: Request, partner_id: str) -> Response:
    who = reviewer(request)
    page = state(request).service.partners.page(partner_id[:64])
    return render(request, "partner.html.j2", 200, who, page=page, entry=page.partner)
