"""What an operator sees of a running server: a request id on every answer, log line and
audit event; metrics behind the keys, labelled by route templates; the ledger of model calls
on each draft and summed per ask; and a draft read that is fast yet never stale."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from pitchgen.ask import load_ask
from pitchgen.ask.roster import validate_partners
from pitchgen.server import RateLimit, create_app
from pitchgen.server.logs import JsonFormatter, TextFormatter
from pitchgen.settings import Settings
from pitchgen.store.repository import Store

ROOT = Path(__file__).resolve().parents[2]
SUMMIT = load_ask(ROOT / "fixtures" / "asks" / "summit-venue.yaml")
ASK = {"ask": SUMMIT.model_dump(mode="json", exclude_none=True)}
KEY = "k-5c1e0a9b7d3f2e4a-metrics"
UNLIMITED = RateLimit(per_second=1e6, burst=1_000_000)


def client_for(app: FastAPI) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://localhost")


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(create_app(Settings(llm="off"), rate_limit=UNLIMITED)) as client:
        yield client


async def drafted(client: httpx.AsyncClient, **headers: str) -> dict:
    response = await client.post("/v1/drafts", json=ASK, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


# --- request ids --------------------------------------------------------------------------------


async def test_a_sane_request_id_is_kept_and_written_on_the_audit_events(client) -> None:
    result = await drafted(client, **{"X-Request-ID": "trace-42.a:b_c"})
    draft_id = result["drafts"][0]["id"]
    approve = await client.post(
        f"/v1/drafts/{draft_id}/approve", json={}, headers={"X-Request-ID": "approve-7"}
    )
    assert approve.headers["x-request-id"] == "approve-7"
    events = (await client.get(f"/v1/drafts/{draft_id}/events")).json()["events"]
    assert [(e["action"], e["request_id"]) for e in events] == [
        ("created", "trace-42.a:b_c"),
        ("approve", "approve-7"),
    ]


@pytest.mark.parametrize("offered", ["", "a" * 65, "two words", "<script>", "é"])
async def test_any_other_request_id_is_replaced_with_a_fresh_one(client, offered: str) -> None:
    response = await client.get("/v1/drafts/none", headers={"X-Request-ID": offered.encode()})
    given = response.headers["x-request-id"]
    assert given != offered and re.fullmatch(r"[0-9a-f]{16}", given)
    assert response.json()["request_id"] == given  # the problem names it too


async def test_the_request_id_goes_with_the_model_call(tmp_path: Path) -> None:
    from fake_openai import FakeOpenAI, completion

    seen: list[str | None] = []

    class Recording(FakeOpenAI):
        async def _answer(self, method, path, raw, headers):
            seen.append(headers.get("x-request-id"))
            return await super()._answer(method, path, raw, headers)

    with Recording(lambda body: completion("not json")) as server:
        settings = Settings(llm="live", OPENAI_BASE_URL=server.base_url, OPENAI_API_KEY="sk-x")
        async with client_for(create_app(settings, rate_limit=UNLIMITED)) as client:
            result = await drafted(client, **{"X-Request-ID": "call-me"})
            body = json.dumps(result)
    assert seen and set(seen) == {"call-me"}
    assert "sk-x" not in body


# --- logs --------------------------------------------------------------------------------------


async def test_one_log_line_per_request_with_no_ask_text(client, caplog) -> None:
    caplog.set_level(logging.INFO, logger="pitchgen")
    result = await drafted(client, **{"X-Request-ID": "log-1"})
    await client.get(f"/v1/drafts/{result['drafts'][0]['id']}")
    requests = [r for r in caplog.records if getattr(r, "event", None) == "request"]
    assert len(requests) == 2
    lines = [json.loads(JsonFormatter().format(r)) for r in requests]
    assert lines[0] | {"duration_ms": 0} == {
        "time": lines[0]["time"], "level": "info", "logger": "pitchgen.http",
        "message": "POST /v1/drafts 201", "event": "request", "method": "POST",
        "route": "/v1/drafts", "status": 201, "duration_ms": 0, "principal": "reviewer:local",
        "client": "127.0.0.1", "request_id": "log-1",
    }  # fmt: skip
    assert lines[1]["route"] == "/v1/drafts/{draft_id}"  # the template, never the id
    everything = "\n".join(JsonFormatter().format(r) for r in caplog.records)
    everything += "\n".join(TextFormatter().format(r) for r in caplog.records)
    for words in (SUMMIT.partner.organization, SUMMIT.need.description[:30]):
        assert words not in everything


# --- metrics -----------------------------------------------------------------------------------


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus text (0 when absent)."""
    for line in text.splitlines():
        found = re.fullmatch(rf"{name}(?:\{{(.*)\}})? (\S+)", line)
        if found and dict(re.findall(r'(\w+)="([^"]*)"', found.group(1) or "")) == labels:
            return float(found.group(2))
    return 0.0


async def test_metrics_count_requests_by_route_template_and_drafts_by_reason(client) -> None:
    before = (await client.get("/metrics")).text
    result = await drafted(client)
    draft_id = result["drafts"][0]["id"]
    await client.get(f"/v1/drafts/{draft_id}")
    await client.get("/v1/drafts/no-such-draft")
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    after = response.text

    def grew(name: str, **labels: str) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    route = "/v1/drafts/{draft_id}"
    assert grew("pitchgen_http_requests_total", route=route, method="GET", status="200") == 1
    assert grew("pitchgen_http_requests_total", route=route, method="GET", status="404") == 1
    assert grew("pitchgen_http_requests_total", route="/v1/drafts", method="POST",
                status="201") == 1  # fmt: skip
    assert grew("pitchgen_http_request_duration_seconds_count", route=route, method="GET") == 2
    for channel in ("email", "call_script", "meeting_agenda"):
        assert grew("pitchgen_drafts_total", channel=channel, source="template",
                    fallback_reason="llm_off") == 1  # fmt: skip
    assert draft_id not in after and "no-such-draft" not in after
    assert SUMMIT.partner.organization not in after
    for name in ("pitchgen_llm_calls_total", "pitchgen_llm_tokens_total",
                 "pitchgen_llm_latency_seconds", "pitchgen_llm_retries_total",
                 "pitchgen_llm_reasks_total", "pitchgen_llm_circuit_state",
                 "pitchgen_sends_total"):  # fmt: skip
        assert f"# TYPE {name}" in after


async def test_metrics_are_behind_the_api_keys_when_there_are_keys() -> None:
    app = create_app(Settings(llm="off", api_keys=KEY), rate_limit=UNLIMITED)
    async with client_for(app) as client:
        refused = await client.get("/metrics")
        assert refused.status_code == 401
        assert "pitchgen_" not in refused.text
        allowed = await client.get("/metrics", headers={"Authorization": f"Bearer {KEY}"})
        assert allowed.status_code == 200
        assert KEY not in allowed.text
        assert sample(allowed.text, "pitchgen_http_requests_total", route="none",
                      method="GET", status="401") >= 1  # fmt: skip


async def test_model_calls_are_counted_with_their_tokens_and_outcomes() -> None:
    before = await scrape()
    settings = Settings(llm="replay", fixtures=ROOT / "fixtures" / "llm")
    async with client_for(create_app(settings, rate_limit=UNLIMITED)) as client:
        result = await drafted(client)
        after = (await client.get("/metrics")).text
    calls = [c for d in result["drafts"] for c in d["model_calls"]]
    # The recorded SmolLM2-135M replies fail the checks: each draft asks, re-asks, falls back.
    assert [c["outcome"] for c in calls] == ["rejected"] * 6

    def grew(name: str, **labels: str) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert grew("pitchgen_llm_calls_total", outcome="rejected") == 6
    assert grew("pitchgen_llm_reasks_total") == 3
    assert grew("pitchgen_llm_tokens_total", kind="prompt") == sum(
        c["prompt_tokens"] for c in calls
    )
    assert grew("pitchgen_llm_latency_seconds_count") == 6
    assert grew("pitchgen_drafts_total", channel="email", source="template",
                fallback_reason="llm_invalid_output") == 1  # fmt: skip
    assert sample(after, "pitchgen_llm_circuit_state") == 0  # closed


async def test_the_metrics_tell_how_many_partners_wait_and_are_being_drafted(
    tmp_path: Path,
) -> None:
    settings = Settings(llm="off", database_url=f"sqlite:///{tmp_path / 'store.db'}")
    app = create_app(settings, rate_limit=UNLIMITED)
    batches = app.state.service.batches
    async with client_for(app) as client:
        empty = (await client.get("/metrics")).text
        assert "# TYPE pitchgen_batch_queue_depth gauge" in empty
        assert sample(empty, "pitchgen_batch_queue_depth", state="queued") == 0

        partners = [{"organization": f"Riverside Group {n}", "contact_name": "Alex Morgan"}
                    for n in range(3)]  # fmt: skip
        shared = SUMMIT.model_dump(mode="json", exclude={"partner"}, exclude_none=True)
        created = batches.create(shared, validate_partners([(None, p) for p in partners]),
                                 ["email"], "api")  # fmt: skip
        first = batches.items(created.batch_id)[0]
        assert batches.store().claim(first.id, "a-runner", batches.lease)
        waiting = (await client.get("/metrics")).text
        assert sample(waiting, "pitchgen_batch_queue_depth", state="queued") == 2
        assert sample(waiting, "pitchgen_batch_queue_depth", state="running") == 1
        assert created.batch_id not in waiting and "Riverside" not in waiting

        batches.store().release("a-runner")
        await batches.run(created.batch_id)
        drafted = (await client.get("/metrics")).text
    assert sample(drafted, "pitchgen_batch_queue_depth", state="queued") == 0
    assert sample(drafted, "pitchgen_batch_queue_depth", state="running") == 0


async def test_the_metrics_answer_while_the_store_cannot(tmp_path: Path) -> None:
    unreachable = "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2"
    app = create_app(Settings(llm="off", database_url=unreachable), rate_limit=UNLIMITED)
    async with client_for(app) as client:
        response = await client.get("/metrics")
    assert response.status_code == 200
    assert "pitchgen_http_requests_total" in response.text
    assert "pitchgen_batch_queue_depth" not in response.text  # unknown, not a made-up 0


async def scrape() -> str:
    async with client_for(create_app(Settings(llm="off"), rate_limit=UNLIMITED)) as client:
        return (await client.get("/metrics")).text


# --- the ledger --------------------------------------------------------------------------------


async def test_the_ledger_is_on_each_draft_and_summed_per_ask() -> None:
    prices = {"SmolLM2": {"prompt": 1.0, "completion": 2.0}}
    settings = Settings(llm="replay", fixtures=ROOT / "fixtures" / "llm", prices=prices)
    async with client_for(create_app(settings, rate_limit=UNLIMITED)) as client:
        result = await drafted(client)
        stored = (await client.get(f"/v1/drafts/{result['drafts'][0]['id']}")).json()
        usage = (await client.get(f"/v1/asks/{result['ask_id']}/usage")).json()
        missing = await client.get("/v1/asks/no-such-ask/usage")
    assert stored["model_calls"] == result["drafts"][0]["model_calls"] != []
    calls = [c for d in result["drafts"] for c in d["model_calls"]]
    total = usage["total"]
    assert total["drafts"] == 3 and total["model_calls"] == len(calls)
    assert total["prompt_tokens"] == sum(c["prompt_tokens"] for c in calls)
    assert total["completion_tokens"] == sum(c["completion_tokens"] for c in calls)
    priced = [c["cost"] for c in calls if c["cost"] is not None]
    assert total["cost"] == pytest.approx(sum(priced)) if priced else total["cost"] is None
    assert [d["draft_id"] for d in usage["drafts"]] == [d["id"] for d in result["drafts"]]
    assert missing.status_code == 404


# --- reading a draft ---------------------------------------------------------------------------


async def test_a_draft_read_again_after_a_change_is_the_changed_one(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    app = create_app(Settings(llm="off", database_url=url), rate_limit=UNLIMITED)
    async with client_for(app) as client:
        draft = (await drafted(client))["drafts"][0]
        path = f"/v1/drafts/{draft['id']}"
        assert (await client.get(path)).json()["status"] == "draft"
        await client.post(f"{path}/reject", json={"reason": "not now"})
        assert (await client.get(path)).json()["status"] == "rejected"
        # Another process (a second worker, the CLI) writing to the same database:
        other = Store.from_url(url)
        other.apply(other.get_draft(draft["id"]), _reopen())
        other.close()
        again = await client.get(path)
        assert again.json()["status"] == "draft"
        assert again.headers["etag"].startswith(f'"{again.json()["version"]}-')


def _reopen():
    from pitchgen.store.rows import Change

    return Change(action="reopen", actor="cli", to_status="draft")


async def test_a_draft_id_too_long_or_unknown_is_refused_as_before(client) -> None:
    long = await client.get("/v1/drafts/" + "x" * 65)
    assert long.status_code == 422
    assert long.json()["errors"][0]["path"] == "draft_id"
    assert (await client.get("/v1/drafts/unknown")).status_code == 404


async def test_the_review_page_shows_the_model_calls_and_the_asks_total() -> None:
    settings = Settings(llm="replay", fixtures=ROOT / "fixtures" / "llm",
                        prices={"SmolLM2": {"prompt": 1.0, "completion": 2.0}})  # fmt: skip
    async with client_for(create_app(settings, rate_limit=UNLIMITED)) as client:
        result = await drafted(client, **{"X-Request-ID": "page-1"})
        draft = result["drafts"][0]
        page = (await client.get(f"/review/drafts/{draft['id']}")).text
    assert "Model calls" in page and "(re-ask)" in page
    for call in draft["model_calls"]:
        assert f"{call['prompt_tokens']} / {call['completion_tokens']}" in page
    assert "The whole ask (3 drafts): 6 model calls, 3 re-asks" in page
    assert "request page-1" in page  # on the created event


async def test_a_template_draft_made_without_a_model_shows_no_ledger(client) -> None:
    draft = (await drafted(client))["drafts"][0]
    page = (await client.get(f"/review/drafts/{draft['id']}")).text
    assert "Model calls" not in page
