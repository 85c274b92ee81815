"""How a review page is answered: Jinja2 with autoescape, the security headers on every
response, and the error page that stands in for the API's JSON.

Every string from a user or a model reaches the page through autoescape, and model Markdown is
shown as text. The pages carry no script at all, so the policy allows none.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.routing import APIRoute
from starlette.responses import HTMLResponse, RedirectResponse, Response

from pitchgen.ask import Channel
from pitchgen.content.formats import timestamp
from pitchgen.errors import NotFound, PitchgenError

__all__ = [
    "CSP",
    "CSRF_COOKIE",
    "EarlyResponse",
    "ReviewRoute",
    "Reviewer",
    "error",
    "redirect",
    "render",
    "set_cookie",
]

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
# The pages' own policy; the headers every response carries (nosniff, no framing, no
# referrer) are the server's guard's, in one place.
_HEADERS = {
    "Content-Security-Policy": CSP,
    # Drafts are unpublished and may be confidential: no shared or back-button cache.
    "Cache-Control": "no-store",
}
CSRF_COOKIE = "pitchgen_review_csrf"
log = logging.getLogger("pitchgen.web")

_templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_templates.filters["when"] = timestamp
_templates.filters["words"] = lambda s: str(s).replace("_", " ")
_templates.globals["Channel"] = Channel


@dataclass(frozen=True)
class Reviewer:
    """Who the page is for, and the token its forms carry; `new_csrf_cookie` when the
    double-submit cookie is minted by this response."""

    name: str
    csrf: str
    signed_in: bool
    new_csrf_cookie: bool = False


class EarlyResponse(Exception):
    """Not an error: a finished response (sign in, bad token) thrown past the handler."""

    def __init__(self, response: Response) -> None:
        self.response = response


class ReviewRoute(APIRoute):
    """Adds the security headers to every review response, answers an `EarlyResponse`, and turns a
    missing draft or a failing store into a page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                response = await handler(request)
            except EarlyResponse as early:
                response = early.response
            except NotFound as exc:
                response = error(request, 404, "Not found", exc.message)
            except PitchgenError as exc:
                log.error("review page %s failed: %s", request.url.path, exc.message)
                response = error(request, exc.status, exc.title, "Please try again shortly.")
            response.headers.update(_HEADERS)
            return response

        return guarded


def set_cookie(request: Request, response: Response, name: str, value: str) -> None:
    response.set_cookie(
        name,
        value,
        path="/review",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def render(
    request: Request, template: str, status: int = 200, who: Reviewer | None = None, **ctx: Any
) -> HTMLResponse:
    who = who or Reviewer("", "", False)
    html = _templates.get_template(template).render(
        reviewer=who.name, csrf=who.csrf, signed_in=who.signed_in, **ctx
    )
    response = HTMLResponse(html, status_code=status)
    if who.new_csrf_cookie:
        set_cookie(request, response, CSRF_COOKIE, who.csrf)
    return response


def error(
    request: Request, status: int, title: str, detail: str, *, login: bool = False
) -> HTMLResponse:
    return render(request, "error.html.j2", status, title=title, detail=detail, login=login)


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)
