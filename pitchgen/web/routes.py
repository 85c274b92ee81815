"""The review pages: a person reads each draft, its checks and its history, edits it, and
approves, rejects or reopens it, all server-rendered.

Each POST answers with a redirect (PRG) or, when it cannot be done, the draft's page again with
the reason and the reviewer's unsaved input: a stale version is a message, never a crash.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from pitchgen.ask import Channel
from pitchgen.content.status import STATUSES, allowed_actions
from pitchgen.errors import Conflict, InvalidInput, Problem, StoreError
from pitchgen.export.files import FORMATS
from pitchgen.service import Service
from pitchgen.store.repository import StaleVersion
from pitchgen.store.rows import StoredDraft
from pitchgen.web import access, batches
from pitchgen.web.access import ReviewState, posted, reviewer, state
from pitchgen.web.batches import batch_panel
from pitchgen.web.follow import outcome_panel
from pitchgen.web.follow import router as follow_router
from pitchgen.web.forms import FIELDS, content_from_form, diff_segments, form_values
from pitchgen.web.pages import Reviewer, ReviewRoute, error, redirect, render

__all__ = ["PAGE_SIZE", "mount", "router"]

PAGE_SIZE = 25
_DONE = {
    "edited": "Saved as a new version; the checks below were run again on it.",
    "unchanged": "Nothing changed, so no new version was saved.",
    "approved": "Approved.",
    "rejected": "Rejected.",
    "reopened": "Reopened: the draft is back in review.",
    "outcome": "Outcome recorded.",
}
_PAST = {"approve": "approved", "reject": "rejected", "reopen": "reopened"}
# The field that names a draft in the list.
_HEADLINES = {"email": "subject", "call_script": "opener", "meeting_agenda": "title"}

router = APIRouter(prefix="/review", route_class=ReviewRoute, include_in_schema=False)

log = logging.getLogger("pitchgen.web")


def mount(app: FastAPI, service: Service) -> None:
    """Serve the review pages from `app` under `/review`, over `service`; with
    `service.settings.api_keys` set, a reviewer signs in with a key."""
    from pitchgen.web import partners

    app.state.review = ReviewState(service)
    app.include_router(access.router)
    app.include_router(follow_router)  # before `router`: its POST /drafts/{id}/{action}
    app.include_router(partners.router)
    app.include_router(router)
    app.include_router(batches.router)


# --- the list --------------------------------------------------------------------------------


@router.get("")
def draft_list(request: Request) -> Response:
    who = reviewer(request)
    q = request.query_params
    filters = {k: q.get(k, "").strip() for k in ("status", "channel", "partner", "batch")}
    service = state(request).service
    try:
        listing = service.list_drafts(
            **{k: v or None for k, v in filters.items()}, limit=PAGE_SIZE, cursor=q.get("cursor")
        )
        batch = batch_panel(service, filters["batch"], q) if filters["batch"] else None
    except InvalidInput as exc:
        drafts, partners, cursor, problems, batch = [], {}, None, exc.problems, None
    else:
        drafts, partners, cursor = listing.drafts, listing.partners, listing.next_cursor
        problems = []
    active = {k: v for k, v in filters.items() if v}
    return render(
        request,
        "list.html.j2",
        422 if problems else 200,
        who,
        drafts=drafts,
        partners=partners,
        filters=filters,
        problems=problems,
        statuses=STATUSES,
        headlines=_HEADLINES,
        batch=batch,
        next_url=f"/review?{urlencode({**active, 'cursor': cursor})}" if cursor else None,
        first_url=f"/review?{urlencode(active)}" if q.get("cursor") else None,
    )


# --- one draft -------------------------------------------------------------------------------


def _draft_page(
    request: Request,
    who: Reviewer,
    draft: StoredDraft,
    status: int = 200,
    *,
    message: str | None = None,
    problems: list[Problem] = (),
    values: dict | None = None,
    base_version: int | None = None,
) -> Response:
    view = state(request).service.show(draft.id)
    channel = Channel(draft.channel)
    return render(
        request,
        "draft.html.j2",
        status,
        who,
        draft=draft,
        ask=view.ask,
        fields=FIELDS[channel],
        values=values
        if values is not None
        else form_values(channel, draft.content.model_dump(mode="json")),
        must_failures=[c for c in draft.checks if c.level == "must" and not c.passed],
        must_passes=[c for c in draft.checks if c.level == "must" and c.passed],
        advice=[c for c in draft.checks if c.level == "advice"],
        allowed=allowed_actions(draft.status),
        formats=FORMATS[channel],
        revisions=view.revisions,
        events=view.events,
        message=message or _DONE.get(request.query_params.get("done", "")),
        problems=[_labelled(channel, p) for p in problems],
        base_version=base_version,
        error=status >= 400,
        follow=outcome_panel(state(request).service, draft),
    )


def _labelled(channel: Channel, problem: Problem) -> Problem:
    """A validation path as the form names it: `content.items[1].minutes` → Agenda items …"""
    path = problem.path.removeprefix("content").lstrip(".")
    for f in FIELDS[channel]:
        if path == f.name or path.startswith((f"{f.name}[", f"{f.name}.")):
            rest = path[len(f.name) :]
            if rest.startswith("[") and "]" in rest:
                index, _, column = rest[1:].partition("]")
                label = {c.key: c.label for c in f.columns}.get(column.lstrip("."), "")
                rest = f", {f.item.lower()} {int(index) + 1}" + (f", {label}" if label else "")
            return Problem(f.label + rest, problem.message)
    return Problem(path, problem.message)


@router.get("/drafts/{draft_id}")
def draft_page(request: Request, draft_id: str) -> Response:
    who = reviewer(request)
    return _draft_page(request, who, state(request).service.get_draft(draft_id))


def _version(form: Mapping[str, str]) -> int | None:
    raw = str(form.get("version", ""))
    return int(raw) if raw.isdigit() else None


def _edit(request: Request, who: Reviewer, draft_id: str, form: Mapping[str, str]) -> Response:
    service = state(request).service
    draft = service.get_draft(draft_id)
    channel = Channel(draft.channel)
    content = content_from_form(channel, form)
    version = _version(form)
    try:
        saved = service.edit(draft_id, content, version or 0, who.name, str(form.get("note", "")))
    except StaleVersion as exc:
        message = (
            f"Not saved: this draft changed while you were editing it (it is now version"
            f" {exc.current_version}, {exc.current_status}). Your text is still in the form;"
            " compare with the current version, and save again to replace it."
        )
        return _draft_page(
            request, who, service.get_draft(draft_id), 409, message=message,
            values=_redisplay(channel, form),
            base_version=version,
        )  # fmt: skip
    except Conflict as exc:
        return _draft_page(request, who, draft, 409, message=exc.message)
    except StoreError as exc:
        log.error("review page edit of %s not saved: %s", draft_id, exc.message)
        message = (
            "Not saved: the draft store could not be written just now. Your text is still in"
            " the form; save again in a moment."
        )
        return _draft_page(
            request, who, draft, 503, message=message, values=_redisplay(channel, form)
        )
    except InvalidInput as exc:
        return _draft_page(
            request, who, draft, 422, message="Not saved: please correct the fields below.",
            problems=exc.problems, values=_redisplay(channel, form),
        )  # fmt: skip
    done = "edited" if saved.version != draft.version else "unchanged"
    return redirect(f"/review/drafts/{draft_id}?done={done}")


def _redisplay(channel: Channel, form: Mapping[str, str]) -> dict:
    """The submitted values as the form shows them, so a refused edit loses nothing."""
    values = form_values(channel, {})
    for f in FIELDS[channel]:
        if f.kind == "rows":
            values[f.name] = content_from_form(channel, form)[f.name] + values[f.name]
        else:
            values[f.name] = str(form.get(f.name, "")).replace("\r\n", "\n")
    return values


def _decide(
    request: Request, who: Reviewer, draft_id: str, action: str, form: Mapping[str, str]
) -> Response:
    service = state(request).service
    version = _version(form)
    reason = str(form.get("reason", "")) or None
    try:
        service.decide(action, draft_id, who.name, reason, version)
    except StaleVersion as exc:
        message = (
            f"Not {action}d: this draft changed since you opened it (it is now version"
            f" {exc.current_version}, {exc.current_status}). Read it again below, then decide."
        )
        return _draft_page(request, who, service.get_draft(draft_id), 409, message=message)
    except Conflict as exc:
        return _draft_page(request, who, service.get_draft(draft_id), 409, message=exc.message)
    except InvalidInput as exc:
        message = f"Not {action}d: a reason is required." if action == "reject" else exc.message
        return _draft_page(request, who, service.get_draft(draft_id), 422, message=message)
    return redirect(f"/review/drafts/{draft_id}?done={_PAST[action]}")


@router.post("/drafts/{draft_id}/{action}")
async def act(request: Request, draft_id: str, action: str) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    who = posted(request, form)
    if action == "edit":
        return await run_in_threadpool(_edit, request, who, draft_id, form)
    if action in _PAST:
        return await run_in_threadpool(_decide, request, who, draft_id, action, form)
    return error(request, 404, "Not found", "There is no such action.")


@router.get("/drafts/{draft_id}/export")
def download(request: Request, draft_id: str) -> Response:
    reviewer(request)
    try:
        fmt = request.query_params.get("format", "")
        exported = state(request).service.export(draft_id, fmt)  # type: ignore[arg-type]
    except InvalidInput as exc:
        return error(request, 422, "Cannot export", "; ".join(p.message for p in exc.problems))
    disposition = f'attachment; filename="{exported.filename}"'
    return Response(
        exported.data,
        media_type=exported.media_type,
        headers={"Content-Disposition": disposition},
    )


@router.get("/drafts/{draft_id}/diff")
def diff_page(request: Request, draft_id: str) -> Response:
    who = reviewer(request)
    service = state(request).service
    draft = service.get_draft(draft_id)
    revisions = {r.version: r for r in service.revisions(draft_id)}
    q = request.query_params
    to = int(q["to"]) if q.get("to", "").isdigit() else draft.version
    start = int(q["from"]) if q.get("from", "").isdigit() else to - 1
    if start not in revisions or to not in revisions:
        versions = ", ".join(str(v) for v in revisions)
        detail = f"This draft has versions {versions}; choose two of them."
        return error(request, 404, "No such version", detail)
    old, new = revisions[start], revisions[to]
    before = {(c.id, c.level): c.passed for c in old.checks}
    changed = [c for c in new.checks if before.get((c.id, c.level), c.passed) != c.passed]
    return render(
        request,
        "diff.html.j2",
        200,
        who,
        draft=draft,
        old=old,
        new=new,
        versions=list(revisions),
        segments=diff_segments(old.text, new.text),
        changed=changed,
    )
