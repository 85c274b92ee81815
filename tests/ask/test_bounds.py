"""Every input is bounded where a later step could fail on it: dates and minutes the calendar
export can write, and no control character (NUL, terminal escapes, bidi overrides) in any text
that is stored or looked up; each refusal is a 422 naming the field, on SQLite and PostgreSQL
alike, never a 500 at export nor a 503 from the database."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from urllib.parse import quote

import httpx
import pytest
from asks import make_ask

from pitchgen.ask import Channel
from pitchgen.errors import InvalidInput
from pitchgen.export.files import export
from pitchgen.review import workflow as review
from pitchgen.server import RateLimit, create_app
from pitchgen.settings import Settings
from pitchgen.store.repository import Store
from pitchgen.store.rows import Change, NewRevision

pytest_plugins = ["conftest_store"]

SUMMIT = make_ask("summit-venue.yaml").model_dump(mode="json", exclude_none=True)
UNLIMITED = RateLimit(per_second=1e6, burst=1_000_000)


@pytest.fixture
async def client(store_url: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(llm="off", database_url=store_url)
    transport = httpx.ASGITransport(app=create_app(settings, rate_limit=UNLIMITED))
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        yield client


async def draft_of(client: httpx.AsyncClient, channel: str, ask: dict = SUMMIT) -> dict:
    response = await client.post("/v1/drafts", json={"ask": ask, "channels": [channel]})
    assert response.status_code == 201, response.text
    return response.json()["drafts"][0]


def paths(response: httpx.Response, status: int = 422) -> list[str]:
    assert response.status_code == status, response.text
    return [e["path"] for e in response.json().get("errors", [])]


def ask_with(section: str, value) -> dict:
    ask = copy.deepcopy(SUMMIT)
    ask[section] = value
    return ask


@pytest.mark.parametrize(
    ("ask", "path"),
    [
        (
            ask_with("meeting", {"proposed_times": ["9999-12-31T23:50:00Z"]}),
            "ask.meeting.proposed_times[0]",
        ),
        (
            ask_with("timeline", [{"date": "9999-12-31", "milestone": "Launch"}]),
            "ask.timeline[0].date",
        ),
        (ask_with("respond_by", "0001-01-01"), "ask.respond_by"),
    ],
    ids=["proposed-time", "milestone", "respond-by"],
)
async def test_dates_the_calendar_cannot_write_are_refused_at_their_path(client, ask, path):
    assert path in paths(await client.post("/v1/drafts", json={"ask": ask}))


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"duration_minutes": 10_000_000_000}, "content.duration_minutes"),
        ({"items": [{"minutes": 2**40, "topic": "t", "owner": "o"}]}, "content.items[0].minutes"),
        (
            {"next_steps": [{"action": "a", "owner": "o", "date": "9999-12-31"}]},
            "content.next_steps[0].date",
        ),
    ],
    ids=["duration", "item-minutes", "next-step-date"],
)
async def test_an_edit_the_calendar_cannot_write_is_refused_and_export_still_works(
    client, change, path
):
    draft = await draft_of(client, "meeting_agenda")
    body = {"content": draft["content"] | change, "version": 1}

    assert paths(await client.patch(f"/v1/drafts/{draft['id']}", json=body)) == [path]
    exported = await client.get(f"/v1/drafts/{draft['id']}/export", params={"format": "ics"})
    assert exported.status_code == 200


NUL, ESC, RLO = "\x00", "\x1b", "\u202e"


@pytest.mark.parametrize("bad", [NUL, ESC, RLO], ids=["nul", "esc", "bidi"])
async def test_control_characters_are_refused_in_every_stored_text(client, bad):
    draft = await draft_of(client, "email")
    url = f"/v1/drafts/{draft['id']}"
    content = draft["content"] | {"subject": f"A room{bad} for you"}

    assert paths(await client.patch(url, json={"content": content, "version": 1})) == [
        "content.subject"
    ]
    edit = {"content": draft["content"] | {"body": "Dear Marcus"}, "version": 1}
    assert paths(await client.patch(url, json=edit | {"note": f"n{bad}"})) == ["note"]
    assert paths(await client.patch(url, json=edit | {"author": f"Bo{bad}b"})) == ["author"]
    assert paths(await client.post(f"{url}/reject", json={"reason": f"no{bad}"})) == ["reason"]
    approve = {"override_reason": f"ok{bad}"}
    assert paths(await client.post(f"{url}/approve", json=approve)) == ["override_reason"]
    assert paths(await client.get("/v1/drafts", params={"partner": f"Main{bad}"})) == ["partner"]
    escaped = quote(bad)  # as a client sends it in a path
    assert (await client.get(f"/v1/drafts/{draft['id']}{escaped}")).status_code == 404
    assert (await client.get(f"/v1/drafts/{escaped}/events")).status_code == 404
    assert (await client.get(url)).json()["version"] == 1


async def test_an_author_cannot_pose_as_a_keys_name(client):
    draft = await draft_of(client, "email")
    forged = {"author": "Eve (reviewer:0000abcd)"}

    assert paths(await client.post(f"/v1/drafts/{draft['id']}/approve", json=forged)) == ["author"]
    assert (await client.get(f"/v1/drafts/{draft['id']}")).json()["status"] == "draft"


def test_a_stored_subject_with_a_control_character_is_refused_at_export_not_written(
    store: Store, summit, make_set
):
    drafted = make_set()
    store.save_draft_set(summit, drafted)
    (email,) = [d for d in drafted.drafts if d.channel is Channel.email]
    draft = store.get_draft(email.id)
    # As an older pitchgen could have stored it, before edits were checked. (PostgreSQL never
    # took a NUL, so an escape and a C1 control stand in for every kind.)
    raw = {"subject": f"A room\x9b for{ESC}[2J you", "body": "Dear Marcus"}
    change = Change("edit", "ava", "draft", revision=NewRevision(raw, "", []))
    stored = review.approve(store, store.apply(draft, change).id, "ava")

    with pytest.raises(InvalidInput) as refused:
        export(stored, summit, "eml", now=datetime(2027, 1, 5, tzinfo=UTC))

    assert [p.path for p in refused.value.problems] == ["content.subject"]
