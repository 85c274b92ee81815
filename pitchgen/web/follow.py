"""The follow-through on the review pages: a pitch's outcome (a form, and a one-click "they
replied" on a sent email), and a page per ask with who owes what, by when, overdue first, kept
from the page (done, slip). Handlers parse the form, call one `service.follow` method, and
redirect (PRG) or show the page again with every problem by its field."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from pitchgen.errors import Conflict, InvalidInput, Problem
from pitchgen.service import Service
from pitchgen.service.follow import overdue
from pitchgen.store.rows import StoredDraft
from pitchgen.web.access import posted, reviewer, state
from pitchgen.web.pages import Reviewer, ReviewRoute, redirect, render

__all__ = ["outcome_panel", "router"]

router = APIRouter(prefix="/review", route_class=ReviewRoute, include_in_schema=False)

_LABELS = {
    "replied": "They replied",
    "accepted": "They said yes",
    "declined": "They said no",
    "no_answer": "No answer",
}


def outcome_panel(service: Service, draft: StoredDraft) -> dict | None:
    """What the draft page shows of a pitch's outcome: None for a draft that is not a sent pitch."""
    if draft.kind != "pitch":
        return {"part_of": draft.kind}
    if draft.status != "sent":
        return None
    outcomes = service.follow.outcomes(draft.ask_id)
    standing = outcomes[-1].outcome if outcomes else None
    following = service.follow.may_follow(standing)
    return {
        "outcomes": outcomes,
        "standing": standing,
        "choices": [(o, _LABELS[o]) for o in following],
        "one_click": draft.channel == "email" and "replied" in following,
    }


def _form(form: Mapping[str, object]) -> dict[str, str]:
    return {k: v for k, v in form.items() if isinstance(v, str)}


@router.post("/drafts/{draft_id}/outcome")
async def outcome(request: Request, draft_id: str) -> Response:
    form = _form(await request.form())
    who = posted(request, form)
    return await run_in_threadpool(_outcome, request, who, draft_id, form)


def _outcome(request: Request, who: Reviewer, draft_id: str, form: dict[str, str]) -> Response:
    follow = state(request).service.follow
    try:
        follow.record_outcome(
            draft_id, form.get("outcome"), who.name, note=form.get("note"), at=form.get("at")
        )
    except (InvalidInput, Conflict) as exc:
        problems = exc.problems if isinstance(exc, InvalidInput) else []
        return _again(request, who, draft_id, exc.message, problems)
    return redirect(f"/review/drafts/{draft_id}?done=outcome#outcome-h")


def _again(
    request: Request, who: Reviewer, draft_id: str, message: str, problems: list[Problem]
) -> Response:
    service = state(request).service
    draft = service.get_draft(draft_id)
    return render(
        request,
        "follow_refused.html.j2",
        409 if not problems else 422,
        who,
        draft=draft,
        message=message,
        problems=problems,
    )


# --- the numbers ---------------------------------------------------------------------------

# The chart's geometry: one row per group, two bars (replied, accepted), in SVG units.
_BAR_WIDTH, _ROW, _LABEL = 300, 44, 150


@router.get("/follow")
def follow_page(request: Request) -> Response:
    who = reviewer(request)
    service = state(request).service
    numbers = service.follow.stats()
    today = service.follow.now().date()
    ledger = service.follow.commitments()
    ledger.sort(key=lambda c: (not overdue(c, today), c.status == "done", c.due or today))
    groups = [numbers.overall, *numbers.by_channel]
    bars = [
        {
            "name": g.name.replace("_", " "),
            "y": i * _ROW,
            "reply": round((g.reply_rate or 0) * _BAR_WIDTH),
            "accept": round((g.acceptance_rate or 0) * _BAR_WIDTH),
            "group": g,
        }
        for i, g in enumerate(groups)
    ]
    return render(
        request,
        "follow_overview.html.j2",
        200,
        who,
        numbers=numbers,
        bars=bars,
        chart={"label": _LABEL, "width": _BAR_WIDTH, "height": len(bars) * _ROW},
        ledger=ledger[:50],
        overdue={c.id for c in ledger if overdue(c, today)},
        today=today,
    )


# --- a page per ask ------------------------------------------------------------------------


@router.get("/asks/{ask_id}")
def ask_page(request: Request, ask_id: str) -> Response:
    who = reviewer(request)
    return _ask_page(request, who, ask_id)


def _ask_page(
    request: Request,
    who: Reviewer,
    ask_id: str,
    status: int = 200,
    *,
    message: str | None = None,
    problems: list[Problem] = (),
) -> Response:
    view = state(request).service.follow.of_ask(ask_id)
    done = request.query_params.get("done", "")
    return render(
        request,
        "follow_ask.html.j2",
        status,
        who,
        view=view,
        overdue={c.id for c in view.commitments if overdue(c, view.today)},
        message=message or {"done": "Marked done.", "slip": "Moved to its new date."}.get(done),
        problems=problems,
        error=status >= 400,
    )


@router.get("/asks/{ask_id}/calendar.ics")
def ask_calendar(request: Request, ask_id: str) -> Response:
    reviewer(request)
    data = state(request).service.follow.calendar(ask_id)
    disposition = f'attachment; filename="commitments-{ask_id[:8]}.ics"'
    return Response(data, media_type="text/calendar", headers={"Content-Disposition": disposition})


@router.post("/asks/{ask_id}/commitments/{commitment_id}/{action}")
async def keep(request: Request, ask_id: str, commitment_id: str, action: str) -> Response:
    form = _form(await request.form())
    who = posted(request, form)
    return await run_in_threadpool(_keep, request, who, ask_id, commitment_id, action, form)


def _keep(
    request: Request,
    who: Reviewer,
    ask_id: str,
    commitment_id: str,
    action: str,
    form: dict[str, str],
) -> Response:
    follow = state(request).service.follow
    try:
        if action == "done":
            follow.done(commitment_id, who.name, note=form.get("note"), ask_id=ask_id)
        elif action == "slip":
            follow.slip(
                commitment_id, who.name, to=form.get("to"), note=form.get("note"), ask_id=ask_id
            )
        else:
            return _ask_page(request, who, ask_id, 404, message="There is no such action.")
    except InvalidInput as exc:
        return _ask_page(request, who, ask_id, 422, message="Not saved.", problems=exc.problems)
    except Conflict as exc:
        return _ask_page(request, who, ask_id, 409, message=exc.message)
    return redirect(f"/review/asks/{ask_id}?done={action}")
