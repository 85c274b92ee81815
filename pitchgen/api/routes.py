"""The `/v1` routes: each parses the request, calls one `Service` method, and answers with JSON.

Handlers are `async`. Store writes go to the thread pool (`_run`), so a writer waiting on
SQLite's lock never stalls the event loop; so do reads that may wait, a PostgreSQL round trip.
A SQLite read (`_read`) never waits in WAL mode and takes less than the hop to a thread, so it
runs on the loop: in bench/api.py that cut a GET's server CPU by a quarter.
Responses are serialized once by pydantic and sent as they are (`_json`), while
`response_model` keeps the OpenAPI schema exact.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, BeforeValidator
from starlette.responses import Response

from pitchgen.api.bodies import (
    ApproveRequest,
    DraftPage,
    DraftRequest,
    EditRequest,
    EventList,
    RecommendationRequest,
    RejectRequest,
    ReopenRequest,
    RevisionList,
    SendRequest,
)
from pitchgen.api.examples import ASK_EXAMPLES, EDIT_EXAMPLES
from pitchgen.api.jsonbody import JsonRoute
from pitchgen.api.problems import problem_responses
from pitchgen.api.sending import SendPool
from pitchgen.ask import Channel
from pitchgen.content.models import DraftSet, Recommendation
from pitchgen.content.status import Status
from pitchgen.errors import InvalidInput, Problem
from pitchgen.export.files import Format
from pitchgen.service import Service
from pitchgen.store.idempotency import fingerprint
from pitchgen.store.repository import MAX_PAGE, MAX_REVISION_PAGE, REVISION_PAGE, StaleVersion
from pitchgen.store.rows import StoredDraft

__all__ = ["etag", "router"]

# 403 and 415: the guard refuses a state-changing request from another site's page or with a
# body that is not JSON, before any route sees it.
router = APIRouter(
    prefix="/v1",
    route_class=JsonRoute,
    responses=problem_responses(401, 403, 415, 422, 429, 500, 503),
)


# --- helpers -------------------------------------------------------------------------------------


async def _run(fn: Any, *args: Any, **kwargs: Any) -> Any:
    return await run_in_threadpool(functools.partial(fn, *args, **kwargs))


async def _service(request: Request) -> Service:
    """The service, its store open: opening it may wait on the database, so off the loop (once:
    a hop to a thread per request would cost more than a SQLite read)."""
    service: Service = request.app.state.service
    if service.opened is None:
        await _run(service.store)
    return service


async def _read(service: Service, fn: Any, *args: Any, **kwargs: Any) -> Any:
    reads_wait = service.opened is None or service.opened.reads_wait
    return await _run(fn, *args, **kwargs) if reads_wait else fn(*args, **kwargs)


def _actor(request: Request, author: str | None) -> str:
    principal = request.state.principal
    return f"{author.strip()} ({principal})" if author and author.strip() else principal


def etag(draft: StoredDraft) -> str:
    """Strong: every step moves `updated_at`, so equal tags mean an identical draft."""
    return f'"{draft.version}-{draft.updated_at.timestamp():.6f}"'


def _json(model: BaseModel, status: int = 200, headers: dict | None = None) -> Response:
    return Response(model.model_dump_json(), status, headers, media_type="application/json")


def _draft(draft: StoredDraft) -> Response:
    return Response(draft.as_json(), headers={"ETag": etag(draft)}, media_type="application/json")


async def _expected_version(
    service: Service, draft_id: str, version: int | None, if_match: str | None
) -> int | None:
    """The version the client last saw, from the body or from `If-Match`."""
    if if_match is None:
        return version
    current = await _read(service, service.get_draft, draft_id)
    tags = {t.strip().removeprefix("W/") for t in if_match.split(",")}
    if ("*" not in tags and etag(current) not in tags) or version not in (None, current.version):
        raise StaleVersion(current.id, current.version, current.status)
    return current.version


DRAFT_ID_MAX = 64
DraftId = Annotated[str, Path(max_length=DRAFT_ID_MAX, description="A draft's id (a UUID).")]
IfMatch = Annotated[
    str | None,
    Header(alias="If-Match", max_length=200, description="The ETag of the draft as you read it."),
]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=255,
        description="Makes a retry safe: the same key and body replay the first response.",
    ),
]


# --- routes ----------------------------------------------------------------------------------


@router.post(
    "/drafts",
    status_code=201,
    response_model=DraftSet,
    # 404: a `partner_id` the directory does not have.
    responses=problem_responses(400, 404, 409, 413),
    summary="Draft an ask for its channels, check and store the drafts",
)
async def create_drafts(
    request: Request,
    body: Annotated[DraftRequest, Body(openapi_examples=ASK_EXAMPLES)],
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Idempotent with `Idempotency-Key`: a retry with the same body gets the first response
    back (with `Idempotent-Replayed: true`) and drafts nothing; a different body gets 422."""
    service = await _service(request)
    ask = body.ask
    if body.partner_id is not None:
        data = ask.model_dump(mode="json", exclude_none=True)
        ask = await _run(service.partners.ask_for, data, body.partner_id)
    saved = await service.adraft_and_save(
        ask,
        body.channels,
        request.state.principal,
        idempotency_key=idempotency_key,
        fingerprint=fingerprint(await request.json()) if idempotency_key else "",
        partner_id=body.partner_id,
    )
    headers = {"Idempotent-Replayed": "true"} if saved.replayed else None
    return Response(saved.body, saved.status, headers, media_type="application/json")


# `?status=&channel=` (a form's empty fields) means no filter, as on the review page.
_EMPTY_IS_ABSENT = BeforeValidator(lambda value: value or None)


@router.get(
    "/drafts",
    response_model=DraftPage,
    summary="List drafts, newest first",
)
async def list_drafts(
    request: Request,
    status: Annotated[Status | None, _EMPTY_IS_ABSENT] = None,
    channel: Annotated[Channel | None, _EMPTY_IS_ABSENT] = None,
    partner: Annotated[
        str | None,
        Query(max_length=200, description="Part of the partner's name, any case."),
        _EMPTY_IS_ABSENT,
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    cursor: Annotated[str | None, Query(max_length=200), _EMPTY_IS_ABSENT] = None,
    batch: Annotated[
        str | None,
        Query(max_length=64, description="Only the drafts of this batch (its id)."),
        _EMPTY_IS_ABSENT,
    ] = None,
) -> Response:
    service = await _service(request)
    listing = await _read(
        service,
        service.list_drafts,
        status=status,
        channel=channel,
        partner=partner,
        limit=limit,
        cursor=cursor,
        batch=batch,
    )
    return _json(DraftPage(drafts=listing.drafts, next_cursor=listing.next_cursor))


@router.get(
    "/drafts/{draft_id}",
    response_model=StoredDraft,
    responses=problem_responses(404),
    summary="One draft with its checks; its ETag is for If-Match",
)
async def get_draft(request: Request, draft_id: DraftId) -> Response:
    service = await _service(request)
    return _draft(await _read(service, service.get_draft, draft_id))


@router.patch(
    "/drafts/{draft_id}",
    response_model=StoredDraft,
    responses=problem_responses(400, 404, 409, 413),
    summary="Edit a draft: a new revision, checks re-run",
)
async def edit_draft(
    request: Request,
    draft_id: DraftId,
    body: Annotated[EditRequest, Body(openapi_examples=EDIT_EXAMPLES)],
    if_match: IfMatch = None,
) -> Response:
    """`content` replaces the draft's content whole. Send the `version` you edited, or
    `If-Match` with its ETag; if the draft changed since, you get 409 and nothing is lost."""
    service = await _service(request)
    version = await _expected_version(service, draft_id, body.version, if_match)
    if version is None:
        raise InvalidInput(
            [Problem("version", "required: the version you edited (or an If-Match header)")]
        )
    actor = _actor(request, body.author)
    draft = await _run(service.edit, draft_id, body.content, version, actor, body.note)
    return _draft(draft)


Cursor = Annotated[
    str | None,
    Query(max_length=200, description="`next_cursor` of the previous page."),
    _EMPTY_IS_ABSENT,
]


@router.get(
    "/drafts/{draft_id}/revisions",
    response_model=RevisionList,
    responses=problem_responses(404),
    summary="A draft's revisions, oldest first, with who and when; a page at a time",
)
async def list_revisions(
    request: Request,
    draft_id: DraftId,
    limit: Annotated[int, Query(ge=1, le=MAX_REVISION_PAGE)] = REVISION_PAGE,
    cursor: Cursor = None,
) -> Response:
    service = await _service(request)
    page, next_cursor = await _read(
        service, service.revision_page, draft_id, limit=limit, cursor=cursor
    )
    return _json(RevisionList(revisions=page, next_cursor=next_cursor))


@router.get(
    "/drafts/{draft_id}/events",
    response_model=EventList,
    responses=problem_responses(404),
    summary="The draft's audit log, oldest first: who did what, when and why; a page at a time",
)
async def list_events(
    request: Request,
    draft_id: DraftId,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = MAX_PAGE,
    cursor: Cursor = None,
) -> Response:
    service = await _service(request)
    page, next_cursor = await _read(
        service, service.event_page, draft_id, limit=limit, cursor=cursor
    )
    return _json(EventList(events=page, next_cursor=next_cursor))


async def _decide(
    request: Request,
    draft_id: str,
    body: ApproveRequest | RejectRequest | ReopenRequest,
    if_match: str | None,
    action: str,
    reason: str | None,
) -> Response:
    """One review decision (approve, reject, reopen) at the version the client read."""
    service = await _service(request)
    version = await _expected_version(service, draft_id, body.version, if_match)
    actor = _actor(request, body.author)
    return _draft(await _run(service.decide, action, draft_id, actor, reason, version))


@router.post(
    "/drafts/{draft_id}/approve",
    response_model=StoredDraft,
    responses=problem_responses(400, 404, 409, 413),
    summary="Approve; refused (409) while a must check fails, unless an override reason is given",
)
async def approve_draft(
    request: Request,
    draft_id: DraftId,
    body: ApproveRequest | None = None,
    if_match: IfMatch = None,
) -> Response:
    body = body or ApproveRequest()
    return await _decide(request, draft_id, body, if_match, "approve", body.override_reason)


@router.post(
    "/drafts/{draft_id}/reject",
    response_model=StoredDraft,
    responses=problem_responses(400, 404, 409, 413),
    summary="Reject, with a reason",
)
async def reject_draft(
    request: Request, draft_id: DraftId, body: RejectRequest, if_match: IfMatch = None
) -> Response:
    return await _decide(request, draft_id, body, if_match, "reject", body.reason)


@router.post(
    "/drafts/{draft_id}/reopen",
    response_model=StoredDraft,
    responses=problem_responses(400, 404, 409, 413),
    summary="Back to draft: a rejected draft gets another chance, an approval is withdrawn",
)
async def reopen_draft(
    request: Request,
    draft_id: DraftId,
    body: ReopenRequest | None = None,
    if_match: IfMatch = None,
) -> Response:
    body = body or ReopenRequest()
    return await _decide(request, draft_id, body, if_match, "reopen", body.reason)


@router.post(
    "/drafts/{draft_id}/send",
    response_model=StoredDraft,
    responses=problem_responses(400, 404, 409, 413, 502, 503),
    summary="Send an approved email over SMTP, or mark an approved call or meeting as done",
)
async def send_draft(
    request: Request, draft_id: DraftId, body: SendRequest | None = None
) -> Response:
    body = body or SendRequest()
    service = await _service(request)
    actor = _actor(request, body.author)
    return _draft(await _senders(request).run(service.send, draft_id, actor))


def _senders(request: Request) -> SendPool:
    # Made on first use: with no await in between, two requests cannot both make one.
    state = request.app.state
    if getattr(state, "senders", None) is None:
        state.senders = SendPool(state.service.settings.smtp_concurrency)
    return state.senders


@router.get(
    "/drafts/{draft_id}/export",
    response_class=Response,
    responses={
        200: {
            "description": "The draft as a file; unapproved drafts carry a visible DRAFT mark.",
            "content": {
                t: {} for t in ("message/rfc822", "text/calendar", "text/markdown", "text/plain")
            },
        },
        **problem_responses(404),
    },
    summary="The draft as a file: eml (email), ics (meeting agenda), md or txt (any)",
)
async def export_draft(
    request: Request, draft_id: DraftId, format: Annotated[Format, Query()]
) -> Response:
    service = await _service(request)
    exported = await _read(service, service.export, draft_id, format)
    disposition = f'attachment; filename="{exported.filename}"'
    return Response(
        exported.data, media_type=exported.media_type, headers={"Content-Disposition": disposition}
    )


@router.post(
    "/recommendation",
    response_model=Recommendation,
    responses=problem_responses(400, 413),
    summary="The channel to lead with, and why",
)
async def recommendation(
    body: Annotated[RecommendationRequest, Body(openapi_examples=ASK_EXAMPLES)],
) -> Response:
    return _json(Service.recommend(body.ask))
