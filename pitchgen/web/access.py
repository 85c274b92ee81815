"""Signing in and out of the review pages, and the checks every request passes first.

With API keys configured, each page needs a session (`reviewer`) and each POST its session's
token (`posted`). Without keys the server only listens on loopback: everyone is the local
reviewer, and POSTs carry a double-submit token instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import Response

from pitchgen.service import Service
from pitchgen.settings import Settings
from pitchgen.web import auth
from pitchgen.web.pages import (
    CSRF_COOKIE,
    EarlyResponse,
    Reviewer,
    ReviewRoute,
    error,
    redirect,
    render,
    set_cookie,
)

__all__ = ["SESSION_COOKIE", "ReviewState", "posted", "reviewer", "router", "state"]

SESSION_COOKIE = "pitchgen_review_session"
_CSS = (Path(__file__).parent / "static" / "review.css").read_bytes()

router = APIRouter(prefix="/review", route_class=ReviewRoute, include_in_schema=False)


@dataclass
class ReviewState:
    """What the pages share: the service (its store opened on first use, so a server whose
    database is still starting comes up anyway) and the signed-in sessions."""

    service: Service
    sessions: auth.Sessions = field(default_factory=auth.Sessions)

    @property
    def settings(self) -> Settings:
        return self.service.settings


def state(request: Request) -> ReviewState:
    return request.app.state.review


def reviewer(request: Request) -> Reviewer:
    """The reviewer asking; with keys configured and no session, a `EarlyResponse` sending them to
    sign in (a GET) or refusing (a POST, whose form would be lost by a redirect anyway)."""
    current = state(request)
    if not current.settings.api_keys:
        token = request.cookies.get(CSRF_COOKIE)
        return Reviewer(auth.LOCAL_REVIEWER, token or auth.new_token(), False, not token)
    session = current.sessions.get(request.cookies.get(SESSION_COOKIE))
    if session is None:
        if request.method != "GET":
            raise EarlyResponse(
                error(request, 403, "Signed out", "Your session has ended.", login=True)
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise EarlyResponse(redirect("/review/login?" + urlencode({"next": target})))
    return Reviewer(session.reviewer, session.csrf, True)


def from_our_page(request: Request) -> bool:
    """Whether the browser says the form was sent by a page of this very origin. The form cookie
    alone cannot prove it: cookies ignore ports, so a page on any other port of this host (a
    local dev server, a notebook) can plant its own token cookie and post that token."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("origin")
    # Our pages send no Referer, so a browser without Sec-Fetch-Site may say "null" for them.
    if origin is None or origin == "null":
        return True
    return origin.split("://", 1)[-1].lower() == request.headers.get("host", "").lower()


def posted(request: Request, form: Mapping[str, object]) -> Reviewer:
    """The reviewer, once the browser and the form's token prove it came from one of our
    pages."""
    if not from_our_page(request):
        detail = "This form was sent from another site's page. Open the review page and use it."
        raise EarlyResponse(error(request, 403, "Form refused", detail))
    who = reviewer(request)
    # A token minted by this very request was never on a page, so no form can carry it.
    expected = None if who.new_csrf_cookie else who.csrf
    given = form.get("csrf")
    if not auth.same_token(expected, given if isinstance(given, str) else None):
        detail = "This form did not come with a valid token. Reload the page and try again."
        raise EarlyResponse(error(request, 403, "Form expired", detail))
    return who


def _safe_next(target: object) -> str:
    # Only a path of ours: an absolute or scheme-relative URL would make this an open redirect.
    if isinstance(target, str) and target.startswith("/review") and "//" not in target:
        return target if "\\" not in target else "/review"
    return "/review"


@router.get("/login")
def login_page(request: Request) -> Response:
    if not state(request).settings.api_keys:
        return redirect("/review")
    token = request.cookies.get(CSRF_COOKIE)
    who = Reviewer("", token or auth.new_token(), False, not token)
    target = _safe_next(request.query_params.get("next"))
    return render(request, "login.html.j2", who=who, next=target, failed=False)


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form()
    settings = state(request).settings
    if not settings.api_keys:
        return redirect("/review")
    token = form.get("csrf")
    if (
        not from_our_page(request)
        or not isinstance(token, str)
        or not auth.same_token(request.cookies.get(CSRF_COOKIE), token)
    ):
        return error(request, 403, "Form expired", "Reload the sign-in page and try again.")
    target = _safe_next(form.get("next"))
    key = form.get("key")
    match = auth.matching_key(settings.api_keys, key) if isinstance(key, str) else None
    if match is None:
        who = Reviewer("", token, False)
        return render(request, "login.html.j2", 401, who=who, next=target, failed=True)
    session_id, _ = state(request).sessions.start(auth.fingerprint(match))
    response = redirect(target)
    set_cookie(request, response, SESSION_COOKIE, session_id)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    posted(request, await request.form())
    state(request).sessions.end(request.cookies.get(SESSION_COOKIE))
    response = redirect("/review/login")
    response.delete_cookie(SESSION_COOKIE, path="/review")
    return response


@router.get("/static/review.css")
def stylesheet() -> Response:
    return Response(_CSS, media_type="text/css; charset=utf-8")
