"""The API's two most frequent calls served as plain routes, in front of their documented ones.

`GET /v1/drafts/{draft_id}`: FastAPI's per-request work (matching, dependency solving,
parameter validation) cost more than the read itself: profiled in process, the documented
route took 2.5 times what the same answer takes as a bare Starlette route. This route answers
the same way (the same service call, body, ETag, 404 and 422) and the documented route stays
in `routes` for the OpenAPI schema (and serves HEAD, which this route leaves to it).

`POST /v1/drafts`: the plain request (a JSON body that validates, no `Idempotency-Key`) is
validated as FastAPI would (`DraftRequest`) and handed to the documented route's own function.
Anything else (a body that does not parse or validate, another media type, a key to replay)
goes through the router again to the documented route, which answers it exactly as before.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Route

from pitchgen.api.bodies import DraftRequest
from pitchgen.api.routes import DRAFT_ID_MAX, _draft, _read, _service, create_drafts
from pitchgen.asgi import replay
from pitchgen.ask.reading import read_json
from pitchgen.errors import InvalidInput, Problem

__all__ = ["draft_route", "post_drafts_route"]

Scope = dict[str, Any]
# In the scope: the request's validated body (fast path), or that the documented route answers.
_VALIDATED = "pitchgen.draft_request"
_DOCUMENTED = "pitchgen.documented"


async def _get_draft(request: Request) -> Response:
    draft_id: str = request.path_params["draft_id"]
    if len(draft_id) > DRAFT_ID_MAX:
        message = f"string should have at most {DRAFT_ID_MAX} characters"
        raise InvalidInput([Problem("draft_id", message)])
    service = await _service(request)
    return _draft(await _read(service, service.get_draft, draft_id))


class _Route(Route):
    def matches(self, scope: Scope) -> tuple[Match, Scope]:  # type: ignore[override]
        match, child = super().matches(scope)
        if match is Match.FULL:
            child["route"] = self  # as FastAPI's routes do: the logs and metrics name it
        return match, child


def draft_route() -> Route:
    route = _Route("/v1/drafts/{draft_id}", _get_draft, methods=["GET"], include_in_schema=False)
    route.methods = {"GET"}  # not HEAD, which the documented route answers as before
    return route


async def _create_drafts(request: Request) -> Response:
    return await create_drafts(request, request.scope.pop(_VALIDATED), None)


class _PostDrafts(_Route):
    def matches(self, scope: Scope) -> tuple[Match, Scope]:  # type: ignore[override]
        # Only ever a full match: another method, or a request sent on, is the router's to place.
        if scope["method"] != "POST" or scope.get(_DOCUMENTED):
            return Match.NONE, {}
        return super().matches(scope)

    async def handle(self, scope: Scope, receive: Any, send: Any) -> None:  # type: ignore[override]
        body = await _body(receive)
        receive = replay(body, receive)
        validated = _plain(scope, body)
        if validated is None:
            scope[_DOCUMENTED] = True
            await scope["app"].router(scope, receive, send)
            return
        scope[_VALIDATED] = validated
        await self.app(scope, receive, send)


def post_drafts_route() -> Route:
    return _PostDrafts("/v1/drafts", _create_drafts, methods=["POST"], include_in_schema=False)


def _plain(scope: Scope, body: bytes) -> DraftRequest | None:
    """The body as the documented route would validate it, if the request is a plain one."""
    media = None
    for name, value in scope["headers"]:
        if name == b"content-type":
            if media is not None:
                return None
            media = value.split(b";", 1)[0].strip().lower()
        elif name == b"idempotency-key":
            return None
    if media != b"application/json" or not body:
        return None
    try:
        data = read_json(body)  # as the documented route reads it (`jsonbody`)
        return DraftRequest.model_validate(data) if isinstance(data, dict) else None
    except Exception:  # the documented route says what is wrong, in its own words
        return None


async def _body(receive: Any) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if message["type"] != "http.request" or not message.get("more_body", False):
            return b"".join(chunks)
