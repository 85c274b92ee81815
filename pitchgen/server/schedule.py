"""`follow run` inside `pitchgen serve`, every `PITCHGEN_FOLLOW_RUN_MINUTES` (0: never, for a
deployment that runs it from cron). Each pass is the same idempotent run as the command, so
several servers over one database, or a server and a cron job, never draft anything twice."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from fastapi.concurrency import run_in_threadpool

from pitchgen.errors import PitchgenError
from pitchgen.service import Service

__all__ = ["follow_on_schedule"]

log = logging.getLogger("pitchgen.follow")


async def follow_on_schedule(
    service: Service,
    minutes: float,
    wait: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> None:
    """Run the follow-through now and then every `minutes`, until cancelled; a failed pass
    (the database away, say) is logged and the next one tried on time."""
    while True:
        try:
            report = await run_in_threadpool(service.follow.run)
        except PitchgenError as exc:
            log.warning("follow run failed: %s", exc.message)
        else:
            if report.drafted:
                log.info("follow run drafted %d", len(report.drafted))
        await wait(minutes * 60)
