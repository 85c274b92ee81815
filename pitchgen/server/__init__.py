"""The HTTP server: `create_app(settings)` builds the one ASGI app `pitchgen serve` runs, the
HTTP API under `/v1` and the review pages under `/review` over one `Service`, behind one guard
(`guard`: keys, rate limits, body size, security headers, the last-resort 500, and each
request's log line and metrics), with `GET /metrics` (`metrics`). `logs`: the log lines' form;
`deadlines`: uvicorn's protocol with header and write deadlines.

This is where the two HTTP faces meet, so neither imports the other.
May import: `pitchgen.api`, `pitchgen.web`, `pitchgen.service`, `pitchgen.settings`,
`pitchgen.errors`.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool

from pitchgen import __version__, api, web
from pitchgen.errors import StoreError
from pitchgen.server import metrics
from pitchgen.server.guard import FAILED_KEYS, Guard, RateLimit
from pitchgen.service import Service
from pitchgen.settings import Settings, get_settings

__all__ = ["RateLimit", "create_app", "serve_app"]

log = logging.getLogger("pitchgen.api")


def create_app(
    settings: Settings | None = None,
    *,
    rate_limit: RateLimit | None = None,
    failed_keys: RateLimit | None = None,
) -> FastAPI:
    """The app over `settings` (default: the environment's, read here once). CORS stays off:
    the API is for programs and the review page is served from the same origin."""
    service = Service(settings or get_settings())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            await run_in_threadpool(service.store)
            # Batches a previous run of the server left unfinished go on from where they were.
            if resumed := await run_in_threadpool(service.batches.recovering):
                service.batches.start_all(resumed)
        except StoreError as exc:
            log.warning("the draft store is not ready yet: %s", exc.message)
        follow = None
        if service.settings.follow_run_minutes > 0:
            from pitchgen.server.schedule import follow_on_schedule

            minutes = service.settings.follow_run_minutes
            follow = asyncio.create_task(follow_on_schedule(service, minutes))
        _app.state.follow_task = follow
        _freeze_startup_objects()
        yield
        if follow is not None:
            follow.cancel()
        await service.aclose()
        metrics.process_exited()

    app = FastAPI(
        title="pitchgen",
        version=__version__,
        description=api.DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    api.install(app, service)
    web.mount(app, service)
    counted = metrics.install(app, service.batches.queue_depth)
    settings = service.settings
    app.add_middleware(
        Guard,
        api_keys=settings.api_keys,
        rate_limit=rate_limit
        or RateLimit(settings.rate_limit_per_second, settings.rate_limit_burst),
        failed_keys=failed_keys or FAILED_KEYS,
        allowed_hosts=settings.allowed_hosts,
        trusted_proxies=settings.trusted_proxies,
        body_seconds=settings.body_timeout_seconds,
        metrics=counted,
    )
    return app


_frozen: list[bool] = []


def _freeze_startup_objects() -> None:
    """Move what start-up made (modules, schemas, compiled patterns: some 100,000 objects, all
    living as long as the process) out of the collector's view, once per process. A full
    collection then scans only what requests made: it took about 70 ms with them, every few
    hundred POSTs, a pause for every request in flight."""
    if not _frozen:
        _frozen.append(True)
        gc.collect()
        gc.freeze()


def serve_app() -> FastAPI:
    """The app of one `pitchgen serve --workers N` worker: each worker process reads the
    environment once, as the command did before it started them."""
    return create_app(get_settings())
