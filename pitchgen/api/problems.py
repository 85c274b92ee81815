"""Errors as `application/problem+json` (RFC 9457), mapped from the one error tree here only.

A 4xx problem says what was wrong and, for input, where (`errors[].path`). A 5xx problem says
only that it failed and under which request id: its cause is logged on the server, never sent,
so no stack trace, SQL, file path or secret reaches a client.
"""

from __future__ import annotations

import json
import logging
import re
from http import HTTPStatus
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import compile_path

from pitchgen.errors import InvalidInput, PitchgenError, Problem, format_path

__all__ = [
    "MEDIA_TYPE",
    "ProblemDetail",
    "install",
    "problem_bytes",
    "problem_response",
    "problem_responses",
    "problem_schemas",
    "problem_type",
]

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("pitchgen.api")

# Where FastAPI says a field came from; our paths name the field the way the CLI does.
_LOCATIONS = {"body", "query", "path"}
_WORD = re.compile(r"(?<!^)(?=[A-Z])")


class FieldProblem(BaseModel):
    path: str = Field(examples=["ask.timeline[1].date"])
    message: str = Field(examples=["not a date: '2027-02-30' (use YYYY-MM-DD)"])


class ProblemDetail(BaseModel):
    """RFC 9457 problem details, with the request id and, for input, every field problem."""

    type: str = Field(examples=["urn:pitchgen:problem:invalid-input"])
    title: str = Field(examples=["Invalid input"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["1 problem in the input"])
    instance: str = Field(examples=["/v1/drafts"])
    request_id: str
    errors: list[FieldProblem] | None = None
    allowed: list[str] | None = Field(
        default=None, description="For an illegal transition: the actions the draft allows now."
    )
    current_version: int | None = Field(
        default=None, description="For a stale version: the version to send next."
    )


def problem_type(name: str) -> str:
    """A stable, non-resolving type URI per error class: `StaleVersion` → `...:stale-version`."""
    return f"urn:pitchgen:problem:{_WORD.sub('-', name).lower()}"


def problem_bytes(
    status: int,
    detail: str,
    *,
    instance: str,
    request_id: str,
    title: str | None = None,
    kind: str | None = None,
    **extra: Any,
) -> bytes:
    phrase = HTTPStatus(status).phrase
    body = {
        "type": problem_type(kind or phrase.replace(" ", "")),
        "title": title or phrase,
        "status": status,
        "detail": detail,
        "instance": instance,
        "request_id": request_id,
        **{k: v for k, v in extra.items() if v is not None},
    }
    return json.dumps(body, ensure_ascii=False).encode()


def problem_response(
    request: Request, status: int, detail: str, *, headers: dict | None = None, **fields: Any
) -> Response:
    body = problem_bytes(
        status,
        detail,
        instance=request.url.path,
        request_id=request.scope.get("state", {}).get("request_id", ""),
        **fields,
    )
    return Response(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these statuses, each a problem+json document."""
    schema = {"$ref": "#/components/schemas/ProblemDetail"}
    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "content": {MEDIA_TYPE: {"schema": schema}},
        }
        for status in statuses
    }


def problem_schemas() -> dict[str, Any]:
    """The components `problem_responses` refers to."""
    schema = ProblemDetail.model_json_schema(ref_template="#/components/schemas/{model}")
    return {**schema.pop("$defs"), "ProblemDetail": schema}


def _field_problems(problems: list[Problem]) -> list[dict]:
    return [{"path": p.path, "message": p.message} for p in problems]


async def _pitchgen_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PitchgenError)
    if exc.status >= 500 and not exc.expose:
        # The message names a database, a file or a server; the operator needs it, the
        # client does not.
        log.error(
            "request %s failed: %s: %s",
            request.state.request_id,
            type(exc).__name__,
            exc.message,
        )
        detail = f"{exc.title}; try again later, quoting request {request.state.request_id}"
    else:
        detail = exc.message
    return problem_response(
        request,
        exc.status,
        detail,
        title=exc.title,
        kind=type(exc).__name__,
        errors=_field_problems(exc.problems) if isinstance(exc, InvalidInput) else None,
        allowed=getattr(exc, "allowed", None),
        current_version=getattr(exc, "current_version", None),
    )


def _request_problem(error: dict) -> Problem:
    loc = tuple(error["loc"])
    if loc and loc[0] in _LOCATIONS:
        loc = loc[1:]
    kind = error["type"]
    if kind == "json_invalid":
        return Problem("", f"not valid JSON: {error.get('ctx', {}).get('error', error['msg'])}")
    message = {"missing": "required", "extra_forbidden": "unknown field"}.get(kind, error["msg"])
    return Problem(format_path(loc), message[:1].lower() + message[1:])


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [_request_problem(e) for e in exc.errors()]
    return await _pitchgen_error(request, InvalidInput(problems))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
    return problem_response(request, exc.status_code, detail, headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    # Starlette names only the first route that matched the path; a path served by two routes
    # (GET and POST /v1/drafts) allows the methods of both, as the schema says.
    methods: set[str] = set()
    for template, operations in request.app.openapi()["paths"].items():
        if compile_path(template)[0].match(request.scope["path"]):
            methods |= {method.upper() for method in operations}
    return sorted(methods)


def install(app: Any) -> None:
    """Register the mapping on `app`; anything else unexpected is the guard's 500."""
    app.add_exception_handler(PitchgenError, _pitchgen_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
