"""The directory through the CLI and the HTTP API: the same use cases, the same answers."""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from pitchgen.ask import load_ask
from pitchgen.cli import main
from pitchgen.server import RateLimit, create_app
from pitchgen.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DIRECTORY = ROOT / "tests" / "data" / "partners" / "directory.csv"
SUMMIT = ROOT / "fixtures" / "asks" / "summit-venue.yaml"
SUMMIT_JSON = load_ask(SUMMIT).model_dump(mode="json", exclude_none=True)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(llm="off"), rate_limit=RateLimit(per_second=1e6, burst=1_000_000))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        yield client


def test_cli_imports_suggests_and_drafts_to_a_partner_without_a_partner_block(
    capsys, tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "partners", "import", str(DIRECTORY))
    assert (code, out.strip()) == (0, "imported: 30 added, 0 updated, 0 unchanged")
    code, out, _ = run(
        capsys, "partners", "suggest", str(SUMMIT), "--top", "3", "--today", "2026-12-06",
        "--format", "json",
    )  # fmt: skip
    assert code == 0
    found = json.loads(out)["suggestions"]
    assert len(found) == 3
    assert found[0]["organization"] == "Capitol Hill Enterprise Center"
    assert all(set(s) >= {"partner_id", "organization", "score", "reasons"} for s in found)
    pick = next(s for s in found if s["beyond_usual_allies"])
    ask = (
        SUMMIT.read_text().split("partner:")[0]
        + "project:"
        + SUMMIT.read_text().split("\nproject:")[1]
    )
    ask_file = tmp_path / "no-partner.yaml"
    ask_file.write_text(ask)
    code, out, err = run(
        capsys, "draft", str(ask_file), "--partner", pick["partner_id"], "--llm", "off",
        "--channel", "email", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    assert pick["organization"] in json.loads(out)["drafts"][0]["text"]
    code, out, _ = run(capsys, "partners", "show", pick["partner_id"])
    assert "Main Street Licensing Summit (workspace)" in out


def test_cli_import_of_a_bad_file_exits_2_with_every_problem(capsys, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("organization,email\nA,nope\nB,also-nope\n")
    code, _, err = run(capsys, "partners", "import", str(bad))
    assert code == 2
    assert "line 2, column 2 (email)" in err and "line 3, column 2 (email)" in err
    code, out, _ = run(capsys, "partners", "list", "--format", "json")
    assert json.loads(out) == []


def test_cli_draft_with_an_unknown_partner_fails_with_a_reason(capsys) -> None:
    code, _, err = run(capsys, "draft", str(SUMMIT), "--partner", "nope", "--llm", "off")
    assert code == 1 and "no partner with id nope" in err


async def test_api_imports_csv_suggests_and_drafts_by_partner_id(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/partners/import", content=DIRECTORY.read_bytes(), headers={"content-type": "text/csv"}
    )
    assert response.status_code == 200, response.text
    assert len(response.json()["created"]) == 30
    response = await client.post(
        "/v1/partners/suggest", json={"ask": SUMMIT_JSON, "top": 5, "today": "2026-12-06"}
    )
    assert response.status_code == 200
    suggestions = response.json()["suggestions"]
    assert len(suggestions) == 5
    for item in suggestions:
        assert item["score"] == round(sum(p["points"] for p in item["parts"]), 1)
    ask = copy.deepcopy(SUMMIT_JSON)
    del ask["partner"]
    chosen = suggestions[1]["partner_id"]
    response = await client.post(
        "/v1/drafts", json={"ask": ask, "partner_id": chosen, "channels": ["email"]}
    )
    assert response.status_code == 201, response.text
    detail = (await client.get(f"/v1/partners/{chosen}")).json()
    assert detail["asks"][0]["project"] == "Main Street Licensing Summit"
    listed = (await client.get("/v1/drafts", params={"partner": detail["organization"]})).json()
    assert len(listed["drafts"]) == 1


async def test_api_refuses_a_bad_csv_with_problems_by_line_and_column(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/v1/partners/import",
        content=b"organization,region\nA,Atlantis\n",
        headers={"content-type": "text/csv"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "line 2, column 2 (region)" in response.text
    assert (await client.get("/v1/partners")).json() == {"partners": []}


async def test_api_creates_patches_and_exports_partners(client: httpx.AsyncClient) -> None:
    created = await client.post("/v1/partners", json={"organization": "=Main Street Co"})
    assert created.status_code == 201
    again = await client.post("/v1/partners", json={"organization": "=main street co"})
    assert again.status_code == 409
    partner_id = created.json()["id"]
    patched = await client.patch(f"/v1/partners/{partner_id}", json={"region": "US-DC"})
    assert patched.json()["region"] == "US-DC"
    bad = await client.patch(f"/v1/partners/{partner_id}", json={"email": "nope"})
    assert bad.status_code == 422
    exported = await client.get("/v1/partners/export")
    assert exported.text.splitlines()[1].startswith("'=Main Street Co,")
    assert (await client.get("/v1/partners/nope")).status_code == 404


async def test_api_suggest_validates_the_ask_by_path(client: httpx.AsyncClient) -> None:
    ask = copy.deepcopy(SUMMIT_JSON)
    ask["need"]["type"] = "lunch"
    response = await client.post("/v1/partners/suggest", json={"ask": ask})
    assert response.status_code == 422
    assert "ask.need.type" in response.text


async def test_api_takes_yaml_and_a_header_map(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/partners/import",
        content=b"- organization: Main Street Co\n  can_offer: [workspace]\n",
        headers={"content-type": "application/yaml"},
    )
    assert len(response.json()["created"]) == 1
    response = await client.post(
        "/v1/partners/import",
        params={"map": ["Account Name=organization", "Phone=-"]},
        content=b"Account Name,Phone\nMain Street Co,555\nCorner Cafe,556\n",
        headers={"content-type": "text/csv"},
    )
    body = response.json()
    assert (len(body["created"]), len(body["unchanged"])) == (1, 1)
    exported = await client.get("/v1/partners/export", params={"format": "yaml"})
    assert "organization: Corner Cafe" in exported.text
    refused = await client.post(
        "/v1/partners/import", content=b"x", headers={"content-type": "text/plain"}
    )
    assert refused.status_code == 415


def test_cli_exports_to_a_file_that_imports_back_unchanged(capsys, tmp_path: Path) -> None:
    run(capsys, "partners", "import", str(DIRECTORY))
    target = tmp_path / "out.yaml"
    code, out, _ = run(capsys, "partners", "export", "--format", "yaml", "--out", str(target))
    assert code == 0 and out.strip() == str(target)
    code, out, _ = run(capsys, "partners", "import", str(target))
    assert out.strip() == "imported: 0 added, 0 updated, 30 unchanged"


def test_cli_saved_draft_warns_when_its_partner_in_the_directory_was_just_asked(
    capsys, tmp_path: Path
) -> None:
    draft = ("draft", str(SUMMIT), "--llm", "off", "--channel", "email", "--format", "json")
    code, _, err = run(capsys, *draft)  # an empty directory: no entry to warn of
    assert code == 0 and "warning: partner" not in err
    directory = tmp_path / "directory.csv"
    directory.write_text(f"organization\n{SUMMIT_JSON['partner']['organization']}\n")
    assert run(capsys, "partners", "import", str(directory))[0] == 0
    run(capsys, *draft)
    code, _, err = run(capsys, *draft)
    assert code == 0
    assert "warning: partner: " in err and "was last asked on" in err
