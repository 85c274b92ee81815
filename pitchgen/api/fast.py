"""The API's two most frequent calls served as plain routes, in front of their documented ones.

`GET /v1/drafts/{draft_id}`: FastAPI's per-request work (matching, dependency solving,
parameter validation) cost more than the read itself: profiled in process, the documented
route took 2.5 times what the same answer takes as a bare Starlette route. This route answers
the same way (the same service call, body, ETag, 404 and 422) and the documented route stays
in `routes` for the OpenAPI schema (and serves HEAD, which this route leaves to it). A draft
read from a SQLite store on the loop is answered without Starlette's request and response:
its body and headers are made once for each draft object the store hands out (the same object
until the draft changes) and sent as the response would send them; anything else (a store
whose reads wait, an id too long, an error) goes the way above, which answers it as before.

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
from pitchgen.store.rows import StoredDraft

__all__ = ["draft_route", "post_drafts_route"]

Scope = dict[str, Any]
# In the scope: the request's validated body (fast path), or that the documented route answers.
_VALIDATED = "pitchgen.draft_request"
_DOCUMENTED = "pitchgen.documented"
# In the scope: what the read raised, for `_get_draft` to raise where the route's errors are
# answered.
_FAILED = "pitchgen.read_failed"
# A draft's answer: the draft it was made from, its body, and its headers as `_draft` makes them.
Answer = tuple[StoredDraft, bytes, tuple[tuple[bytes, bytes], ...]]
MAX_ANSWERS = 4096  # as many as the store's cache keeps drafts


async def _get_draft(request: Request) -> Response:
    if (failed := request.scope.pop(_FAILED, None)) is not None:
        raise failed
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


class _GetDraft(_Route):
    def __init__(self) -> None:
        super().__init__(
            "/v1/drafts/{draft_id}", _get_draft, methods=["GET"], include_in_schema=False
        )
        self.methods = {"GET"}  # not HEAD, which the documented route answers as before
        self._answers: dict[str, Answer] = {}

    async def handle(self, scope: Scope, receive: Any, send: Any) -> None:  # type: ignore[override]
        try:
            answer = self._answer(scope) if scope["method"] == "GET" else None
        except Exception as exc:  # answered where the route's errors are, as before
            scope[_FAILED] = exc
            answer = None
        if answer is None:
            await super().handle(scope, receive, send)
            return
        # What `Response` sends; the headers a list of their own, as the guard adds to them.
        headers = list(answer[2])
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": answer[1]})

    def _answer(self, scope: Scope) -> Answer | None:
        """The draft's answer when it is read on the loop (as `_read` reads it), else None."""
        draft_id: str = scope["path_params"]["draft_id"]
        service = scope["app"].state.service
        store = service.opened
        if len(draft_id) > DRAFT_ID_MAX or store is None or store.reads_wait:
            return None
        draft = service.get_draft(draft_id)
        answer = self._answers.get(draft_id)
        if answer is None or answer[0] is not draft:
            answer = _answer_of(draft)
            if len(self._answers) >= MAX_ANSWERS and draft_id not in self._answers:
                del self._answers[next(iter(self._answers))]
            self._answers[draft_id] = answer
        return answer


def _answer_of(draft: StoredDraft) -> Answer:
    """The body and headers `_draft` answers `draft` with."""
    response = _draft(draft)
    return draft, bytes(response.body), tuple(response.raw_headers)


def draft_route() -> Route:
    return _GetDraft()


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
