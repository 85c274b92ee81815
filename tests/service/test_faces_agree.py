"""One review scenario, driven through each face: the CLI, the HTTP API and the review page.

Draft a call script from the summit ask, edit its opener, approve it, mark it done. Every face
calls the same service, so each must end with the same draft and the same audit trail; only
the actor's name says which face it came through.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest_browser import post_forms
from fastapi.testclient import TestClient

from pitchgen.ask import Channel, load_ask
from pitchgen.cli import main
from pitchgen.service import Service
from pitchgen.settings import Settings

SUMMIT = Path(__file__).resolve().parents[2] / "fixtures" / "asks" / "summit-venue.yaml"
ADDED = " I will keep this short."


def trail(service: Service, draft_id: str) -> tuple[Any, ...]:
    """What must agree: the draft as it ends, and each event but its actor and time."""
    draft = service.get_draft(draft_id)
    events = [
        (e.action, e.from_status, e.to_status, e.reason, e.detail) for e in service.events(draft_id)
    ]
    return draft.status, draft.version, draft.content, draft.text, draft.checks, events


def through_the_cli(capsys: pytest.CaptureFixture) -> str:
    assert main(["draft", str(SUMMIT), "-c", "call_script", "--llm", "off"]) == 0
    draft_id = re.search(r"saved call script draft (\S+)", capsys.readouterr().err)[1]
    opener = Service(Settings()).get_draft(draft_id).content.opener
    assert main(["review", "edit", draft_id, "--set", f"opener={opener}{ADDED}"]) == 0
    assert main(["review", "approve", draft_id]) == 0
    assert main(["review", "send", draft_id]) == 0
    return draft_id


def through_the_api(client: TestClient) -> str:
    ask = load_ask(SUMMIT).model_dump(mode="json")
    created = client.post("/v1/drafts", json={"ask": ask, "channels": ["call_script"]})
    (draft,) = created.json()["drafts"]
    content = draft["content"] | {"opener": draft["content"]["opener"] + ADDED}
    path = f"/v1/drafts/{draft['id']}"
    assert client.patch(path, json={"content": content, "version": 1}).status_code == 200
    assert client.post(f"{path}/approve", json={"version": 2}).status_code == 200
    assert client.post(f"{path}/send", json={}).status_code == 200
    return draft["id"]


def through_the_page(client: TestClient) -> str:
    # The page neither drafts nor sends: the API does those two steps, the page the review.
    ask = load_ask(SUMMIT).model_dump(mode="json")
    created = client.post("/v1/drafts", json={"ask": ask, "channels": ["call_script"]})
    draft_id = created.json()["drafts"][0]["id"]
    page = f"/review/drafts/{draft_id}"
    edit = post_forms(client.get(page).text)["edit"]
    client.post(f"{page}/edit", data=edit | {"opener": edit["opener"] + ADDED})
    client.post(f"{page}/approve", data=post_forms(client.get(page).text)["approve"])
    assert client.post(f"/v1/drafts/{draft_id}/send", json={}).status_code == 200
    return draft_id


def test_the_cli_the_api_and_the_page_give_the_same_draft_and_the_same_events(
    capsys: pytest.CaptureFixture,
) -> None:
    from pitchgen.server import create_app

    service = Service(Settings())
    by_cli = through_the_cli(capsys)
    app = create_app(Settings(llm="off"))
    with TestClient(app, base_url="http://localhost", follow_redirects=False) as client:
        by_api = through_the_api(client)
        by_page = through_the_page(client)
    trails = [trail(service, draft_id) for draft_id in (by_cli, by_api, by_page)]
    assert trails[0] == trails[1] == trails[2]
    status, version, *_, events = trails[0]
    assert (status, version) == ("sent", 2)
    assert [e[0] for e in events] == ["created", "edit", "approve", "send"]
    assert Channel.call_script.label in events[-1][4]["done"]
