"""`/v1/batches` as a client meets it: 202 with the id, every bad partner at its path, the
progress and each partner's outcome, cancelling, and a restarted server going on."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fake_openai import FakeOpenAI, completion
from fastapi import FastAPI

from pitchgen.ask.reading import read_document
from pitchgen.ask.roster import MAX_PARTNERS, validate_partners
from pitchgen.server import RateLimit, create_app
from pitchgen.settings import Settings

DATA = Path(__file__).resolve().parents[1] / "data" / "batch"
ASK = read_document((DATA / "summit-ask.yaml").read_bytes(), "yaml")
UNLIMITED = RateLimit(per_second=1e6, burst=1_000_000)


def partner(n: int) -> dict[str, Any]:
    return {
        "organization": f"Riverside Business Group {n}",
        "contact_name": f"Alex Morgan{n}",
        "email": f"alex{n}@riverside{n}.org",
        "focus": "small-business licensing",
    }


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    settings = Settings(llm="off", database_url=f"sqlite:///{tmp_path / 'store.db'}")
    return create_app(settings, rate_limit=UNLIMITED)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        yield client


async def test_a_batch_is_accepted_at_once_and_drafted_in_the_background(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    body = {"ask": ASK, "partners": [partner(n) for n in range(3)], "channels": ["email"]}
    response = await client.post("/v1/batches", json=body)
    assert response.status_code == 202, response.text
    created = response.json()
    assert (created["total"], created["runner"], created["warnings"]) == (3, "local", [])
    assert response.headers["location"] == f"/v1/batches/{created['id']}"

    await app.state.service.batches.drain()
    status = (await client.get(f"/v1/batches/{created['id']}")).json()
    assert (status["status"], status["done"], status["total"]) == ("done", 3, 3)
    assert [i["partner"]["organization"] for i in status["items"]] == [
        partner(n)["organization"] for n in range(3)
    ]
    draft_id = status["items"][1]["drafts"][0]["id"]
    draft = (await client.get(f"/v1/drafts/{draft_id}")).json()
    assert "Riverside Business Group 1" in draft["text"]


async def test_every_bad_partner_is_named_at_its_path_and_nothing_is_stored(
    client: httpx.AsyncClient,
) -> None:
    partners = [partner(0), {"organization": "", "email": "nope"}, {"contact_name": "X"}]
    response = await client.post("/v1/batches", json={"ask": ASK, "partners": partners})
    assert response.status_code == 422
    paths = [p["path"] for p in response.json()["errors"]]
    assert paths == [
        "partners[1].organization",
        "partners[1].email",
        "partners[2].organization",
    ]
    broken = {**ASK, "respond_by": "tomorrow"}
    response = await client.post("/v1/batches", json={"ask": broken, "partners": [partner(0)]})
    assert [p["path"] for p in response.json()["errors"]] == ["ask.respond_by"]


async def test_a_batch_of_the_largest_size_fits_in_one_request(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    partners = [partner(n) for n in range(MAX_PARTNERS)]
    service = app.state.service
    response = await client.post("/v1/batches", json={"ask": ASK, "partners": partners})
    assert response.status_code == 202, response.text
    batch_id = response.json()["id"]
    # Cancelled at once: this test is about the size the API takes, not drafting a thousand.
    cancelled = (await client.post(f"/v1/batches/{batch_id}/cancel")).json()
    await service.batches.drain()
    assert cancelled["status"] == "cancelled" and cancelled["total"] == MAX_PARTNERS
    one_more = {"ask": ASK, "partners": [*partners, partner(MAX_PARTNERS)]}
    response = await client.post("/v1/batches", json=one_more)
    assert response.status_code == 422
    assert "at most 1,000" in response.json()["errors"][0]["message"]


async def test_an_unknown_batch_is_a_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/batches/nope")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_restarted_server_goes_on_with_what_it_left(tmp_path: Path) -> None:
    settings = Settings(llm="off", database_url=f"sqlite:///{tmp_path / 'store.db'}")
    before = create_app(settings, rate_limit=UNLIMITED)
    batches = before.state.service.batches
    rows = validate_partners([(None, partner(n)) for n in range(4)])
    created = batches.create(ASK, rows, ["email"], "api")
    store = batches.store()
    # The first server died while drafting two of them (its process is gone).
    dead = f"{socket.gethostname()}:{2**22 + 1}:gone"
    for item in batches.items(created.batch_id)[:2]:
        assert store.claim(item.id, dead, batches.lease)
    before.state.service.close()

    after = create_app(settings, rate_limit=UNLIMITED)
    async with after.router.lifespan_context(after):
        await after.state.service.batches.drain()
        batch = after.state.service.batches.get(created.batch_id)
    assert batch.counts == {"done": 4}


async def test_a_batchs_model_calls_are_summed_with_each_drafts_own(tmp_path: Path) -> None:
    prices = {"fake-model": {"prompt": 1.0, "completion": 2.0}}
    # Every reply fails the checks: each draft asks, re-asks, then falls back to its template.
    with FakeOpenAI(lambda body: completion("no draft here")) as model:
        store = f"sqlite:///{tmp_path / 'store.db'}"
        settings = Settings(llm="live", OPENAI_BASE_URL=model.base_url, OPENAI_API_KEY="sk-x",
                            prices=prices, database_url=store)  # fmt: skip
        app = create_app(settings, rate_limit=UNLIMITED)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            body = {"ask": ASK, "partners": [partner(n) for n in range(3)], "channels": ["email"]}
            batch_id = (await client.post("/v1/batches", json=body)).json()["id"]
            await app.state.service.batches.drain()
            usage = (await client.get(f"/v1/batches/{batch_id}/usage")).json()
            items = (await client.get(f"/v1/batches/{batch_id}")).json()["items"]
            drafts = [
                (await client.get(f"/v1/drafts/{i['drafts'][0]['id']}")).json() for i in items
            ]
            unknown = await client.get("/v1/batches/no-such-batch/usage")
    calls = [c for d in drafts for c in d["model_calls"]]
    assert usage["ask_ids"] == [i["ask_id"] for i in items]
    # Each draft's own, in the order they were stored (partners are drafted side by side).
    assert sorted(d["draft_id"] for d in usage["drafts"]) == sorted(d["id"] for d in drafts)
    total = usage["total"]
    assert (total["drafts"], total["model_calls"], total["reasks"]) == (3, 6, 3)
    assert (total["prompt_tokens"], total["completion_tokens"]) == (600, 300)
    assert total["cost"] == pytest.approx(sum(c["cost"] for c in calls)) != 0
    assert total["fallbacks"] == {"llm_invalid_output": 3}
    assert unknown.status_code == 404


async def test_a_batch_with_nothing_drafted_yet_sums_to_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    rows = validate_partners([(None, partner(0))])
    created = app.state.service.batches.create(ASK, rows, ["email"], "api")  # not started
    usage = (await client.get(f"/v1/batches/{created.batch_id}/usage")).json()
    assert (usage["ask_ids"], usage["drafts"], usage["total"]["model_calls"]) == ([], [], 0)
    assert usage["total"]["cost"] is None
