"""Under load and under a crash: parallel edits of one draft lose nothing, and a server killed
mid-request leaves every stored ask with all its drafts, revisions and events."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from pitchgen.ask import load_ask
from pitchgen.server import RateLimit, create_app
from pitchgen.settings import Settings
from pitchgen.store.migrations.schema import asks
from pitchgen.store.repository import Store

ROOT = Path(__file__).resolve().parents[2]
SUMMIT = load_ask(ROOT / "fixtures" / "asks" / "summit-venue.yaml").model_dump(
    mode="json", exclude_none=True
)
EDITORS = 16


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(llm="off"), rate_limit=RateLimit(per_second=1e6, burst=10**6))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        yield client


async def new_email(client: httpx.AsyncClient) -> str:
    created = await client.post("/v1/drafts", json={"ask": SUMMIT, "channels": ["email"]})
    return created.json()["drafts"][0]["id"]


def edit(n: int) -> dict:
    return {"subject": f"Edit {n}", "body": f"Dear Marcus Lee, edit number {n}."}


async def test_parallel_edits_of_one_version_let_exactly_one_through(
    client: httpx.AsyncClient,
) -> None:
    url = f"/v1/drafts/{await new_email(client)}"
    responses = await asyncio.gather(
        *(client.patch(url, json={"content": edit(n), "version": 1}) for n in range(EDITORS))
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * (EDITORS - 1)
    winner = next(r.json() for r in responses if r.status_code == 200)
    assert (await client.get(url)).json()["content"] == winner["content"]


async def test_parallel_editors_who_retry_on_409_lose_no_edit(client: httpx.AsyncClient) -> None:
    url = f"/v1/drafts/{await new_email(client)}"

    async def editor(n: int) -> int:
        for attempt in range(1, 10 * EDITORS):
            version = (await client.get(url)).json()["version"]
            response = await client.patch(url, json={"content": edit(n), "version": version})
            if response.status_code == 200:
                return attempt
            assert response.status_code == 409, response.text
        raise AssertionError(f"editor {n} never got through")

    await asyncio.gather(*(editor(n) for n in range(EDITORS)))

    revisions = (await client.get(f"{url}/revisions?limit=20")).json()["revisions"]
    assert [r["version"] for r in revisions] == list(range(1, EDITORS + 2))
    assert sorted(r["content"]["subject"] for r in revisions[1:]) == sorted(
        f"Edit {n}" for n in range(EDITORS)
    )
    assert (await client.get(url)).json()["version"] == EDITORS + 1


# --- a crash mid-request ---------------------------------------------------------------------


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen, str, str]]:
    """uvicorn on an ephemeral loopback port, in its own process, as `pitchgen serve` runs it."""
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    env = {**os.environ, "PITCHGEN_DATABASE_URL": url, "PITCHGEN_LLM": "off"}
    env.pop("PITCHGEN_API_KEYS", None)
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "pitchgen.server:create_app",
        "--host", "127.0.0.1", "--port", "0", "--no-access-log",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    try:
        for line in process.stderr:
            if found := re.search(r"Uvicorn running on (http://127\.0\.0\.1:\d+)", line):
                break
        else:
            raise AssertionError("uvicorn exited before it was serving")
        yield process, found.group(1), url
    finally:
        process.kill()
        process.wait()
        process.stderr.close()


async def test_a_server_killed_mid_request_leaves_no_half_written_draft(
    server: tuple[subprocess.Popen, str, str],
) -> None:
    process, base_url, db_url = server
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        first = await client.post("/v1/drafts", json={"ask": SUMMIT})
        draft_ids = [d["id"] for d in first.json()["drafts"]]
        posts = [
            asyncio.create_task(client.post("/v1/drafts", json={"ask": SUMMIT})) for _ in range(30)
        ]
        patches = [
            asyncio.create_task(
                client.patch(f"/v1/drafts/{draft_ids[0]}", json={"content": edit(n), "version": 1})
            )
            for n in range(10)
        ]
        pending = set(posts + patches)
        done_count = 0
        while done_count < 3:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            done_count += len(done)
        process.kill()
        process.wait()
        results = await asyncio.gather(*posts, *patches, return_exceptions=True)

    answered = [r for r in results if isinstance(r, httpx.Response)]
    assert any(isinstance(r, httpx.TransportError) for r in results), "nothing was in flight"
    acknowledged = {r.json()["ask_id"] for r in answered if r.status_code == 201}

    store = Store.from_url(db_url)
    try:
        with store.engine.connect() as conn:
            stored = {row.id: row.ask for row in conn.execute(sa.select(asks.c.id, asks.c.ask))}
        assert acknowledged | {first.json()["ask_id"]} <= stored.keys()
        drafts, cursor = [], None
        while True:
            listing = store.list_drafts(limit=200, cursor=cursor)
            page, cursor = listing.drafts, listing.next_cursor
            drafts += page
            if cursor is None:
                break
        for ask_id, ask in stored.items():
            channels = sorted(d.channel for d in drafts if d.ask_id == ask_id)
            assert channels == sorted(ask["channels"]), f"ask {ask_id} is missing drafts"
        for draft in drafts:
            versions = [r.version for r in store.revisions(draft.id)]
            assert versions == list(range(1, draft.version + 1)), f"draft {draft.id}"
            actions = [e.action for e in store.events(draft.id)]
            assert actions[0] == "created" and actions.count("edit") == draft.version - 1
    finally:
        store.close()
