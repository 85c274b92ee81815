"""The HTTP API as a client meets it: drafting, listing, editing with versions, review steps,
exports and recommendations, with every error a problem+json document naming what was wrong."""

from __future__ import annotations

import copy
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI

from pitchgen.ask import load_ask, validate_ask
from pitchgen.errors import InvalidInput
from pitchgen.server import RateLimit, create_app
from pitchgen.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SUMMIT = load_ask(ROOT / "fixtures" / "asks" / "summit-venue.yaml").model_dump(
    mode="json", exclude_none=True
)
UNLIMITED = RateLimit(per_second=1e6, burst=1_000_000)


@pytest.fixture
def app() -> FastAPI:
    return create_app(Settings(llm="off"), rate_limit=UNLIMITED)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        yield client


def with_partner(name: str) -> dict[str, Any]:
    ask = copy.deepcopy(SUMMIT)
    ask["partner"]["organization"] = name
    return ask


async def drafted(client: httpx.AsyncClient, ask: dict | None = None, **extra: Any) -> dict:
    response = await client.post("/v1/drafts", json={"ask": ask or SUMMIT, **extra})
    assert response.status_code == 201, response.text
    return response.json()


async def email_of(client: httpx.AsyncClient) -> dict:
    result = await drafted(client, channels=["email"])
    return result["drafts"][0]


def assert_problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert {"type", "title", "detail", "instance", "request_id"} <= body.keys()
    return body


# --- drafting ------------------------------------------------------------------------------------


async def test_drafting_an_example_returns_the_contract_shape(
    client: httpx.AsyncClient, example_path: Path
) -> None:
    ask = load_ask(example_path)
    result = await drafted(client, ask.model_dump(mode="json", exclude_none=True))

    assert set(result) == {"ask_id", "recommended_channel", "warnings", "drafts"}
    assert [d["channel"] for d in result["drafts"]] == [str(c) for c in ask.channels]
    for draft in result["drafts"]:
        assert (draft["status"], draft["version"], draft["source"]) == ("draft", 1, "template")
        assert draft["fallback_reason"] == "llm_off"
        assert uuid.UUID(draft["id"]).version == 4


async def test_channels_narrow_what_is_drafted(client: httpx.AsyncClient) -> None:
    result = await drafted(client, channels=["meeting_agenda", "email"])
    assert [d["channel"] for d in result["drafts"]] == ["email", "meeting_agenda"]


async def test_a_drafted_set_is_stored_and_readable_with_an_etag(
    client: httpx.AsyncClient,
) -> None:
    result = await drafted(client)
    for draft in result["drafts"]:
        response = await client.get(f"/v1/drafts/{draft['id']}")
        assert response.status_code == 200
        stored = response.json()
        assert stored["ask_id"] == result["ask_id"]
        assert (stored["content"], stored["checks"]) == (draft["content"], draft["checks"])
        assert response.headers["etag"].startswith('"1-')


# the same messages as `pitchgen draft` prints, under `ask.`
INVALID_ASKS = [
    ("timeline", [{"date": "2027-02-30", "milestone": "Summit"}], "timeline[0].date"),
    ("budget", {"amount": -1}, "budget.amount"),
    ("respond_by", "soon", "respond_by"),
    ("channels", ["fax"], "channels[0]"),
    ("model", "gpt-4o", "model"),
]


@pytest.mark.parametrize(("field", "value", "path"), INVALID_ASKS)
async def test_an_invalid_ask_is_refused_with_the_clis_problem_at_its_path(
    client: httpx.AsyncClient, field: str, value: Any, path: str
) -> None:
    ask = {**SUMMIT, field: value}
    with pytest.raises(InvalidInput) as cli:
        validate_ask(ask)

    body = assert_problem(await client.post("/v1/drafts", json={"ask": ask}), 422)

    expected = [{"path": f"ask.{p.path}", "message": p.message} for p in cli.value.problems]
    assert body["errors"] == expected
    assert any(e["path"] == f"ask.{path}" for e in body["errors"])


@pytest.mark.parametrize(
    ("body", "path", "message"),
    [
        ({"ask": SUMMIT, "model": "gpt-4o"}, "model", "unknown field"),
        ({"ask": SUMMIT, "base_url": "http://evil.test"}, "base_url", "unknown field"),
        ({"ask": SUMMIT, "channels": ["fax"]}, "channels[0]", "input should be"),
        ({"ask": SUMMIT, "channels": []}, "channels", "list should have at least 1 item"),
        ({"channels": ["email"]}, "ask", "required"),
        ([SUMMIT], "", "input should be a valid dictionary"),
    ],
)
async def test_a_malformed_request_names_the_field(
    client: httpx.AsyncClient, body: Any, path: str, message: str
) -> None:
    problem = assert_problem(await client.post("/v1/drafts", json=body), 422)
    assert [e["path"] for e in problem["errors"]] == [path]
    assert problem["errors"][0]["message"].startswith(message)


async def test_a_body_that_is_not_json_is_a_problem(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/drafts", content=b'{"ask": ', headers={"content-type": "application/json"}
    )
    body = assert_problem(response, 422)
    assert body["errors"][0]["message"].startswith("not valid JSON")


async def test_a_recommendation_says_which_channel_and_why(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/recommendation", json={"ask": SUMMIT})
    assert response.status_code == 200
    assert response.json()["channel"] in ("email", "call_script", "meeting_agenda")
    assert "Main Street Business Alliance" in response.json()["reason"]


# --- listing -------------------------------------------------------------------------------------


async def test_the_list_is_newest_first_and_pages_with_a_cursor(
    client: httpx.AsyncClient,
) -> None:
    ids = []
    for name in ("First Partner", "Second Partner", "Third Partner"):
        ids += [d["id"] for d in (await drafted(client, with_partner(name)))["drafts"]]

    seen, cursor = [], None
    while True:
        params = {"limit": 4} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/v1/drafts", params=params)).json()
        seen += [d["id"] for d in page["drafts"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(ids))


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"channel": "email"}, 2),
        ({"partner": "second"}, 3),
        ({"partner": "SECOND", "channel": "call_script"}, 1),
        ({"status": "approved"}, 0),
        ({"status": "draft"}, 6),
        ({"status": "", "channel": "", "partner": "", "cursor": ""}, 6),
    ],
)
async def test_the_list_filters(client: httpx.AsyncClient, params: dict, count: int) -> None:
    for name in ("First Partner", "Second Partner"):
        await drafted(client, with_partner(name))
    page = (await client.get("/v1/drafts", params=params)).json()
    assert len(page["drafts"]) == count


@pytest.mark.parametrize(
    ("params", "path"),
    [
        ({"status": "lost"}, "status"),
        ({"channel": "fax"}, "channel"),
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"cursor": "not-a-cursor"}, "cursor"),
    ],
)
async def test_a_bad_list_query_names_the_parameter(
    client: httpx.AsyncClient, params: dict, path: str
) -> None:
    body = assert_problem(await client.get("/v1/drafts", params=params), 422)
    assert [e["path"] for e in body["errors"]] == [path]


# --- editing -------------------------------------------------------------------------------------

NEW_EMAIL = {"subject": "A room for the summit", "body": "Dear Marcus Lee, could you help?"}


async def test_an_edit_makes_a_revision_by_its_author(client: httpx.AsyncClient) -> None:
    draft = await email_of(client)
    response = await client.patch(
        f"/v1/drafts/{draft['id']}",
        json={"content": NEW_EMAIL, "version": 1, "note": "shorter", "author": "Ava"},
    )
    assert response.status_code == 200
    edited = response.json()
    assert (edited["version"], edited["content"]) == (2, NEW_EMAIL)
    assert response.headers["etag"].startswith('"2-')
    assert not all(c["passed"] for c in edited["checks"])  # the checks ran on the new text

    revisions = (await client.get(f"/v1/drafts/{draft['id']}/revisions")).json()["revisions"]
    assert [(r["version"], r["author"], r["note"]) for r in revisions] == [
        (1, "reviewer:local", None),
        (2, "Ava (reviewer:local)", "shorter"),
    ]


async def test_an_edit_against_a_stale_version_is_refused(client: httpx.AsyncClient) -> None:
    draft = await email_of(client)
    url = f"/v1/drafts/{draft['id']}"
    await client.patch(url, json={"content": NEW_EMAIL, "version": 1})

    other = {**NEW_EMAIL, "subject": "Another subject"}
    body = assert_problem(await client.patch(url, json={"content": other, "version": 1}), 409)

    assert body["current_version"] == 2
    assert (await client.get(url)).json()["content"] == NEW_EMAIL


async def test_if_match_with_the_etag_guards_an_edit(client: httpx.AsyncClient) -> None:
    draft = await email_of(client)
    url = f"/v1/drafts/{draft['id']}"
    etag = (await client.get(url)).headers["etag"]

    first = await client.patch(url, json={"content": NEW_EMAIL}, headers={"If-Match": etag})
    again = await client.patch(
        url, json={"content": {**NEW_EMAIL, "subject": "Late"}}, headers={"If-Match": etag}
    )

    assert first.status_code == 200
    assert_problem(again, 409)
    assert (await client.get(url)).json()["version"] == 2


async def test_an_approval_also_changes_the_etag(client: httpx.AsyncClient) -> None:
    draft = await email_of(client)
    url = f"/v1/drafts/{draft['id']}"
    before = (await client.get(url)).headers["etag"]
    approved = await client.post(f"{url}/approve")
    assert approved.headers["etag"] != before
    stale = await client.patch(url, json={"content": NEW_EMAIL}, headers={"If-Match": before})
    assert_problem(stale, 409)


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"content": NEW_EMAIL}, "version"),
        ({"content": {"subject": "Hi"}, "version": 1}, "content.body"),
        ({"content": {**NEW_EMAIL, "cc": "x@y.org"}, "version": 1}, "content.cc"),
        ({"content": "Dear Marcus", "version": 1}, "content"),
        ({"content": NEW_EMAIL, "version": 1, "model": "gpt-4o"}, "model"),
    ],
)
async def test_a_bad_edit_names_the_field(client: httpx.AsyncClient, body: dict, path: str) -> None:
    draft = await email_of(client)
    problem = assert_problem(await client.patch(f"/v1/drafts/{draft['id']}", json=body), 422)
    assert path in [e["path"] for e in problem["errors"]]


# --- review steps --------------------------------------------------------------------------------


async def test_approval_waits_for_the_checks_unless_overridden(client: httpx.AsyncClient) -> None:
    draft = await email_of(client)
    url = f"/v1/drafts/{draft['id']}"
    await client.patch(url, json={"content": NEW_EMAIL, "version": 1})

    refused = assert_problem(await client.post(f"{url}/approve"), 409)
    approved = await client.post(
        f"{url}/approve", json={"override_reason": "Marcus asked for it short"}
    )

    assert "must checks fail" in refused["detail"]
    assert approved.json()["status"] == "approved"
    event = (await client.get(f"{url}/events")).json()["events"][-1]
    assert (event["action"], event["reason"]) == ("approve", "Marcus asked for it short")
    assert event["detail"]["overridden_checks"]


async def test_an_override_reason_of_a_dot_is_refused(client: httpx.AsyncClient) -> None:
    draft = await email_of(client)
    url = f"/v1/drafts/{draft['id']}"
    await client.patch(url, json={"content": NEW_EMAIL, "version": 1})
    problem = assert_problem(
        await client.post(f"{url}/approve", json={"override_reason": "."}), 422
    )
    assert [e["path"] for e in problem["errors"]] == ["override_reason"]
    assert (await client.get(url)).json()["status"] == "draft"


async def test_an_illegal_step_is_refused_naming_the_allowed_ones(
    client: httpx.AsyncClient,
) -> None:
    draft = await email_of(client)
    url = f"/v1/drafts/{draft['id']}"
    rejected = await client.post(f"{url}/reject", json={"reason": "Wrong partner"})

    body = assert_problem(await client.post(f"{url}/approve"), 409)

    assert rejected.json()["status"] == "rejected"
    assert body["allowed"] == ["reopen"]
    reopened = await client.post(f"{url}/reopen", json={"reason": "Right partner after all"})
    assert reopened.json()["status"] == "draft"


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}])
async def test_a_rejection_needs_a_reason(client: httpx.AsyncClient, body: dict) -> None:
    draft = await email_of(client)
    problem = assert_problem(await client.post(f"/v1/drafts/{draft['id']}/reject", json=body), 422)
    assert [e["path"] for e in problem["errors"]] == ["reason"]


async def test_every_step_is_in_the_audit_log(client: httpx.AsyncClient) -> None:
    draft = await email_of(client)
    url = f"/v1/drafts/{draft['id']}"
    await client.post(f"{url}/approve", json={"author": "Ava"})
    await client.post(f"{url}/reopen", json={"author": "Ava", "reason": "One more look"})
    await client.post(f"{url}/reject", json={"author": "Marcus", "reason": "Not this year"})

    events = (await client.get(f"{url}/events")).json()["events"]
    assert [(e["action"], e["actor"], e["to_status"]) for e in events] == [
        ("created", "reviewer:local", "draft"),
        ("approve", "Ava (reviewer:local)", "approved"),
        ("reopen", "Ava (reviewer:local)", "draft"),
        ("reject", "Marcus (reviewer:local)", "rejected"),
    ]


# --- export --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "fmt", "media_type", "suffix"),
    [
        ("email", "eml", "message/rfc822", ".eml"),
        ("email", "md", "text/markdown; charset=utf-8", ".md"),
        ("call_script", "txt", "text/plain; charset=utf-8", ".txt"),
        ("meeting_agenda", "ics", "text/calendar; charset=utf-8", ".ics"),
    ],
)
async def test_a_draft_exports_as_a_file(
    client: httpx.AsyncClient, channel: str, fmt: str, media_type: str, suffix: str
) -> None:
    draft = (await drafted(client, channels=[channel]))["drafts"][0]
    response = await client.get(f"/v1/drafts/{draft['id']}/export", params={"format": fmt})
    assert response.status_code == 200
    assert response.headers["content-type"] == media_type
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=") and disposition.endswith(f'{suffix}"')
    assert "DRAFT" in response.text


@pytest.mark.parametrize(("channel", "fmt"), [("email", "ics"), ("call_script", "eml")])
async def test_a_format_the_channel_lacks_is_refused(
    client: httpx.AsyncClient, channel: str, fmt: str
) -> None:
    draft = (await drafted(client, channels=[channel]))["drafts"][0]
    response = await client.get(f"/v1/drafts/{draft['id']}/export", params={"format": fmt})
    assert [e["path"] for e in assert_problem(response, 422)["errors"]] == ["format"]


# --- missing drafts, health ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("GET", "", None),
        ("PATCH", "", {"content": NEW_EMAIL, "version": 1}),
        ("GET", "/revisions", None),
        ("GET", "/events", None),
        ("POST", "/approve", None),
        ("POST", "/reject", {"reason": "No"}),
        ("POST", "/reopen", None),
        ("GET", "/export?format=txt", None),
    ],
)
async def test_a_missing_draft_is_404(
    client: httpx.AsyncClient, method: str, suffix: str, body: dict | None
) -> None:
    url = f"/v1/drafts/{uuid.uuid4()}{suffix}"
    problem = assert_problem(await client.request(method, url, json=body), 404)
    assert problem["type"] == "urn:pitchgen:problem:not-found"


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    assert (await client.get("/readyz")).json() == {"status": "ready"}


async def test_readiness_fails_while_the_store_is_unreachable(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    app = create_app(Settings(database_url=f"sqlite:///{blocked}/pitchgen.db"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        assert (await client.get("/healthz")).status_code == 200
        body = assert_problem(await client.get("/readyz"), 503)
        listing = assert_problem(await client.get("/v1/drafts"), 503)
    assert str(tmp_path) not in body["detail"] + listing["detail"]


# --- idempotency ---------------------------------------------------------------------------------


async def test_a_retry_with_the_same_key_replays_the_first_response(
    client: httpx.AsyncClient,
) -> None:
    headers = {"Idempotency-Key": "order-42"}
    first = await client.post("/v1/drafts", json={"ask": SUMMIT}, headers=headers)
    # the same body, spaced and ordered differently
    retry = await client.post(
        "/v1/drafts",
        content=httpx.Request("POST", "/", json={"ask": dict(reversed(SUMMIT.items()))}).content,
        headers={**headers, "content-type": "application/json"},
    )

    assert (retry.status_code, retry.json()) == (first.status_code, first.json())
    assert retry.headers["idempotent-replayed"] == "true"
    listing = (await client.get("/v1/drafts")).json()["drafts"]
    assert len(listing) == len(first.json()["drafts"])


async def test_the_same_key_with_another_body_is_refused(client: httpx.AsyncClient) -> None:
    headers = {"Idempotency-Key": "order-42"}
    await client.post("/v1/drafts", json={"ask": SUMMIT}, headers=headers)
    other = await client.post(
        "/v1/drafts", json={"ask": with_partner("Someone Else")}, headers=headers
    )
    body = assert_problem(other, 422)
    assert [e["path"] for e in body["errors"]] == ["Idempotency-Key"]


@pytest.mark.parametrize("failing_table", ["api_idempotency", "events"])
async def test_a_failed_save_keeps_neither_the_drafts_nor_the_key(
    app: FastAPI, client: httpx.AsyncClient, failing_table: str
) -> None:
    """The drafts and the key's record are one transaction: as if the server died mid-write,
    nothing is kept, and the client's retry drafts once."""
    engine = app.state.service.store().engine
    fail = failing_insert(failing_table)
    sa.event.listen(engine, "before_cursor_execute", fail)
    headers = {"Idempotency-Key": "order-42"}
    failed = await client.post("/v1/drafts", json={"ask": SUMMIT}, headers=headers)
    sa.event.remove(engine, "before_cursor_execute", fail)

    assert_problem(failed, 503)
    assert (await client.get("/v1/drafts")).json()["drafts"] == []
    retry = await client.post("/v1/drafts", json={"ask": SUMMIT}, headers=headers)
    again = await client.post("/v1/drafts", json={"ask": SUMMIT}, headers=headers)
    assert retry.status_code == 201 and "idempotent-replayed" not in retry.headers
    assert (again.headers["idempotent-replayed"], again.json()) == ("true", retry.json())
    listing = (await client.get("/v1/drafts")).json()["drafts"]
    assert sorted(d["id"] for d in listing) == sorted(d["id"] for d in retry.json()["drafts"])


def failing_insert(table: str) -> Callable[..., None]:
    """A `before_cursor_execute` hook under which the database refuses inserts into `table`."""

    def hook(conn: sa.Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith(f"INSERT INTO {table} "):
            raise conn.dialect.loaded_dbapi.OperationalError("simulated disk failure")

    return hook


async def test_different_keys_draft_separately(client: httpx.AsyncClient) -> None:
    one = await client.post("/v1/drafts", json={"ask": SUMMIT}, headers={"Idempotency-Key": "a"})
    two = await client.post("/v1/drafts", json={"ask": SUMMIT}, headers={"Idempotency-Key": "b"})
    assert one.json()["ask_id"] != two.json()["ask_id"]
    assert "idempotent-replayed" not in two.headers


# --- the schema ----------------------------------------------------------------------------------


async def test_the_openapi_schema_has_the_example_asks_and_problem_responses(
    client: httpx.AsyncClient, examples_dir: Path
) -> None:
    schema = (await client.get("/openapi.json")).json()
    post = schema["paths"]["/v1/drafts"]["post"]
    examples = post["requestBody"]["content"]["application/json"]["examples"]
    assert set(examples) == {p.stem for p in examples_dir.iterdir()}
    for path, operations in schema["paths"].items():
        for operation in operations.values() if path.startswith("/v1/") else ():
            errors = {k: v for k, v in operation["responses"].items() if k[0] in "45"}
            assert errors, (path, "documents no error")
            for status, response in errors.items():
                assert list(response["content"]) == ["application/problem+json"], (path, status)


async def test_a_model_that_cannot_answer_falls_back_to_the_templates(tmp_path: Path) -> None:
    app = create_app(Settings(llm="replay", fixtures=tmp_path), rate_limit=UNLIMITED)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        for _ in range(2):  # one model client serves every request
            result = await drafted(client, channels=["email"])
            assert [d["fallback_reason"] for d in result["drafts"]] == ["replay_miss"]


@pytest.mark.parametrize("path", ["/v1/drafts", "/v1/checks", "/v1/recommendation"])
@pytest.mark.parametrize("depth", [101, 2000])
async def test_a_body_nested_too_deep_is_invalid_input(
    client: httpx.AsyncClient, path: str, depth: int
) -> None:
    deep = "[" * depth + "]" * depth
    body = f'{{"ask": {deep}, "channel": "email", "channels": ["email"]}}'
    response = await client.post(path, content=body, headers={"content-type": "application/json"})
    problem = assert_problem(response, 422)
    assert problem["errors"] == [
        {"path": "", "message": "the document is nested more than 100 lists or mappings deep"}
    ]
