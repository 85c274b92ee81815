"""A batch on the review page: its drafts listed together, and one action that approves those
whose must checks pass and refuses the rest."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest_browser import ASKS, post_forms, review_app, seed
from fake_openai import FakeOpenAI, completion
from fastapi.testclient import TestClient

from pitchgen.ask import load_ask
from pitchgen.ask.reading import read_document
from pitchgen.ask.roster import validate_partners
from pitchgen.service import Service
from pitchgen.settings import Settings
from pitchgen.store.repository import Store

DATA = Path(__file__).resolve().parents[1] / "data" / "batch"
ASK = read_document((DATA / "summit-ask.yaml").read_bytes(), "yaml")
NAMES = ["Harbor Makers Guild", "Elm Street Merchants", "Valley Barbers Union"]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.from_url(f"sqlite:///{tmp_path / 'review.db'}")
    yield opened
    opened.close()


@pytest.fixture
def batch(store: Store) -> tuple[str, list[str]]:
    service = Service(Settings(llm="off", batch_runner="local"), store=store)
    rows = validate_partners(
        [(None, {"organization": n, "contact_name": "Sam Rivera"}) for n in NAMES]
    )
    created = service.batches.create(ASK, rows, ["email"], "tester")
    asyncio.run(service.batches.run(created.batch_id))
    ids = service.batches.draft_ids(created.batch_id)
    # A reviewer's edit drops the partner's name from one of them: a must check fails.
    failing = service.get_draft(ids[1])
    content = failing.content.model_dump(mode="json")
    content["body"] = content["body"].replace(NAMES[1], "your group")
    service.edit(ids[1], content, failing.version, "reviewer")
    seed(store, load_ask(ASKS / "summit-venue.yaml"))  # drafts of no batch
    return created.batch_id, ids


def test_a_batch_lists_its_drafts_together_and_approves_the_passing_ones(
    store: Store, batch: tuple[str, list[str]]
) -> None:
    batch_id, ids = batch
    with TestClient(review_app(store), follow_redirects=False) as client:
        html = client.get(f"/review?batch={batch_id}").text
        assert "Batch of 3 partners" in html
        assert all(f"/review/drafts/{i}" in html for i in ids)
        assert "Main Street Business Alliance" not in html  # another ask's drafts
        fields = post_forms(html)["approve"]
        response = client.post(f"/review/batches/{batch_id}/approve", data=fields)
        assert response.status_code == 303
        after = client.get(response.headers["location"]).text
    assert "Approved 2 drafts. 1 with a failing must check was not approved" in after
    statuses = [store.get_draft(i).status for i in ids]
    assert statuses == ["approved", "draft", "approved"]


def test_approving_a_batch_needs_the_pages_token(
    store: Store, batch: tuple[str, list[str]]
) -> None:
    batch_id, ids = batch
    with TestClient(review_app(store), follow_redirects=False) as client:
        client.get(f"/review?batch={batch_id}")
        response = client.post(f"/review/batches/{batch_id}/approve", data={"csrf": "forged"})
    assert response.status_code == 403
    assert all(store.get_draft(i).status == "draft" for i in ids)


def test_an_unknown_batch_is_a_filter_problem(store: Store) -> None:
    with TestClient(review_app(store), follow_redirects=False) as client:
        response = client.get("/review?batch=nope")
    assert response.status_code == 422
    assert "no batch with id nope" in response.text


def test_a_batch_shows_the_model_calls_of_its_drafts_summed(store: Store) -> None:
    prices = {"fake-model": {"prompt": 1.0, "completion": 2.0}}
    # Every reply fails the checks: each draft asks, re-asks, then falls back to its template.
    with FakeOpenAI(lambda body: completion("no draft here")) as model:
        settings = Settings(llm="live", OPENAI_BASE_URL=model.base_url, OPENAI_API_KEY="sk-x",
                            prices=prices, batch_runner="local")  # fmt: skip
        service = Service(settings, store=store)
        rows = validate_partners([(None, {"organization": n}) for n in NAMES])
        created = service.batches.create(ASK, rows, ["email"], "tester")

        async def drafted() -> None:
            await service.batches.run(created.batch_id)
            await service.llm().aclose()  # on the loop it was opened on

        asyncio.run(drafted())
    with TestClient(review_app(store), follow_redirects=False) as client:
        html = client.get(f"/review?batch={created.batch_id}").text
    # 3 drafts, 2 calls each of 100 prompt and 50 completion tokens, at 1 and 2 a million.
    assert (
        "Model calls of its 3 drafts: 6 model calls, 3 re-asks, 0 retries, 600 / 300 tokens,"
        " about 0.0012 at the operator&#39;s prices." in html
    )
