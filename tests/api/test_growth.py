"""Nothing a client can do grows without bound: revisions and events come a page at a time,
idempotency records expire, and review sign-ins are capped and expire."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI

from pitchgen.ask import Ask, load_ask
from pitchgen.review import workflow as review
from pitchgen.server import RateLimit, create_app
from pitchgen.settings import Settings
from pitchgen.store.migrations.schema import api_idempotency
from pitchgen.store.repository import Store
from pitchgen.web.auth import Sessions

pytest_plugins = ["conftest_store"]

ROOT = Path(__file__).resolve().parents[2]
SUMMIT = load_ask(ROOT / "fixtures" / "asks" / "summit-venue.yaml").model_dump(
    mode="json", exclude_none=True
)
UNLIMITED = RateLimit(per_second=1e6, burst=1_000_000)


def app_with(**settings: object) -> FastAPI:
    return create_app(Settings(llm="off", **settings), rate_limit=UNLIMITED)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app_with())
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        yield client


async def email(client: httpx.AsyncClient) -> str:
    created = await client.post("/v1/drafts", json={"ask": SUMMIT, "channels": ["email"]})
    return created.json()["drafts"][0]["id"]


async def walk(client: httpx.AsyncClient, url: str, items: str, **query: object) -> list[list]:
    """Every page of a listing, following `next_cursor` to the end."""
    pages, cursor = [], None
    while True:
        params = query | ({"cursor": cursor} if cursor else {})
        body = (await client.get(url, params=params)).json()
        pages.append(body[items])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages


# --- revisions and events --------------------------------------------------------------------


async def test_revisions_come_a_page_at_a_time(client: httpx.AsyncClient) -> None:
    draft_id = await email(client)
    url = f"/v1/drafts/{draft_id}"
    content = (await client.get(url)).json()["content"]
    for version in range(1, 13):
        edited = content | {"subject": f"Venue for the summit, take {version}"}
        response = await client.patch(url, json={"content": edited, "version": version})
        assert response.status_code == 200, response.text

    first = (await client.get(f"{url}/revisions")).json()
    pages = await walk(client, f"{url}/revisions", "revisions", limit=5)

    assert len(first["revisions"]) == 10 and first["next_cursor"]
    assert [len(p) for p in pages] == [5, 5, 3]
    assert [r["version"] for p in pages for r in p] == list(range(1, 14))
    too_many = await client.get(f"{url}/revisions", params={"limit": 21})
    assert too_many.status_code == 422


async def test_events_come_a_page_at_a_time(client: httpx.AsyncClient) -> None:
    draft_id = await email(client)
    url = f"/v1/drafts/{draft_id}"
    for _ in range(3):
        await client.post(f"{url}/reject", json={"reason": "Not this week"})
        await client.post(f"{url}/reopen")

    pages = await walk(client, f"{url}/events", "events", limit=3)
    everything = (await client.get(f"{url}/events")).json()

    assert [len(p) for p in pages] == [3, 3, 1]
    assert [e["action"] for p in pages for e in p] == ["created"] + ["reject", "reopen"] * 3
    assert everything["next_cursor"] is None and len(everything["events"]) == 7


async def test_a_forged_page_cursor_is_a_422_and_a_missing_draft_a_404(
    client: httpx.AsyncClient,
) -> None:
    draft_id = await email(client)
    forged = await client.get(f"/v1/drafts/{draft_id}/events", params={"cursor": "bm9wZQ"})
    missing = await client.get("/v1/drafts/nope/revisions", params={"cursor": "WzFd"})
    assert (forged.status_code, missing.status_code) == (422, 404)


def test_the_store_pages_events_and_revisions(store: Store, summit: Ask, make_set) -> None:
    drafted = make_set()
    store.save_draft_set(summit, drafted)
    draft_id = drafted.drafts[0].id
    for _ in range(2):
        review.reject(store, draft_id, "ava", "not this week")
        review.reopen(store, draft_id, "ava")

    first, cursor = store.event_page(draft_id, limit=2)
    rest, end = store.event_page(draft_id, limit=10, cursor=cursor)
    revisions, no_more = store.revision_page(draft_id, limit=1)

    assert [e.action for e in first + rest] == ["created"] + ["reject", "reopen"] * 2
    assert end is None
    assert ([r.version for r in revisions], no_more) == ([1], None)


# --- idempotency records ---------------------------------------------------------------------


def age_records(app: FastAPI, hours: float) -> None:
    engine = app.state.service.store().engine
    then = dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours)
    with engine.begin() as conn:
        conn.execute(api_idempotency.update().values(created_at=then))


def record_keys(app: FastAPI) -> list[str]:
    engine = app.state.service.store().engine
    with engine.connect() as conn:
        return sorted(conn.execute(sa.select(api_idempotency.c.key)).scalars())


@pytest.mark.parametrize(
    ("window", "age", "replayed"), [(24, 23, True), (24, 25, False), (1, 2, False)]
)
async def test_an_idempotency_key_is_new_again_after_its_window(
    window: float, age: float, replayed: bool
) -> None:
    app = app_with(idempotency_window_hours=window)
    key = {"Idempotency-Key": "retry-1"}
    other_ask = copy.deepcopy(SUMMIT) | {"channels": ["email"]}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        first = await client.post("/v1/drafts", json={"ask": SUMMIT}, headers=key)
        age_records(app, age)
        again = await client.post("/v1/drafts", json={"ask": other_ask}, headers=key)

    assert first.status_code == 201
    if replayed:  # the same key with another body, inside the window: refused
        assert again.status_code == 422
    else:  # an expired key is a new key: the new body is drafted
        assert again.status_code == 201 and "idempotent-replayed" not in again.headers
        assert again.json()["ask_id"] != first.json()["ask_id"]


async def test_expired_idempotency_records_are_purged() -> None:
    app = create_app(Settings(llm="off"), rate_limit=UNLIMITED)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        for key in ("old-1", "old-2"):
            await client.post("/v1/drafts", json={"ask": SUMMIT}, headers={"Idempotency-Key": key})
        age_records(app, 48)
        # A fresh process: its first keyed request sweeps what expired.
        app.state.service.store()._purged_at = None
        await client.post("/v1/drafts", json={"ask": SUMMIT}, headers={"Idempotency-Key": "new"})
    assert record_keys(app) == ["new"]


# --- review sign-ins -------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_each_key_holds_a_few_sessions_and_a_new_one_ends_its_oldest() -> None:
    sessions = Sessions(per_key=3, clock=Clock())
    ids = [sessions.start("reviewer:aaaa")[0] for _ in range(5)]
    other, _ = sessions.start("reviewer:bbbb")
    assert [sessions.get(i) is not None for i in ids] == [False, False, True, True, True]
    assert sessions.get(other) is not None


def test_the_server_holds_at_most_its_limit_of_sessions() -> None:
    sessions = Sessions(limit=100, clock=Clock())
    ids = [sessions.start(f"reviewer:{n:04}")[0] for n in range(8_621)]
    assert len(sessions) == 100
    assert sessions.get(ids[-1]) is not None and sessions.get(ids[0]) is None


def test_a_session_ends_when_left_idle_and_after_its_lifetime() -> None:
    clock = Clock()
    sessions = Sessions(lifetime=100, idle=30, clock=clock)
    busy, _ = sessions.start("reviewer:aaaa")
    idle, _ = sessions.start("reviewer:bbbb")
    for clock.now in (20, 40, 60, 80):
        assert sessions.get(busy) is not None
    assert sessions.get(idle) is None  # unused for 30 s
    clock.now = 100
    assert sessions.get(busy) is None  # a working day is the most, however busy
    assert len(sessions) == 0
