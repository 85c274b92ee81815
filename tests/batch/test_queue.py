"""The batch queue on PostgreSQL: two `pitchgen worker` processes, one killed with SIGKILL
mid-batch; every partner still ends drafted and stored exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest_store import scratch_schema_url
from fake_openai import FakeOpenAI, completion

from pitchgen.ask.reading import read_document
from pitchgen.ask.roster import validate_partners
from pitchgen.service import Service
from pitchgen.settings import Settings
from pitchgen.store.migrations.schema import asks, batch_items, drafts

pytestmark = pytest.mark.postgres

DATA = Path(__file__).resolve().parents[1] / "data" / "batch"
ASK = read_document((DATA / "summit-ask.yaml").read_bytes(), "yaml")
PARTNERS = 12


@pytest.fixture
def queue_url() -> Iterator[str]:
    with scratch_schema_url("pitchgen_queue") as url:
        yield url


def _worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pitchgen", "worker", "--concurrency", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _count(service: Service, table: sa.Table, *where: sa.ColumnElement) -> int:
    query = sa.select(sa.func.count()).select_from(table)
    with service.store().engine.connect() as conn:
        return conn.execute(query.where(*where) if where else query).scalar()


def _until(condition, what: str, procs: list[subprocess.Popen], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        for proc in procs:
            assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_a_worker_killed_mid_batch_loses_nothing_and_stores_nothing_twice(
    queue_url: str,
) -> None:
    # Two calls per partner (a reply the checks refuse, and its re-ask), each a moment long.
    with FakeOpenAI(lambda body: completion("not a draft"), latency=0.2) as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PITCHGEN_", "OPENAI_"))}
        env |= {
            "PITCHGEN_DATABASE_URL": queue_url,
            "PITCHGEN_LLM": "live",
            "OPENAI_BASE_URL": server.base_url,
            "OPENAI_API_KEY": "sk-test",
            # Heartbeats every half second; silent for 2 s is stalled.
            "PITCHGEN_BATCH_STALLED_SECONDS": "2",
        }
        service = Service(Settings(database_url=queue_url, llm="off"))
        rows = validate_partners(
            [(None, {"organization": f"Harbor Group {n}"}) for n in range(PARTNERS)]
        )
        created = service.batches.create(ASK, rows, ["email"], "tester")
        assert created.runner == "queue"
        doomed, survivor = _worker(env), _worker(env)
        try:
            # Killed while it holds partners of its own, mid-draft.
            held = (batch_items.c.state == "running") & batch_items.c.owner.contains(
                f":{doomed.pid}:"
            )
            _until(lambda: _count(service, batch_items, held) >= 1, "a claim", [doomed])
            doomed.send_signal(signal.SIGKILL)
            doomed.wait(timeout=10)
            _until(lambda: service.batches.get(created.batch_id).finished, "the batch", [survivor])
        finally:
            for proc in (doomed, survivor):
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
                    proc.wait(timeout=30)
    batch = service.batches.get(created.batch_id)
    assert batch.counts == {"done": PARTNERS}
    assert _count(service, asks) == PARTNERS and _count(service, drafts) == PARTNERS
    # Someone took over what the killed worker held.
    assert any(i.attempts > 1 for i in service.batches.items(created.batch_id))
    service.close()
