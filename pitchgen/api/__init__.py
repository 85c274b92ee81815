"""The HTTP API under `/v1`: `install(app, service)` adds its routes (`routes`), their request
and response bodies (`bodies`, `examples`), the health probes, and the one mapping of errors
to problem+json (`problems`) to the app `pitchgen.server` builds.

A route parses the request, calls one `Service` method and presents its result as JSON.
May import: `pitchgen.service` and, for types and schemas, the parts' models; never
`pitchgen.web` or `pitchgen.cli`.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from pitchgen.api import batches, checking, fast, follow, partners, problems, routes, usage
from pitchgen.api.problems import problem_responses
from pitchgen.service import Service

__all__ = ["DESCRIPTION", "install"]

DESCRIPTION = """\
Drafts coalition pitches (email, call script, meeting agenda) from a structured ask, checks
them against the rubric, stores them, and takes them through human review.

Every `/v1` route needs an API key (`Authorization: Bearer KEY` or `X-API-Key: KEY`) when the
server has keys configured; send one key (a wrong key beside a right one is refused with 401).
All keys of a deployment are one team: any key can read, edit, approve and send any draft, and
the audit log names which key acted. Deployments that need separate teams run separate servers
with their own stores. Errors are `application/problem+json` (RFC 9457); input problems
list each field by its path, e.g. `ask.timeline[1].date`.
"""


class Health(BaseModel):
    status: str


def install(app: FastAPI, service: Service) -> None:
    """Serve the API from `app` over `service`."""
    app.state.service = service
    problems.install(app)
    # First, so the hottest calls are matched before anything else (see `fast`).
    app.router.routes[0:0] = [fast.draft_route(), fast.post_drafts_route()]
    app.include_router(routes.router)
    app.include_router(checking.router)
    app.include_router(usage.router)
    app.include_router(batches.router)
    app.include_router(partners.router)
    app.include_router(follow.router)
    _health(app, service)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]


def _health(app: FastAPI, service: Service) -> None:
    @app.get("/healthz", response_model=Health, tags=["health"], summary="Liveness")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(
        "/readyz",
        response_model=Health,
        responses=problem_responses(503),
        tags=["health"],
        summary="Readiness: the draft store answers",
    )
    async def readyz(_request: Request) -> dict[str, str]:
        store = await run_in_threadpool(service.store)
        await run_in_threadpool(store.ping)
        return {"status": "ready"}


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        components = schema.setdefault("components", {})
        schemas = components.setdefault("schemas", {})
        # FastAPI's own validation error shapes: every error here is a ProblemDetail instead.
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        schemas.update(problems.problem_schemas())
        components["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer"},
            "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
        }
        for path, operations in schema["paths"].items():
            if path.startswith("/v1/"):
                for operation in operations.values():
                    operation["security"] = [{"bearer": []}, {"apiKey": []}]
        app.openapi_schema = schema
    return app.openapi_schema
