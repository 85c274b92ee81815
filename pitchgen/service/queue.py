"""The batch queue on PostgreSQL: each batch item is a Procrastinate job in the store's own
database, run by `pitchgen worker` with the same `Batches.run_item` the in-process runner uses.

Why Procrastinate: measured on this project's machine it ran 520 jobs/s against a 640 ceiling
and lost no job when a worker was killed with SIGKILL (issue 15). Its schema is applied by the
store's migration 0006_batches. A worker whose heartbeat stops (killed, frozen) for longer than
PITCHGEN_BATCH_STALLED_SECONDS, set above the longest model call, has its jobs run again by the
other workers; an item is stored once however often its job runs (see `store.batches`).

Procrastinate (and psycopg) are imported here only, and only by the commands that use the queue.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pitchgen.errors import ConfigError

if TYPE_CHECKING:
    from pitchgen.service.core import Service

__all__ = ["QUEUE", "TASK", "defer_items", "queue_app", "recover_stalled", "work"]

log = logging.getLogger("pitchgen.batch")

QUEUE = "pitchgen_batches"
TASK = "pitchgen.batch_item"


def queue_app(service: Service) -> Any:
    """A Procrastinate app over the service's PostgreSQL store, with the batch item task."""
    try:
        import procrastinate
    except ImportError:
        raise ConfigError(
            "the batch queue needs Procrastinate: pip install 'pitchgen[postgres]'"
        ) from None
    from pitchgen.service.batchruns import owner_id
    from pitchgen.store.batches import queue_conninfo

    conninfo = queue_conninfo(service.store())
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo))
    owner = owner_id()

    @app.task(name=TASK, queue=QUEUE)
    async def batch_item(item_id: str) -> None:
        # A job runs again only when its worker went silent (or `batch resume` queued it
        # anew): whoever held the item is taken to be gone, and the store keeps one result.
        await service.batches.run_item(item_id, owner, takeover=True)

    return app


def defer_items(service: Service, item_ids: Iterable[str], *, fresh: bool = False) -> int:
    """A job for each item (of a `fresh` batch: in one statement; otherwise each unless one is
    waiting for it already); how many were added."""
    from procrastinate.exceptions import AlreadyEnqueued

    app = queue_app(service)
    added = 0
    with app.open():
        task = app.tasks[TASK]
        if fresh:
            return len(task.batch_defer(*({"item_id": i} for i in item_ids)))
        for item_id in item_ids:
            try:
                task.configure(queueing_lock=item_id).defer(item_id=item_id)
            except AlreadyEnqueued:
                continue
            added += 1
    return added


async def recover_stalled(app: Any, threshold: float) -> int:
    """Run again the batch jobs of workers silent for `threshold` seconds; how many."""
    stalled = await app.job_manager.get_stalled_jobs(
        task_name=TASK, seconds_since_heartbeat=threshold
    )
    for job in stalled:
        log.warning("batch job %s of a stalled worker runs again", job.id)
        await app.job_manager.retry_job(job)
    return len(list(stalled))


async def work(
    service: Service,
    *,
    concurrency: int | None = None,
    stalled_seconds: float | None = None,
    until_idle: bool = False,
) -> None:
    """Run batch items from the queue until stopped (SIGINT/SIGTERM: the items in hand finish
    first), or with `until_idle` until none is left. Meanwhile, every few seconds, the jobs of
    workers that went silent are put back in the queue."""
    app = queue_app(service)
    threshold = stalled_seconds or service.settings.batch_stalled_seconds
    beat = max(0.2, min(10.0, threshold / 4))

    async def watch() -> None:
        while True:
            await recover_stalled(app, threshold)
            await asyncio.sleep(beat)

    async with app.open_async():
        watcher = asyncio.create_task(watch())
        try:
            await app.run_worker_async(
                queues=[QUEUE],
                concurrency=concurrency or service.settings.batch_concurrency,
                wait=not until_idle,
                update_heartbeat_interval=beat,
                stalled_worker_timeout=threshold,
                fetch_job_polling_interval=min(5.0, beat * 2),
                delete_jobs="successful",
            )
        finally:
            watcher.cancel()
            await asyncio.gather(watcher, return_exceptions=True)
