"""The plain routes in front of `GET /v1/drafts/{id}` and `POST /v1/drafts` (`api.fast`) answer
exactly as the documented routes do, whatever a client sends: the same status, headers and body
(ids, times and request ids aside)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from pitchgen.ask import load_ask
from pitchgen.content.models import DraftSet
from pitchgen.server import RateLimit, create_app
from pitchgen.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SUMMIT = load_ask(ROOT / "fixtures" / "asks" / "summit-venue.yaml").model_dump(
    mode="json", exclude_none=True
)
UNLIMITED = RateLimit(per_second=1e6, burst=1_000_000)
_VOLATILE = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"  # ids
    r"|\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:\d\d)?"  # times
    r"|\"request_id\":\"[^\"]*\"|\"\d+-\d+\.\d+\""  # request ids, ETags
)
JSON = {"Content-Type": "application/json"}


def app(tmp_path: Path, name: str, fast: bool) -> FastAPI:
    made = create_app(
        Settings(llm="off", database_url=f"sqlite:///{tmp_path / name}.db"), rate_limit=UNLIMITED
    )
    if not fast:
        routes = made.router.routes
        routes[:] = [r for r in routes if type(r).__module__ != "pitchgen.api.fast"]
    return made


def seen(response: httpx.Response) -> tuple[int, list[tuple[str, str]], str]:
    headers = [(k, _VOLATILE.sub("~", v)) for k, v in response.headers.items()
               if k not in ("x-request-id", "content-length")]  # fmt: skip
    body = response.text
    if body and response.headers.get("content-type", "").endswith("json"):
        body = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"))
    return response.status_code, headers, _VOLATILE.sub("~", body)


POSTS: list[tuple[str, dict[str, str], Any]] = [
    ("plain", JSON, {"ask": SUMMIT}),
    ("channels", JSON, {"ask": SUMMIT, "channels": ["email"]}),
    ("charset", {"Content-Type": "application/json; charset=utf-8"}, {"ask": SUMMIT}),
    ("problem+json", {"Content-Type": "application/problem+json"}, {"ask": SUMMIT}),
    ("no content type", {}, {"ask": SUMMIT}),
    ("idempotent", {**JSON, "Idempotency-Key": "k-1"}, {"ask": SUMMIT}),
    ("unknown field", JSON, {"ask": SUMMIT, "extra": 1}),
    ("bad ask", JSON, {"ask": {**SUMMIT, "respond_by": "soon"}}),
    ("no ask", JSON, {"channels": ["email"]}),
    ("a list", JSON, [{"ask": SUMMIT}]),
    ("not json", JSON, b"{nope"),
    ("empty", JSON, b""),
    ("unknown partner", JSON, {"ask": SUMMIT, "partner_id": "no-such-partner"}),
    ("form", {"Content-Type": "application/x-www-form-urlencoded"}, b"ask=1"),
]


@pytest.mark.parametrize(("headers", "body"), [p[1:] for p in POSTS], ids=[p[0] for p in POSTS])
async def test_a_post_is_answered_as_the_documented_route_answers_it(
    tmp_path: Path, headers: dict[str, str], body: Any
) -> None:
    answers = []
    for fast in (True, False):
        transport = httpx.ASGITransport(app=app(tmp_path, f"fast-{fast}", fast))
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            content = body if isinstance(body, bytes) else json.dumps(body).encode()
            answers.append(seen(await client.post("/v1/drafts", content=content, headers=headers)))
    assert answers[0] == answers[1]


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "HEAD"])
async def test_other_methods_on_the_drafts_path_are_answered_as_before(
    tmp_path: Path, method: str
) -> None:
    answers = []
    for fast in (True, False):
        transport = httpx.ASGITransport(app=app(tmp_path, f"fast-{fast}", fast))
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            answers.append(seen(await client.request(method, "/v1/drafts")))
    assert answers[0] == answers[1]


async def test_reading_a_draft_is_answered_as_the_documented_route_answers_it(
    tmp_path: Path,
) -> None:
    answers = []
    for fast in (True, False):
        transport = httpx.ASGITransport(app=app(tmp_path, f"fast-{fast}", fast))
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            created = (await client.post("/v1/drafts", json={"ask": SUMMIT})).json()
            draft_id = created["drafts"][0]["id"]
            asked = [
                ("GET", f"/v1/drafts/{draft_id}"),
                ("HEAD", f"/v1/drafts/{draft_id}"),
                ("GET", "/v1/drafts/unknown"),
                ("GET", "/v1/drafts/" + "x" * 65),
            ]
            answers.append([seen(await client.request(m, p)) for m, p in asked])
    assert answers[0] == answers[1]


async def test_a_new_sets_body_is_its_json_as_pydantic_writes_it_and_a_replay_the_same(
    tmp_path: Path,
) -> None:
    transport = httpx.ASGITransport(app=app(tmp_path, "bytes", True))
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        keyed = {**JSON, "Idempotency-Key": "k-bytes"}
        content = json.dumps({"ask": SUMMIT}).encode()
        first = await client.post("/v1/drafts", content=content, headers=keyed)
        again = await client.post("/v1/drafts", content=content, headers=keyed)
        plain = await client.post("/v1/drafts", content=content, headers=JSON)
    for response in (first, plain):
        made = DraftSet.model_validate_json(response.content)
        assert response.content == made.model_dump_json().encode("utf-8")
        assert not response.content.isascii()  # the set's own text, not escaped
    assert again.headers["idempotent-replayed"] == "true" and again.content == first.content
