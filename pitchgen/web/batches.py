"""A batch on the review page: `/review?batch=ID` lists its drafts together under a panel with
its progress and the model calls of its drafts summed, and one button approves every one of
them whose must checks pass (the others are refused and stay in review for a person's look)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from pitchgen.errors import InvalidInput, NotFound, Problem
from pitchgen.service import Service
from pitchgen.web.access import posted, state
from pitchgen.web.pages import ReviewRoute, error, redirect

__all__ = ["batch_panel", "router"]

router = APIRouter(prefix="/review", route_class=ReviewRoute, include_in_schema=False)


def batch_panel(service: Service, batch_id: str, query: Mapping[str, str]) -> dict[str, Any]:
    """What the list shows above a batch's drafts; an unknown batch is a filter problem."""
    try:
        batch = service.batches.get(batch_id)
    except NotFound:
        raise InvalidInput([Problem("batch", f"no batch with id {batch_id}")]) from None
    approved, refused = query.get("approved", ""), query.get("refused", "")
    message = None
    if approved.isdigit() and refused.isdigit():
        message = f"Approved {approved} draft{'s' if approved != '1' else ''}." + (
            f" {refused} with a failing must check {'were' if refused != '1' else 'was'}"
            " not approved: open each to fix it, or approve it with a reason."
            if refused != "0"
            else ""
        )
    return {"batch": batch, "message": message, "usage": service.batches.usage(batch_id).total}


@router.post("/batches/{batch_id}/approve")
async def approve_passing(request: Request, batch_id: str) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    who = posted(request, form)
    service = state(request).service
    try:
        done = await run_in_threadpool(service.batches.approve_passing, batch_id, who.name)
    except NotFound:
        return error(request, 404, "No such batch", f"There is no batch with id {batch_id}.")
    counts = {"approved": len(done.approved), "refused": len(done.refused)}
    return redirect(f"/review?{urlencode({'batch': batch_id, **counts})}")
