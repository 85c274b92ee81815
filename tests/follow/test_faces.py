"""The follow-through through each face: the CLI (exit 2 with every problem by its path), the
API (problem+json) and the review page (a one-click reply, a page per ask)."""

from __future__ import annotations

import json

import pytest
from conftest_browser import _Forms
from fastapi.testclient import TestClient
from follow_helpers import SUMMIT, send_pitch

from pitchgen.ask import Channel, load_ask
from pitchgen.cli import main
from pitchgen.server import RateLimit, create_app
from pitchgen.service import Service
from pitchgen.settings import Settings

UNLIMITED = RateLimit(per_second=1e6, burst=1_000_000)


@pytest.fixture
def service() -> Service:
    return Service(Settings(llm="off"))


@pytest.fixture
def client():
    app = create_app(Settings(llm="off"), rate_limit=UNLIMITED)
    with TestClient(app, base_url="http://localhost", follow_redirects=False) as client:
        yield client


def forms(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Forms()
    parser.feed(html)
    return [(f.action, f.fields) for f in parser.forms]


# --- CLI -------------------------------------------------------------------------------------


def test_the_cli_records_an_outcome_and_keeps_the_ledger(service: Service, capsys) -> None:
    pitch = send_pitch(service, load_ask(SUMMIT))
    assert main(["follow", "outcome", pitch.id, "accepted", "--note", "Yes!", "-f", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["outcome"]["outcome"] == "accepted"
    assert len(shown["commitments_opened"]) == 7
    assert main(["follow", "list", "--owner", "us", "--format", "json"]) == 0
    ours = json.loads(capsys.readouterr().out)["commitments"]
    assert {c["owner"] for c in ours} == {"us"} and len(ours) == 4
    assert set(ours[0]) == {"id", "ask_id", "owner", "what", "due", "status", "source", "partner"}
    first = ours[0]["id"]
    assert main(["follow", "slip", first, "--to", "2199-01-02", "--note", "printer late"]) == 0
    assert capsys.readouterr().out.startswith("slipped to 2199-01-02: ")
    assert main(["follow", "list", "--status", "slipped", "-f", "json"]) == 0
    (slipped,) = json.loads(capsys.readouterr().out)["commitments"]
    assert (slipped["id"], slipped["due"]) == (first, "2199-01-02")
    assert main(["follow", "done", first]) == 0
    assert [e.action for e in service.follow.history(first)] == ["opened", "slip", "done"]


def test_the_cli_names_every_bad_input_and_exits_2(service: Service, capsys) -> None:
    pitch = send_pitch(service, load_ask(SUMMIT))
    assert main(["follow", "outcome", pitch.id, "maybe", "--at", "soon"]) == 2
    err = capsys.readouterr().err
    assert "outcome: must be one of replied, accepted, declined, no_answer" in err
    assert "at: not a date and time: 'soon'" in err
    assert main(["follow", "list", "--owner", "everyone", "--due-before", "May"]) == 2
    err = capsys.readouterr().err
    assert "owner: must be one of us, them" in err and "due_before: not a date" in err


def test_a_slip_into_the_past_is_refused_with_its_path(service: Service, capsys) -> None:
    pitch = send_pitch(service, load_ask(SUMMIT))
    service.follow.record_outcome(pitch.id, "accepted", "ana")
    first = service.follow.commitments()[0].id
    assert main(["follow", "slip", first, "--to", "2020-01-01"]) == 2
    err = capsys.readouterr().err
    assert "to: must be after today" in err and "note: required" in err
    assert service.follow.commitment(first).status == "open"


# --- API -------------------------------------------------------------------------------------


def test_the_api_records_outcomes_and_keeps_the_ledger(client: TestClient) -> None:
    ask = load_ask(SUMMIT).model_dump(mode="json")
    made = client.post("/v1/drafts", json={"ask": ask, "channels": ["call_script"]}).json()
    draft_id = made["drafts"][0]["id"]
    assert made["drafts"][0]["kind"] == "pitch"
    early = client.post(f"/v1/drafts/{draft_id}/outcome", json={"outcome": "replied"})
    assert early.status_code == 409
    assert client.post(f"/v1/drafts/{draft_id}/approve", json={}).status_code == 200
    assert client.post(f"/v1/drafts/{draft_id}/send", json={}).status_code == 200
    bad = client.post(
        f"/v1/drafts/{draft_id}/outcome", json={"outcome": "meh", "at": "x", "note": "a\x00b"}
    )
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    assert {p["path"] for p in bad.json()["errors"]} == {"outcome", "at", "note"}
    ok = client.post(f"/v1/drafts/{draft_id}/outcome", json={"outcome": "accepted"})
    assert ok.status_code == 201, ok.text
    assert ok.json()["outcome"]["outcome"] == "accepted"
    ledger = client.get("/v1/commitments", params={"owner": "them"}).json()["commitments"]
    assert len(ledger) == 3 and {c["owner"] for c in ledger} == {"them"}
    target = ledger[0]["id"]
    past = client.post(f"/v1/commitments/{target}/slip", json={"to": "2001-01-01"})
    assert past.status_code == 422
    assert {p["path"] for p in past.json()["errors"]} == {"to", "note"}
    moved = client.post(f"/v1/commitments/{target}/slip", json={"to": "2199-05-01", "note": "AV"})
    assert moved.status_code == 200 and moved.json()["status"] == "slipped"
    done = client.post(f"/v1/commitments/{target}/done", json={})
    assert done.json()["status"] == "done"
    assert [e["action"] for e in done.json()["history"]] == ["opened", "slip", "done"]
    again = client.post(f"/v1/commitments/{target}/done", json={})
    assert again.status_code == 409
    bad_filter = client.get("/v1/commitments", params={"status": "late", "owner": "x"})
    assert {p["path"] for p in bad_filter.json()["errors"]} == {"status", "owner"}


# --- the review page -------------------------------------------------------------------------


def test_a_reply_to_a_sent_email_takes_one_click_on_its_page(
    service: Service, client: TestClient
) -> None:
    pitch = send_pitch(service, load_ask(SUMMIT), Channel.email)
    page = f"/review/drafts/{pitch.id}"
    outcome_forms = [f for a, f in forms(client.get(page).text) if a.endswith("/outcome")]
    one_click = next(f for f in outcome_forms if f.get("outcome") == "replied")
    assert set(one_click) == {"csrf", "outcome"}
    answer = client.post(f"{page}/outcome", data=one_click)
    assert answer.status_code == 303
    (recorded,) = service.follow.outcomes(pitch.ask_id)
    assert recorded.outcome == "replied"
    html = client.get(page + "?done=outcome").text
    assert "Outcome recorded." in html and "Replied" in html
    assert not any(f.get("outcome") == "replied" for a, f in forms(html))


def test_the_page_shows_the_ledger_overdue_first_and_keeps_it(
    service: Service, client: TestClient
) -> None:
    import datetime as dt

    pitch = send_pitch(service, load_ask(SUMMIT), Channel.call_script)
    page = f"/review/drafts/{pitch.id}"
    form = next(f for a, f in forms(client.get(page).text) if "note" in f)
    assert client.post(f"{page}/outcome", data=form | {"outcome": "accepted"}).status_code == 303
    ask_page = f"/review/asks/{pitch.ask_id}"
    html = client.get(ask_page).text
    assert "Who owes what, by when" in html and "Final run of show shared with you" in html
    ledger = service.follow.commitments(ask_id=pitch.ask_id)
    run_of_show = next(c for c in ledger if c.source == "timeline[1]")
    later = service.follow.of_ask(pitch.ask_id, now=dt.datetime(2027, 2, 25, tzinfo=dt.UTC))
    assert [c.due < later.today for c in later.commitments[:1]] == [True]
    assert later.commitments[0].id == run_of_show.id
    slip = next(f for a, f in forms(html) if a.endswith(f"{run_of_show.id}/slip"))
    refused = client.post(f"{ask_page}/commitments/{run_of_show.id}/slip", data=slip | {"to": ""})
    assert refused.status_code == 422 and "the new date" in refused.text
    other = send_pitch(service, load_ask(SUMMIT), Channel.email)
    wrong = client.post(f"/review/asks/{other.ask_id}/commitments/{run_of_show.id}/done", data=slip)
    assert wrong.status_code == 422 and "belongs to another ask" in wrong.text
    done = client.post(f"{ask_page}/commitments/{run_of_show.id}/done", data=slip)
    assert done.status_code == 303
    assert service.follow.commitment(run_of_show.id).status == "done"


def test_the_page_escapes_a_hostile_note(service: Service, client: TestClient) -> None:
    pitch = send_pitch(service, load_ask(SUMMIT), Channel.email)
    page = f"/review/drafts/{pitch.id}"
    form = next(f for a, f in forms(client.get(page).text) if "note" in f)
    hostile = {"outcome": "declined", "note": "<script>x</script>"}
    client.post(f"{page}/outcome", data=form | hostile)
    html = client.get(page).text
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html


def test_the_numbers_from_the_cli_the_api_and_the_page_agree(
    service: Service, client: TestClient, capsys
) -> None:
    import datetime as dt

    summit = load_ask(SUMMIT)
    email = send_pitch(service, summit, Channel.email)
    call = send_pitch(service, summit, Channel.call_script)
    send_pitch(service, summit, Channel.email)
    later = email.sent_at + dt.timedelta(days=2)
    service.follow.record_outcome(email.id, "accepted", "ana", at=later, now=later)
    service.follow.record_outcome(call.id, "declined", "ana", at=later, now=later)
    assert main(["follow", "stats", "-f", "json"]) == 0
    by_cli = json.loads(capsys.readouterr().out)
    by_api = client.get("/v1/follow/stats").json()
    assert by_cli == by_api
    overall = by_api["overall"]
    assert (overall["pitched"], overall["answered"], overall["accepted"]) == (3, 2, 1)
    assert overall["median_days_to_reply"] == 2.0
    email_row = next(g for g in by_api["by_channel"] if g["name"] == "email")
    assert (email_row["reply_rate"], email_row["acceptance_rate"]) == (0.5, 0.5)
    assert by_api["by_need_type"][0]["name"] == "workspace"
    html = client.get("/review/follow").text
    assert "<svg" in html and "<script" not in html
    assert "67% answered" in html and "50% yes" in html
    assert main(["follow", "stats"]) == 0
    assert "channel: call script" in capsys.readouterr().out


@pytest.mark.parametrize(
    "command", ["outcome", "list", "done", "slip", "run", "calendar", "stats", None]
)
def test_help_on_every_follow_command(capsys, command: str | None) -> None:
    assert main(["follow", *([command] if command else []), "--help"]) == 0
    assert "Usage: " in capsys.readouterr().out


def test_a_follow_through_draft_links_to_its_ask_page(service: Service, client: TestClient) -> None:
    pitch = send_pitch(service, load_ask(SUMMIT), Channel.email)
    service.follow.record_outcome(pitch.id, "accepted", "ana")
    (kickoff,) = service.follow.of_ask(pitch.ask_id).drafts
    html = client.get(f"/review/drafts/{kickoff.draft_id}").text
    assert "Kickoff email to Main Street Business Alliance" in html
    assert f'href="/review/asks/{pitch.ask_id}"' in html
