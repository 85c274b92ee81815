"""The follow-through's `/v1` routes (issue 14): a pitch's outcome, the commitments both ways,
drafting what is due, an ask's calendar. Each parses the request, calls one `service.follow`
method, and answers with JSON; inputs are checked by the service, so every problem comes back
at once, by its path, in the same words as the CLI's."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from pitchgen.api.jsonbody import JsonRoute
from pitchgen.api.problems import problem_responses
from pitchgen.service import Service
from pitchgen.store.followrows import Commitment, CommitmentEvent, Outcome

__all__ = ["router"]

router = APIRouter(
    prefix="/v1", route_class=JsonRoute, responses=problem_responses(401, 422, 429, 500, 503)
)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


_Author = Field(default=None, max_length=100, description="The person acting, for the audit log.")


class OutcomeRequest(_Body):
    # Plain text here: the service checks each value and names every problem at once.
    outcome: str = Field(description="replied, accepted, declined or no_answer.", max_length=40)
    note: str | None = Field(default=None, max_length=1000)
    at: str | None = Field(
        default=None, max_length=40, description="When it happened (ISO 8601); default now."
    )
    author: str | None = _Author


class OutcomeResponse(BaseModel):
    outcome: Outcome
    previous: str | None
    cancelled_follow_ups: list[str]
    follow_ups_being_sent: list[str]
    commitments_opened: list[Commitment]


class PublicCommitment(BaseModel):
    id: str
    ask_id: str
    owner: str
    what: str
    due: dt.date | None
    status: str
    source: str
    partner: str


class CommitmentList(BaseModel):
    commitments: list[PublicCommitment]


class CommitmentView(PublicCommitment):
    history: list[CommitmentEvent]


class DoneRequest(_Body):
    note: str | None = Field(default=None, max_length=1000)
    author: str | None = _Author


class SlipRequest(_Body):
    to: str | None = Field(default=None, max_length=40, description="The new due date.")
    note: str | None = Field(default=None, max_length=1000, description="Why (required).")
    author: str | None = _Author


class RunRequest(_Body):
    now: str | None = Field(
        default=None, max_length=40, description="The moment to act at (ISO 8601); default now."
    )


class MadeDraft(BaseModel):
    kind: str
    step: str
    draft_id: str
    ask_id: str


class RunResponse(BaseModel):
    now: dt.datetime
    drafted: list[MadeDraft]
    overdue_answers: list[str] = Field(
        description="Asks whose reply date passed with no answer: record `no_answer`."
    )


async def _run(fn: Any, *args: Any, **kwargs: Any) -> Any:
    return await run_in_threadpool(functools.partial(fn, *args, **kwargs))


def _service(request: Request) -> Service:
    return request.app.state.service


def _actor(request: Request, author: str | None) -> str:
    principal = request.state.principal
    return f"{author.strip()} ({principal})" if author and author.strip() else principal


def _json(model: BaseModel, status: int = 200) -> Response:
    return Response(model.model_dump_json(), status, media_type="application/json")


Id = Annotated[str, Path(max_length=64)]


@router.post(
    "/drafts/{draft_id}/outcome",
    response_model=OutcomeResponse,
    responses=problem_responses(400, 404, 409, 413),
    summary="What came of a pitch; any outcome cancels pending follow-ups, accepted opens the"
    " commitments",
)
async def record_outcome(request: Request, draft_id: Id, body: OutcomeRequest) -> Response:
    follow = _service(request).follow
    done = await _run(
        follow.record_outcome,
        draft_id,
        body.outcome,
        _actor(request, body.author),
        note=body.note,
        at=body.at,
    )
    return _json(
        OutcomeResponse(
            outcome=done.outcome,
            previous=done.previous,
            cancelled_follow_ups=done.cancelled,
            follow_ups_being_sent=done.held,
            commitments_opened=done.opened,
        ),
        201,
    )


def _public(c: Commitment) -> PublicCommitment:
    return PublicCommitment.model_validate(c.model_dump())


@router.get("/commitments", response_model=CommitmentList, summary="The commitments both ways")
async def list_commitments(
    request: Request,
    owner: Annotated[str | None, Query(max_length=10)] = None,
    status: Annotated[str | None, Query(max_length=10)] = None,
    due_before: Annotated[str | None, Query(max_length=40)] = None,
    ask_id: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    ledger = await _run(
        _service(request).follow.commitments,
        owner=owner or None,
        status=status or None,
        due_before=due_before or None,
        ask_id=ask_id or None,
    )
    return _json(CommitmentList(commitments=[_public(c) for c in ledger]))


async def _view(service: Service, commitment: Commitment) -> Response:
    history = await _run(service.follow.history, commitment.id)
    return _json(CommitmentView(**_public(commitment).model_dump(), history=history))


@router.get(
    "/commitments/{commitment_id}",
    response_model=CommitmentView,
    responses=problem_responses(404),
    summary="One commitment with its history",
)
async def get_commitment(request: Request, commitment_id: Id) -> Response:
    service = _service(request)
    return await _view(service, await _run(service.follow.commitment, commitment_id))


@router.post(
    "/commitments/{commitment_id}/done",
    response_model=CommitmentView,
    responses=problem_responses(400, 404, 409, 413),
    summary="A commitment kept",
)
async def commitment_done(
    request: Request, commitment_id: Id, body: DoneRequest | None = None
) -> Response:
    body = body or DoneRequest()
    service = _service(request)
    kept = await _run(
        service.follow.done, commitment_id, _actor(request, body.author), note=body.note
    )
    return await _view(service, kept)


@router.post(
    "/commitments/{commitment_id}/slip",
    response_model=CommitmentView,
    responses=problem_responses(400, 404, 409, 413),
    summary="A commitment will be late: its new date and why",
)
async def commitment_slip(request: Request, commitment_id: Id, body: SlipRequest) -> Response:
    service = _service(request)
    moved = await _run(
        service.follow.slip,
        commitment_id,
        _actor(request, body.author),
        to=body.to,
        note=body.note,
    )
    return await _view(service, moved)


@router.post(
    "/follow/run",
    response_model=RunResponse,
    responses=problem_responses(400, 413),
    summary="Draft the follow-ups, kick-offs and reminders that are due (idempotent)",
)
async def follow_run(request: Request, body: RunRequest | None = None) -> Response:
    body = body or RunRequest()
    report = await _run(_service(request).follow.run, body.now)
    return _json(
        RunResponse(
            now=report.now,
            drafted=[MadeDraft(**vars(m)) for m in report.drafted],
            overdue_answers=report.overdue_answers,
        )
    )


@router.get(
    "/asks/{ask_id}/calendar.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}, **problem_responses(404)},
    summary="Every dated commitment of an ask, as events with alarms (stable UIDs)",
)
async def ask_calendar(request: Request, ask_id: Id) -> Response:
    data = await _run(_service(request).follow.calendar, ask_id)
    disposition = f'attachment; filename="commitments-{ask_id[:8]}.ics"'
    return Response(data, media_type="text/calendar", headers={"Content-Disposition": disposition})


class GroupNumbers(BaseModel):
    name: str
    pitched: int
    answered: int
    accepted: int
    reply_rate: float | None
    acceptance_rate: float | None
    median_days_to_reply: float | None


class CommitmentNumbers(BaseModel):
    due_so_far: int
    kept_on_time: int
    late: int
    on_time_rate: float | None


class FollowStats(BaseModel):
    overall: GroupNumbers
    by_channel: list[GroupNumbers]
    by_need_type: list[GroupNumbers]
    commitments: CommitmentNumbers


@router.get(
    "/follow/stats",
    response_model=FollowStats,
    summary="Reply and acceptance rates by channel and need type, days to reply, promises kept",
)
async def follow_stats(request: Request) -> Response:
    numbers = await _run(_service(request).follow.stats)
    return _json(FollowStats.model_validate(numbers.as_dict()))
