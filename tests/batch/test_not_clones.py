"""Not clones: every partner of a batch gets drafts written for them (their name, contact,
focus, history), from the templates and from a model, and the model is told what differs."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from pathlib import Path

from fake_openai import Recorder, completion, mock_http_client
from synthetic_batch import SYNTHETIC_BATCH_EMAILS, SYNTHETIC_MODEL

from pitchgen.ask.reading import read_document
from pitchgen.ask.roster import read_partners
from pitchgen.llm.client import LLMClient
from pitchgen.service import Service
from pitchgen.settings import Settings

DATA = Path(__file__).resolve().parents[1] / "data" / "batch"
ASK = read_document((DATA / "summit-ask.yaml").read_bytes(), "yaml")
ROWS = read_partners((DATA / "partners.csv").read_bytes(), "partners.csv")


def shingle_similarity(a: str, b: str) -> float:
    def grams(text: str) -> set[tuple[str, ...]]:
        w = re.findall(r"[a-z0-9$']+", text.lower())
        return {tuple(w[i : i + 3]) for i in range(len(w) - 2)}

    x, y = grams(a), grams(b)
    return len(x & y) / len(x | y)


def mean_similarity(bodies: list[str]) -> float:
    pairs = list(itertools.combinations(bodies, 2))
    return sum(shingle_similarity(a, b) for a, b in pairs) / len(pairs)


def emails(service: Service) -> list:
    created = service.batches.create(ASK, ROWS, ["email"], "tester")
    asyncio.run(service.batches.run(created.batch_id))
    items = service.batches.items(created.batch_id)
    return [service.get_draft(i.outcome["drafts"][0]["id"]) for i in items]


def mail_merge() -> list[str]:
    letter = SYNTHETIC_BATCH_EMAILS[ROWS[0].partner.organization]["body"]
    return [
        letter.replace("Marcus", (r.partner.contact_name or "team").split()[0]).replace(
            ROWS[0].partner.organization, r.partner.organization
        )
        for r in ROWS
    ]


def test_template_drafts_are_written_for_each_partner(tmp_path: Path) -> None:
    service = Service(Settings(database_url=f"sqlite:///{tmp_path / 's.db'}", llm="off"))
    drafts = emails(service)
    for row, draft in zip(ROWS, drafts, strict=True):
        p = row.partner
        body = draft.content.body
        assert p.organization in body
        if p.contact_name:
            assert p.contact_name.split()[0] in body.splitlines()[0]
        # Their history with us, or else their focus, opens the letter.
        own = p.relationship or p.focus
        assert own.split()[-1].lower() in body.lower()
        assert all(c.passed for c in draft.checks if c.level == "must")
    assert mean_similarity([d.content.body for d in drafts]) < mean_similarity(mail_merge())


def test_the_model_is_told_each_partners_details_and_its_drafts_differ(tmp_path: Path) -> None:
    def replay(body: dict) -> dict:
        user = body["messages"][1]["content"]
        name = next(o for o in SYNTHETIC_BATCH_EMAILS if json.dumps(o)[1:-1] in user)
        return completion(SYNTHETIC_BATCH_EMAILS[name], model=SYNTHETIC_MODEL)

    recorder = Recorder(replay)
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 's.db'}",
        llm="live",
        OPENAI_API_KEY="sk-test",
        OPENAI_BASE_URL="http://127.0.0.1:9/v1",
    )
    service = Service(settings)
    service._llm = LLMClient(settings, http_client=mock_http_client(recorder))
    drafts = emails(service)

    assert [d.model for d in drafts] == [SYNTHETIC_MODEL] * len(ROWS)
    for row in ROWS:
        # The prompt's data block carries the whole partner block: what differs reaches it.
        (sent,) = [b for b in recorder.bodies if row.partner.organization in json.dumps(b)]
        data = sent["messages"][1]["content"]
        for value in row.partner.model_dump(exclude_none=True).values():
            assert json.dumps(value)[1:-1] in data
    model_bodies = [d.content.body for d in drafts]
    assert mean_similarity(model_bodies) < mean_similarity(mail_merge()) / 2
