"""POST /v1/drafts/{id}/send: approved emails go out over SMTP once; calls and meetings are done."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from pitchgen.ask import load_ask
from pitchgen.server import RateLimit, create_app
from pitchgen.settings import Settings

SUMMIT = load_ask(
    Path(__file__).resolve().parents[2] / "fixtures" / "asks" / "summit-venue.yaml"
).model_dump(mode="json", exclude_none=True)
UNLIMITED = RateLimit(per_second=1e6, burst=1_000_000)


async def client_for(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(settings, rate_limit=UNLIMITED))
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        yield client


@pytest.fixture
async def client(smtp_server, request) -> AsyncIterator[httpx.AsyncClient]:
    inbox, port = smtp_server()
    request.node.inbox = inbox
    settings = Settings(llm="off", smtp_host="127.0.0.1", smtp_port=port, smtp_tls="none")
    async for c in client_for(settings):
        yield c


async def approved(client: httpx.AsyncClient, channel: str) -> dict:
    created = await client.post("/v1/drafts", json={"ask": SUMMIT, "channels": [channel]})
    draft = created.json()["drafts"][0]
    response = await client.post(f"/v1/drafts/{draft['id']}/approve", json={"version": 1})
    assert response.status_code == 200, response.text
    return response.json()


async def test_an_approved_email_is_sent_once(client, request):
    draft = await approved(client, "email")

    sent = await client.post(f"/v1/drafts/{draft['id']}/send")
    again = await client.post(f"/v1/drafts/{draft['id']}/send")

    assert sent.status_code == 200, sent.text
    assert sent.json()["status"] == "sent"
    assert sent.json()["message_id"]
    assert again.status_code == 409
    [message] = request.node.inbox.messages
    assert message["Message-ID"].strip() == sent.json()["message_id"]
    assert message["To"].addresses[0].addr_spec == "mlee@mainstreetalliance.org"


async def test_an_unapproved_draft_is_refused(client, request):
    created = await client.post("/v1/drafts", json={"ask": SUMMIT, "channels": ["email"]})
    draft_id = created.json()["drafts"][0]["id"]

    response = await client.post(f"/v1/drafts/{draft_id}/send")

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert request.node.inbox.envelopes == []


async def test_a_call_script_is_marked_done_without_mail(client, request):
    draft = await approved(client, "call_script")

    response = await client.post(f"/v1/drafts/{draft['id']}/send")

    assert response.json()["status"] == "sent"
    assert request.node.inbox.envelopes == []


async def test_without_smtp_settings_sending_says_how_to_configure_it():
    async for client in client_for(Settings(llm="off")):
        draft = await approved(client, "email")
        response = await client.post(f"/v1/drafts/{draft['id']}/send")
        assert response.status_code == 503
        assert "set PITCHGEN_SMTP_HOST" in response.json()["detail"]
        current = (await client.get(f"/v1/drafts/{draft['id']}")).json()
        assert current["status"] == "approved"
        assert "PITCHGEN_SMTP_HOST" in current["send_error"]
