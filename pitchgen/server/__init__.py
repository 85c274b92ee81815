"""The HTTP API: `create_app(settings)` builds the FastAPI app that `pitchgen serve` runs.

Routes are in `routes`, the guard every request passes (keys, rate limit, body size, security
headers) in `security`, and the one mapping of errors to problem+json in `problems`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from pitchgen import __version__, web
from pitchgen.api import problems, routes
from pitchgen.api.problems import problem_responses
from pitchgen.api.security import FAILED_KEYS, Guard, RateLimit
from pitchgen.drafting import pipeline as drafting
from pitchgen.errors import StoreError
from pitchgen.settings import Settings, get_settings
from pitchgen.store.idempotency import Idempotency
from pitchgen.store.repository import Store

if TYPE_CHECKING:
    from pitchgen.llm.client import LLMClient

__all__ = ["Backend", "RateLimit", "create_app"]

log = logging.getLogger("pitchgen.api")

DESCRIPTION = """\
Drafts coalition pitches (email, call script, meeting agenda) from a structured ask, checks
them against the rubric, stores them, and takes them through human review.

Every `/v1` route needs an API key (`Authorization: Bearer KEY` or `X-API-Key: KEY`) when the
server has keys configured. Errors are `application/problem+json` (RFC 9457); input problems
list each field by its path, e.g. `ask.timeline[1].date`.
"""


class Backend:
    """The store, the idempotency records and the model client, opened on first use: a server
    whose database is still starting comes up anyway and answers `/readyz` with 503 until it
    can reach it. One model client serves every request, so its circuit breaker sees every
    failure: once the model is down, drafts fall back at once instead of each retrying it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: Store | None = None
        self._idempotency: Idempotency | None = None
        self._lock = threading.Lock()
        self._llm: LLMClient | None = None

    def store(self) -> Store:
        with self._lock:
            if self._store is None:
                self._store = Store.from_url(self.settings.store_url())
            return self._store

    def idempotency(self) -> Idempotency:
        store = self.store()
        with self._lock:
            if self._idempotency is None:
                self._idempotency = Idempotency(store.engine)
            return self._idempotency

    async def astore(self) -> Store:
        return self._store or await run_in_threadpool(self.store)

    async def aidempotency(self) -> Idempotency:
        return self._idempotency or await run_in_threadpool(self.idempotency)

    def llm(self) -> LLMClient | None:
        """The shared model client; None when drafts come from the templates alone."""
        if self._llm is None and drafting.llm_fallback_reason(self.settings.llm, self.settings):
            return None
        if self._llm is None:
            self._llm = drafting.open_client(
                self.settings, self.settings.llm, self.settings.llm_concurrency
            )
        return self._llm

    async def aclose(self) -> None:
        if self._llm is not None:
            await self._llm.aclose()
        if self._store is not None:
            self._store.close()


class Health(BaseModel):
    status: str


def create_app(
    settings: Settings | None = None,
    *,
    rate_limit: RateLimit | None = None,
    failed_keys: RateLimit | None = None,
) -> FastAPI:
    """The API over `settings` (default: the environment's). CORS stays off: the API is for
    programs and the review page is served from the same origin."""
    settings = settings or get_settings()
    backend = Backend(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            await run_in_threadpool(backend.idempotency)
        except StoreError as exc:
            log.warning("the draft store is not ready yet: %s", exc.message)
        yield
        await backend.aclose()

    app = FastAPI(
        title="pitchgen",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.backend = backend
    problems.install(app)
    app.include_router(routes.router)
    web.mount(app, settings, backend.store)
    _health(app, backend)
    app.add_middleware(
        Guard,
        api_keys=settings.api_keys,
        rate_limit=rate_limit or RateLimit(),
        failed_keys=failed_keys or FAILED_KEYS,
    )
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _health(app: FastAPI, backend: Backend) -> None:
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
        store = await backend.astore()
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
