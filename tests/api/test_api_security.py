"""What the API promises an operator: keys required and never shown, bounded bodies and request
rates, no CORS, security headers everywhere, unguessable ids, and no stack trace to a client."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from pitchgen.ask import load_ask
from pitchgen.cli import main, serve
from pitchgen.server import RateLimit, create_app
from pitchgen.server.guard import MAX_BODY_BYTES, TokenBuckets
from pitchgen.settings import Settings, get_settings

ROOT = Path(__file__).resolve().parents[2]
SUMMIT = load_ask(ROOT / "fixtures" / "asks" / "summit-venue.yaml").model_dump(
    mode="json", exclude_none=True
)
KEY, OTHER_KEY = "k-3a1f9e0c6b8d4f2a-first", "k-7d2e5b1a9c0f3e6d-second"
UNLIMITED = RateLimit(per_second=1e6, burst=1_000_000)


def client_for(app: FastAPI) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 5000))
    return httpx.AsyncClient(transport=transport, base_url="http://localhost")


@pytest.fixture
async def keyed() -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(llm="off", api_keys=f"{KEY},{OTHER_KEY}")
    async with client_for(create_app(settings, rate_limit=UNLIMITED)) as client:
        yield client


@pytest.fixture
async def open_client() -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(create_app(Settings(llm="off"), rate_limit=UNLIMITED)) as client:
        yield client


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


# --- API keys ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        bearer("wrong"),
        bearer(KEY[:-1]),
        bearer(KEY + "x"),
        {"Authorization": f"Basic {KEY}"},
        {"X-API-Key": ""},
        {"X-API-Key": KEY.upper()},
    ],
    ids=["none", "wrong", "prefix", "longer", "basic", "empty", "case"],
)
@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/v1/drafts"), ("POST", "/v1/drafts"), ("GET", "/v1/drafts/x/revisions")],
)
async def test_every_v1_route_needs_a_valid_key(
    keyed: httpx.AsyncClient, headers: dict, method: str, path: str
) -> None:
    response = await keyed.request(method, path, headers=headers, json={"ask": SUMMIT})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.headers["content-type"] == "application/problem+json"
    assert KEY not in response.text


@pytest.mark.parametrize(
    "headers",
    [bearer(KEY), {"Authorization": f"bearer {OTHER_KEY}"}, {"X-API-Key": KEY}],
    ids=["bearer", "lowercase-second-key", "x-api-key"],
)
async def test_a_configured_key_is_accepted(keyed: httpx.AsyncClient, headers: dict) -> None:
    assert (await keyed.get("/v1/drafts", headers=headers)).status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/openapi.json"])
async def test_health_and_the_schema_need_no_key(keyed: httpx.AsyncClient, path: str) -> None:
    assert (await keyed.get(path)).status_code == 200


async def test_the_audit_log_names_a_key_by_fingerprint_never_by_itself(
    keyed: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    created = await keyed.post("/v1/drafts", json={"ask": SUMMIT}, headers=bearer(KEY))
    draft_id = created.json()["drafts"][0]["id"]
    await keyed.post(f"/v1/drafts/{draft_id}/reject", json={"reason": "No"}, headers=bearer(KEY))
    await keyed.get("/v1/drafts", headers=bearer(OTHER_KEY + "-wrong"))

    events = await keyed.get(f"/v1/drafts/{draft_id}/events", headers=bearer(KEY))
    actors = {e["actor"] for e in events.json()["events"]}
    assert len(actors) == 1 and actors.pop().startswith("reviewer:")
    assert KEY not in events.text
    assert KEY not in caplog.text and OTHER_KEY not in caplog.text


async def test_idempotency_keys_belong_to_one_api_key(keyed: httpx.AsyncClient) -> None:
    retry = {"Idempotency-Key": "same-key"}
    first = await keyed.post("/v1/drafts", json={"ask": SUMMIT}, headers=bearer(KEY) | retry)
    other = await keyed.post("/v1/drafts", json={"ask": SUMMIT}, headers=bearer(OTHER_KEY) | retry)
    assert other.status_code == 201
    assert other.json()["ask_id"] != first.json()["ask_id"]


# --- body size and rate --------------------------------------------------------------------------


async def test_a_body_over_64_kib_is_refused_by_its_length(open_client: httpx.AsyncClient) -> None:
    body = b'{"ask": "' + b"x" * MAX_BODY_BYTES + b'"}'
    response = await open_client.post(
        "/v1/drafts", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_streamed_body_over_64_kib_is_refused_as_it_arrives(
    open_client: httpx.AsyncClient,
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(MAX_BODY_BYTES // 1024 + 1):
            yield b" " * 1024

    response = await open_client.post(
        "/v1/drafts", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


async def test_a_body_just_under_the_limit_is_read(open_client: httpx.AsyncClient) -> None:
    body = b'{"ask": {}}'.ljust(MAX_BODY_BYTES, b" ")
    response = await open_client.post(
        "/v1/drafts", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422


async def test_too_many_requests_wait_for_retry_after() -> None:
    # One token per 1,000 s: no token comes back while the test runs, however loaded the machine.
    app = create_app(Settings(api_keys=f"{KEY},{OTHER_KEY}"), rate_limit=RateLimit(0.001, 3))
    async with client_for(app) as client:
        statuses = [(await client.get("/v1/drafts", headers=bearer(KEY))) for _ in range(4)]
        other = await client.get("/v1/drafts", headers=bearer(OTHER_KEY))
        health = await client.get("/healthz")

    assert [r.status_code for r in statuses] == [200, 200, 200, 429]
    assert 900 <= int(statuses[-1].headers["retry-after"]) <= 1000
    assert statuses[-1].headers["content-type"] == "application/problem+json"
    assert (other.status_code, health.status_code) == (200, 200)


@pytest.mark.parametrize(
    ("taken_at", "expected"),
    [
        ([0, 0, 0], [0, 0, 2.0]),  # burst of 2, one token every 2 s
        ([0, 0, 1], [0, 0, 1.0]),
        ([0, 0, 2], [0, 0, 0]),
        ([0, 0, 0, 0], [0, 0, 2.0, 2.0]),  # a refused request costs nothing
    ],
)
def test_the_token_bucket(taken_at: list[float], expected: list[float]) -> None:
    buckets = TokenBuckets(RateLimit(per_second=0.5, burst=2))
    assert [buckets.take("client", t) for t in taken_at] == expected


def test_the_buckets_forget_idle_clients_not_limited_ones() -> None:
    buckets = TokenBuckets(RateLimit(per_second=1, burst=1), max_clients=2)
    buckets.take("idle", 0)
    buckets.take("busy", 9.5)
    buckets.take("busy", 9.5)
    buckets.take("new", 10)
    assert buckets.take("busy", 10) > 0
    assert buckets.take("idle", 10) == 0


# --- headers, CORS, errors -----------------------------------------------------------------------

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
}


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/healthz", 200),
        ("GET", "/openapi.json", 200),
        ("GET", "/v1/drafts", 200),
        ("GET", "/v1/drafts/nope", 404),
        ("DELETE", "/v1/drafts", 405),
        ("POST", "/v1/drafts", 422),
        ("GET", "/nowhere", 404),
    ],
)
async def test_every_response_carries_the_security_headers(
    open_client: httpx.AsyncClient, method: str, path: str, status: int
) -> None:
    response = await open_client.request(method, path)
    assert response.status_code == status
    assert SECURITY_HEADERS.items() <= response.headers.items()
    assert len(response.headers["x-request-id"]) == 16
    assert (response.headers.get("cache-control") == "no-store") == path.startswith("/v1")


async def test_a_405_allows_every_method_of_the_path(open_client: httpx.AsyncClient) -> None:
    response = await open_client.delete("/v1/drafts")
    assert {"GET", "POST"} <= set(response.headers["allow"].split(", "))


async def test_cors_is_off(open_client: httpx.AsyncClient) -> None:
    preflight = await open_client.options(
        "/v1/drafts",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    plain = await open_client.get("/v1/drafts", headers={"Origin": "https://evil.example"})
    for response in (preflight, plain):
        assert not any(h.startswith("access-control-") for h in response.headers)


async def test_an_unexpected_error_is_a_500_with_a_request_id_and_no_trace(
    open_client: httpx.AsyncClient,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def explode(_ask: object) -> None:
        raise RuntimeError("password=hunter2 in /srv/secret/path")

    monkeypatch.setattr("pitchgen.drafting.recommend.recommend", explode)
    response = await open_client.post("/v1/recommendation", json={"ask": SUMMIT})

    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    request_id = response.headers["x-request-id"]
    assert response.json()["request_id"] == request_id
    assert "hunter2" not in response.text and "Traceback" not in response.text
    assert request_id in caplog.text and "RuntimeError" in caplog.text


async def test_a_store_failure_names_no_password() -> None:
    url = "postgresql+psycopg://pitchgen:s3cr3t-pw@127.0.0.1:1/pitchgen"
    async with client_for(create_app(Settings(database_url=url))) as client:
        response = await client.get("/v1/drafts")
    assert response.status_code == 503
    assert "s3cr3t-pw" not in response.text and "127.0.0.1:1" not in response.text


# --- serving -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("example.org", False),
    ],
)
def test_which_hosts_are_loopback(host: str, loopback: bool) -> None:
    assert serve.is_loopback(host) is loopback


@pytest.fixture
def uvicorn_runs(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    runs: list[dict] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **options: runs.append(options))
    return runs


def test_serve_refuses_to_bind_beyond_loopback_without_keys(
    uvicorn_runs: list, capsys: pytest.CaptureFixture
) -> None:
    assert main(["serve", "--host", "0.0.0.0"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("error: refusing to serve on 0.0.0.0 without API keys")
    assert "PITCHGEN_API_KEYS" in error
    assert uvicorn_runs == []


def test_serve_warns_about_a_short_key_without_showing_it(
    uvicorn_runs: list, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PITCHGEN_API_KEYS", "long-enough-key-0123,tiny-key")
    assert main(["serve", "--host", "0.0.0.0"]) == 0
    error = capsys.readouterr().err
    assert "1 of the API keys are shorter than 16 characters" in error
    assert "tiny-key" not in error
    assert len(uvicorn_runs) == 1


@pytest.mark.parametrize(
    ("host", "keys"), [("127.0.0.1", None), ("0.0.0.0", KEY), ("::", f"{KEY},{OTHER_KEY}")]
)
def test_serve_starts_on_loopback_or_with_keys(
    uvicorn_runs: list, monkeypatch: pytest.MonkeyPatch, host: str, keys: str | None
) -> None:
    if keys:
        monkeypatch.setenv("PITCHGEN_API_KEYS", keys)
    get_settings.cache_clear()
    assert main(["serve", "--host", host, "--port", "8123"]) == 0
    [run] = uvicorn_runs
    assert (run["host"], run["port"], run["access_log"], run["server_header"]) == (
        host,
        8123,
        False,
        False,
    )


# --- guessing keys, and pages on other sites ----------------------------------------------------


async def test_guessing_keys_is_slowed_to_a_stop_per_address(keyed: httpx.AsyncClient):
    statuses = [
        (await keyed.get("/v1/drafts", headers=bearer(f"guess-{n}"))).status_code for n in range(12)
    ]
    refused = await keyed.get("/v1/drafts", headers=bearer("guess-12"))
    assert statuses == [401] * 10 + [429] * 2
    assert int(refused.headers["retry-after"]) > 0
    assert "too many wrong keys" in refused.json()["detail"]


async def test_guessing_keys_at_the_review_sign_in_counts_too(keyed: httpx.AsyncClient):
    for n in range(10):
        await keyed.get("/v1/drafts", headers=bearer(f"guess-{n}"))
    response = await keyed.post("/review/login", data={"key": "guess-10"})
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Origin": "https://evil.example", "Content-Type": "application/json"}, 403),
        ({"Content-Type": "application/x-www-form-urlencoded"}, 415),
        ({"Content-Type": "text/plain"}, 415),
        ({"Content-Type": "multipart/form-data; boundary=x"}, 415),
    ],
    ids=["foreign-origin", "form", "text", "multipart"],
)
async def test_a_page_on_another_site_cannot_act_through_a_keyless_server(
    open_client: httpx.AsyncClient, headers: dict, status: int
):
    response = await open_client.post("/v1/drafts/some-id/approve", content=b"", headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"


async def test_the_servers_own_origin_and_json_bodies_are_accepted(open_client: httpx.AsyncClient):
    response = await open_client.post(
        "/v1/drafts",
        json={"ask": SUMMIT, "channels": ["email"]},
        headers={"Origin": "http://localhost"},
    )
    assert response.status_code == 201
