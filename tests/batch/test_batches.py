"""Batches through the service: stored, drafted once per partner, resumable, and never stored
twice, over SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from pitchgen.ask.roster import read_partners
from pitchgen.errors import Conflict, InvalidInput, NotFound
from pitchgen.service import Service
from pitchgen.settings import Settings
from pitchgen.store.migrations.schema import asks, batch_items, drafts

pytest_plugins = ["conftest_store"]

DATA = Path(__file__).resolve().parents[1] / "data" / "batch"
ASK = yaml.safe_load((DATA / "summit-ask.yaml").read_text())


def partners(n: int | None = None):
    rows = read_partners((DATA / "partners.csv").read_bytes(), "partners.csv")
    return rows if n is None else rows[:n]


@pytest.fixture
def service(store_url: str):
    opened = Service(Settings(database_url=store_url, llm="off", batch_runner="local"))
    yield opened
    opened.close()


def rows(service: Service, table: sa.Table) -> int:
    with service.store().engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()


def test_a_batch_drafts_every_partner_once_with_their_own_details(service: Service) -> None:
    created = service.batches.create(ASK, partners(), ["email"], "tester", source="p.csv")
    assert (created.total, created.runner) == (5, "local")
    assert service.batches.get(created.batch_id).counts == {"queued": 5}

    batch = asyncio.run(service.batches.run(created.batch_id, concurrency=3))

    assert batch.counts == {"done": 5} and batch.finished
    assert rows(service, asks) == 5 and rows(service, drafts) == 5
    items = service.batches.items(created.batch_id)
    for item in items:
        ask = service.store().get_ask(item.ask_id)
        assert ask.partner.organization == item.partner_name
        (draft,) = item.outcome["drafts"]
        assert item.partner_name in service.get_draft(draft["id"]).text
    assert len({i.ask_id for i in items}) == 5
    assert service.batches.draft_ids(created.batch_id) == [
        i.outcome["drafts"][0]["id"] for i in items
    ]


def test_running_a_finished_batch_again_drafts_and_stores_nothing(service: Service) -> None:
    created = service.batches.create(ASK, partners(2), ["email"], "tester")
    asyncio.run(service.batches.run(created.batch_id))
    asyncio.run(service.batches.run(created.batch_id))
    assert service.batches.resume(created.batch_id) == []
    assert rows(service, drafts) == 2


def test_a_duplicate_delivery_of_an_item_stores_nothing(service: Service) -> None:
    created = service.batches.create(ASK, partners(1), ["email"], "tester")
    (item,) = service.batches.items(created.batch_id)
    first = asyncio.run(service.batches.run_item(item.id, "worker-a:1:x"))
    assert first is not None and first.stored
    # The queue delivers the job again, as after a worker it thought dead: nothing to draft.
    assert asyncio.run(service.batches.run_item(item.id, "worker-b:2:y", takeover=True)) is None
    assert rows(service, drafts) == 1 and rows(service, asks) == 1


def test_two_deliveries_drafting_at_once_store_one_draft_set(service: Service) -> None:
    created = service.batches.create(ASK, partners(1), ["email"], "tester")
    (item,) = service.batches.items(created.batch_id)
    store = service.batches.store()
    lease = service.batches.lease
    mine = store.claim(item.id, "worker-a:1:x", lease)
    # A second delivery takes the item over while the first is still drafting; both finish.
    theirs = store.claim(item.id, "worker-b:2:y", lease, takeover=True)
    first = asyncio.run(service.batches._draft(store, theirs, "worker-b:2:y"))
    second = asyncio.run(service.batches._draft(store, mine, "worker-a:1:x"))
    assert (first.stored, second.stored) == (True, False)
    assert rows(service, drafts) == 1 and rows(service, asks) == 1
    assert service.batches.get(created.batch_id).counts == {"done": 1}


def test_the_database_refuses_a_second_draft_set_for_an_item(service: Service) -> None:
    created = service.batches.create(ASK, partners(1), ["email"], "tester")
    (item,) = service.batches.items(created.batch_id)
    batch = service.batches.get(created.batch_id)
    ask = service.batches.ask_for(batch, item)
    store = service.batches.store()
    one, two = service.draft(ask, ["email"]), service.draft(ask, ["email"])
    assert store.finish(item.id, ask, one, actor="t", outcome={}, fallbacks=0)
    assert not store.finish(item.id, ask, two, actor="t", outcome={}, fallbacks=0)
    assert rows(service, drafts) == 1
    # And no two items share a draft set: the column is unique.
    other = service.batches.create(ASK, partners(1), ["email"], "tester")
    sharing = (
        batch_items.update()
        .where(batch_items.c.batch_id == other.batch_id)
        .values(ask_id=one.ask_id)
    )
    with service.store().engine.begin() as conn, pytest.raises(sa.exc.IntegrityError):
        conn.execute(sharing)


def test_an_interrupted_run_puts_its_items_back_for_resume(service: Service) -> None:
    created = service.batches.create(ASK, partners(), ["email"], "tester")
    seen = []

    async def interrupted() -> None:
        task = asyncio.ensure_future(
            service.batches.run(created.batch_id, concurrency=2, on_item=seen.append)
        )
        while len(seen) < 2:
            await asyncio.sleep(0)
        task.cancel()  # what Ctrl-C does to asyncio.run's main task
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(interrupted())
    halfway = service.batches.get(created.batch_id)
    assert halfway.counts.get("running", 0) == 0
    assert halfway.counts["done"] >= 2 and halfway.counts["queued"] >= 1
    service.batches.resume(created.batch_id)
    assert asyncio.run(service.batches.run(created.batch_id)).counts == {"done": 5}
    assert rows(service, asks) == 5


def test_items_of_a_dead_runner_are_queued_again_on_resume(service: Service) -> None:
    created = service.batches.create(ASK, partners(3), ["email"], "tester")
    store = service.batches.store()
    (first, *_) = service.batches.items(created.batch_id)
    # Claimed by a process on this host that no longer exists (pid 2**22 + 1 is never given).
    import socket

    assert store.claim(first.id, f"{socket.gethostname()}:{2**22 + 1}:dead", service.batches.lease)
    # Claimed by a live owner elsewhere whose lease still runs: left alone.
    (second,) = [i for i in service.batches.items(created.batch_id) if i.position == 1]
    assert store.claim(second.id, "elsewhere:1:alive", service.batches.lease)
    assert service.batches.resume(created.batch_id) == [first.id]
    counts = service.batches.get(created.batch_id).counts
    assert counts == {"queued": 2, "running": 1}


def test_a_cancelled_batch_drafts_nothing_more(service: Service) -> None:
    created = service.batches.create(ASK, partners(), ["email"], "tester")
    batch = service.batches.cancel(created.batch_id)
    assert batch.counts == {"cancelled": 5} and batch.finished
    with pytest.raises(Conflict):
        asyncio.run(service.batches.run(created.batch_id))
    assert rows(service, drafts) == 0


def test_the_ask_is_checked_once_for_all_partners(service: Service) -> None:
    broken = {**ASK, "need": {**ASK["need"], "description": ""}}
    with pytest.raises(InvalidInput) as invalid:
        service.batches.create(broken, partners(), None, "tester")
    assert [p.path for p in invalid.value.problems] == ["need.description"]
    created = service.batches.create({**ASK, "partner": {"organization": "X"}}, partners(1),
                                     None, "t")  # fmt: skip
    assert [w.path for w in created.warnings] == ["partner"]


def test_queue_depth_counts_waiting_and_running_items(service: Service) -> None:
    assert service.batches.queue_depth() == {"queued": 0, "running": 0}
    service.batches.create(ASK, partners(), ["email"], "tester")
    assert service.batches.queue_depth() == {"queued": 5, "running": 0}


def test_an_unknown_batch_is_not_found(service: Service) -> None:
    with pytest.raises(NotFound):
        service.batches.get("no-such-batch")
    with pytest.raises(NotFound):
        service.batches.usage("no-such-batch")


def test_a_batchs_usage_sums_the_drafts_of_its_partners_in_file_order(service: Service) -> None:
    created = service.batches.create(ASK, partners(3), ["email", "call_script"], "tester")
    assert service.batches.usage(created.batch_id).total.drafts == 0
    asyncio.run(service.batches.run(created.batch_id))
    usage = service.batches.usage(created.batch_id)
    assert usage.ask_ids == [i.ask_id for i in service.batches.items(created.batch_id)]
    assert usage.total.drafts == 6 and len(usage.drafts) == 6
    assert usage == service.usage(usage.ask_ids)
