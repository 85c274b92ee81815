"""The partner pages of the review site: the directory and one partner, text escaped."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from pitchgen.server import RateLimit, create_app
from pitchgen.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DIRECTORY = (ROOT / "tests" / "data" / "partners" / "directory.csv").read_bytes()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(llm="off"), rate_limit=RateLimit(per_second=1e6, burst=1_000_000))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        yield client


async def test_the_directory_page_lists_and_searches_partners(client: httpx.AsyncClient) -> None:
    await client.post(
        "/v1/partners/import", content=DIRECTORY, headers={"content-type": "text/csv"}
    )
    page = await client.get("/review/partners", params={"q": "capitol hill", "need": "workspace"})
    assert page.status_code == 200
    assert "Potomac University Capitol Hill Center" in page.text
    assert "Center for Housing Abundance" not in page.text
    assert "Smith, Delgado &amp; Park LLP" in (await client.get("/review/partners")).text


async def test_a_partner_page_shows_who_they_are_and_what_we_asked(
    client: httpx.AsyncClient,
) -> None:
    created = await client.post(
        "/v1/partners",
        json={
            "organization": "<b>Bold</b> Org",
            "contact_name": "Ann Lee",
            "focus": "Rooms",
            "can_offer": ["workspace"],
        },
    )
    partner_id = created.json()["id"]
    from pitchgen.ask import load_ask

    ask = load_ask(ROOT / "fixtures" / "asks" / "summit-venue.yaml").model_dump(
        mode="json", exclude_none=True
    )
    del ask["partner"]
    drafted = await client.post(
        "/v1/drafts", json={"ask": ask, "partner_id": partner_id, "channels": ["email"]}
    )
    draft_id = drafted.json()["drafts"][0]["id"]
    page = await client.get(f"/review/partners/{partner_id}")
    assert page.status_code == 200
    assert "&lt;b&gt;Bold&lt;/b&gt; Org" in page.text and "<b>Bold</b>" not in page.text
    assert "Main Street Licensing Summit" in page.text
    assert f'href="/review/drafts/{draft_id}"' in page.text
    assert (await client.get("/review/partners/nope")).status_code == 404
