"""`pitchgen check` and `POST /v1/checks`: the rubric on a draft written anywhere, from a JSON
file (the labeled drafts as they are) or a plain-text email; the same verdict from both."""

from __future__ import annotations

import io
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from pitchgen.ask import Channel, load_ask
from pitchgen.cli import main
from pitchgen.drafting.fallback import render_content
from pitchgen.server import RateLimit, create_app
from pitchgen.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SUMMIT = ROOT / "fixtures" / "asks" / "summit-venue.yaml"
LABELED = Path(__file__).resolve().parents[1] / "data" / "labeled" / "public"
# Drops the deliverable "A projector and two microphones": states_ask must catch it.
DROPPED_DELIVERABLE = LABELED / "summit-venue.email.defect-1.json"
KEY = "check-test-key-0123456789abcdef"
UNLIMITED = RateLimit(per_second=1e6, burst=1_000_000)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def template_email() -> dict[str, str]:
    """An email every must check passes: the template's, for the summit ask."""
    return render_content(load_ask(SUMMIT), Channel.email).model_dump(mode="json")


def write_json(tmp_path: Path, content: dict, channel: str = "email") -> Path:
    path = tmp_path / "draft.json"
    path.write_text(json.dumps({"channel": channel, "content": content}), encoding="utf-8")
    return path


# --- the command line ----------------------------------------------------------------------------


def test_a_draft_passing_every_must_check_exits_0(capsys, tmp_path):
    code, out, err = run(capsys, "check", str(SUMMIT), str(write_json(tmp_path, template_email())))
    assert (code, err) == (0, "")
    assert out.startswith("Email: every must check passes.\n\n")
    assert "  ✓ grounded (must): " in out


GOOD = sorted(LABELED.glob("*.good.json"))
ASKS = ROOT / "fixtures" / "asks"


@pytest.mark.parametrize("good", GOOD, ids=[p.name for p in GOOD])
def test_every_labeled_good_draft_exits_0(capsys, good):
    ask = ASKS / json.loads(good.read_text(encoding="utf-8"))["ask"]
    code, out, err = run(capsys, "check", str(ask), str(good))
    assert (code, err) == (0, ""), out
    assert out.splitlines()[0].endswith(": every must check passes.")


def test_a_labeled_defect_exits_3_with_the_must_failures_first(capsys):
    # The labeled file carries ask, label and defect beside channel and content: ignored.
    code, out, _ = run(capsys, "check", str(SUMMIT), str(DROPPED_DELIVERABLE))
    assert code == 3
    verdict, _, checks = out.partition("\n\n")
    assert re.fullmatch(r"Email: \d+ must checks? fails? \(.*states_ask.*\)\.", verdict)
    marks = [line.split()[0] for line in checks.splitlines()]
    failed_must = [
        line for line in checks.splitlines() if line.startswith("  ✗") and "(must)" in line
    ]
    assert marks[: len(failed_must)] == ["✗"] * len(failed_must)
    assert any("states_ask" in line and "projector" in line for line in failed_must)


def test_json_output_has_the_report_shape(capsys):
    code, out, _ = run(capsys, "check", str(SUMMIT), str(DROPPED_DELIVERABLE), "--format", "json")
    report = json.loads(out)
    assert code == 3
    assert set(report) == {"channel", "checks", "text", "guards", "passed"}
    assert report["channel"] == "email" and report["passed"] is False
    assert report["text"].startswith("Subject: Your Capitol Hill room for our licensing summit\n\n")
    states_ask = next(c for c in report["checks"] if c["id"] == "states_ask")
    assert states_ask == {**states_ask, "level": "must", "passed": False}


def test_a_hand_written_email_with_markup_gets_the_guard_a_model_draft_gets(capsys, tmp_path):
    # Every rubric check passes: only the guard stands between this email and a send.
    email = template_email()
    email["body"] = email["body"].replace("\n\n", "\n\n<script>steal()</script>\n", 1)
    path = write_json(tmp_path, email)
    code, out, _ = run(capsys, "check", str(SUMMIT), str(path))
    assert code == 3
    assert out.startswith("Email: 1 must check fails (unsafe_markup).\n\n")
    assert "  ✗ unsafe_markup (guard): remove HTML, scripts and images ('<script>')" in out
    code, out, _ = run(capsys, "check", str(SUMMIT), str(path), "-f", "json")
    report = json.loads(out)
    assert all(c["passed"] for c in report["checks"] if c["level"] == "must")
    assert [g["id"] for g in report["guards"]] == ["unsafe_markup"]
    assert (code, report["passed"]) == (3, False)


def test_a_plain_text_email_is_read_whatever_its_line_endings(capsys, tmp_path):
    email = template_email()
    messy = "\r\n".join(f"{line}  " for line in email["body"].split("\n"))
    path = tmp_path / "email.txt"
    path.write_bytes(f"\ufeffSubject:  {email['subject']}\r\n\r\n{messy}\r\n\r\n".encode())
    code, out, _ = run(capsys, "check", str(SUMMIT), str(path), "-f", "json")
    _, expected, _ = run(
        capsys, "check", str(SUMMIT), str(write_json(tmp_path, email)), "-f", "json"
    )
    assert code == 0
    assert json.loads(out) == json.loads(expected)
    assert json.loads(out)["text"] == f"Subject: {email['subject']}\n\n{email['body']}"


@pytest.mark.parametrize(
    ("draft", "problems"),
    [
        ({"channel": "email", "content": {"subject": "Hi"}}, ["content.body: required"]),
        ({"channel": "fax", "content": {}}, ["channel: must be one of 'email', 'call_script'"]),
        ({"content": {"subject": "Hi", "body": "Hello"}}, ["channel: required"]),
        ({"channel": "call_script", "content": {"opener": 7}}, ["content.opener: must be text"]),
        ("Dear Marcus, no subject line here", ["not a draft: expected JSON"]),
        ('{"channel": "email", ', ["not valid JSON at line 1"]),
    ],
    ids=["missing-field", "unknown-channel", "no-channel", "wrong-type", "not-a-draft", "bad-json"],
)
def test_an_invalid_draft_exits_2_naming_each_problem_by_its_path(
    capsys, tmp_path, draft, problems
):
    path = tmp_path / "draft"
    path.write_text(draft if isinstance(draft, str) else json.dumps(draft), encoding="utf-8")
    code, out, err = run(capsys, "check", str(SUMMIT), str(path))
    assert (code, out) == (2, "")
    first, *listed = err.splitlines()
    assert first.startswith("error: ") and first.endswith(f"in the draft ({path})")
    for problem in problems:
        assert any(line.startswith(f"  {problem}") for line in listed), err


def test_an_invalid_ask_exits_2_with_its_problems_at_their_paths(capsys, tmp_path):
    bad = tmp_path / "ask.yaml"
    bad.write_text(SUMMIT.read_text().replace("2027-01-15", "2027-02-30", 1))
    code, _, err = run(capsys, "check", str(bad), str(DROPPED_DELIVERABLE))
    assert code == 2
    assert err.startswith(f"error: 1 problem in the ask ({bad})\n")
    assert "  timeline[0].date: not a date: '2027-02-30'" in err


def test_a_missing_draft_file_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, "check", str(SUMMIT), str(tmp_path / "nowhere.json"))
    assert code == 2
    assert "cannot read" in err and "nowhere.json" in err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_at_a_terminal_the_checks_are_a_panel_headed_by_the_verdict(monkeypatch, capsys):
    screen = Terminal()
    monkeypatch.setattr("sys.stdout", screen)
    assert main(["check", str(SUMMIT), str(DROPPED_DELIVERABLE)]) == 3
    shown = re.sub(r"\x1b\[[0-9;]*m", "", screen.getvalue())
    assert re.search(r"╭─ Email: \d+ must checks? fails?", shown)
    assert "✗ states_ask (must)" in shown


# --- the API -------------------------------------------------------------------------------------


def summit_json() -> dict:
    return load_ask(SUMMIT).model_dump(mode="json", exclude_none=True)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(llm="off", api_keys=KEY), rate_limit=UNLIMITED)
    transport = httpx.ASGITransport(app=app)
    headers = {"Authorization": f"Bearer {KEY}"}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://localhost", headers=headers
    ) as client:
        yield client


def labeled(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {"channel": data["channel"], "content": data["content"]}


async def test_the_api_answers_200_with_the_checks_and_stores_nothing(client):
    response = await client.post(
        "/v1/checks", json={"ask": summit_json(), **labeled(DROPPED_DELIVERABLE)}
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert set(report) == {"channel", "checks", "text", "guards", "passed"}
    assert report["passed"] is False
    assert "states_ask" in [c["id"] for c in report["checks"] if not c["passed"]]
    listed = await client.get("/v1/drafts")
    assert listed.json()["drafts"] == []


async def test_the_cli_json_and_the_api_body_are_the_same_report(client, capsys, tmp_path):
    for content in (labeled(DROPPED_DELIVERABLE)["content"], template_email()):
        path = write_json(tmp_path, content)
        _, out, _ = run(capsys, "check", str(SUMMIT), str(path), "--format", "json")
        body = {"ask": summit_json(), "channel": "email", "content": content}
        response = await client.post("/v1/checks", json=body)
        assert response.status_code == 200
        assert json.loads(out) == response.json()


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"content": {"subject": "Hi"}}, "content.body"),
        ({"content": {"subject": ["Hi"], "body": "Hello"}}, "content.subject"),
        ({"channel": "fax"}, "channel"),
        ({"ask": {**summit_json(), "respond_by": "2027-02-30"}}, "ask.respond_by"),
        ({"extra": 1}, "extra"),
    ],
    ids=["missing-body", "subject-not-text", "unknown-channel", "bad-ask", "unknown-field"],
)
async def test_a_bad_request_is_a_422_problem_naming_the_path(client, change, path):
    body = {"ask": summit_json(), "channel": "email", "content": template_email(), **change}
    response = await client.post("/v1/checks", json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert path in [e["path"] for e in response.json()["errors"]]


async def test_the_api_needs_a_key_when_keys_are_configured(client):
    body = {"ask": summit_json(), "channel": "email", "content": template_email()}
    del client.headers["Authorization"]
    response = await client.post("/v1/checks", json=body)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
