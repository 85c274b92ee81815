"""A 429 storm: the whole batch waits as the endpoint asks, each caller with its own jitter, and
finishes with the model's drafts rather than failing or falling back. Time is driven by a
fake clock; nothing sleeps."""

from __future__ import annotations

import asyncio
import random
import time
from pathlib import Path

import yaml
from fake_openai import Answer, Recorder, completion, mock_http_client

from pitchgen.ask.roster import read_partners
from pitchgen.llm.client import LLMClient
from pitchgen.llm.pacing import Pause
from pitchgen.service import Service
from pitchgen.settings import Settings

DATA = Path(__file__).resolve().parents[1] / "data" / "batch"
ASK = yaml.safe_load((DATA / "summit-ask.yaml").read_text())
RETRY_AFTER = 2.0


class FakeTime:
    """The monotonic clock plus every second the code under test asked to sleep."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    def __call__(self) -> float:
        return time.monotonic() + sum(self.slept)

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        await asyncio.sleep(0)


def test_a_429_storm_pauses_the_whole_batch_and_it_still_finishes(tmp_path: Path) -> None:
    clock = FakeTime()
    sent: list[tuple[float, int]] = []
    storm = {"left": 6}

    def endpoint(body: dict) -> Answer | dict:
        if storm["left"] > 0:
            storm["left"] -= 1
            sent.append((clock(), 429))
            return Answer(429, {"error": {"message": "slow down"}}, {"retry-after": "2"})
        sent.append((clock(), 200))
        return completion("not the JSON the channel needs")

    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'store.db'}",
        OPENAI_API_KEY="sk-test",
        OPENAI_BASE_URL="http://127.0.0.1:9/v1",
        llm="live",
        batch_runner="local",
    )
    service = Service(settings)
    pause = Pause(clock=clock, sleep=clock.sleep, rng=random.Random(7))
    service._llm = LLMClient(
        settings,
        http_client=mock_http_client(Recorder(endpoint)),
        sleep=clock.sleep,
        pause=pause,
        concurrency=4,
    )
    rows = read_partners((DATA / "partners.csv").read_bytes(), "partners.csv")
    created = service.batches.create(ASK, rows, ["email"], "tester")

    batch = asyncio.run(service.batches.run(created.batch_id, concurrency=5))

    assert batch.counts == {"done": 5}
    reasons = {
        d["fallback_reason"]
        for item in service.batches.items(created.batch_id)
        for d in item.outcome["drafts"]
    }
    # Replies arrived (judged unusable: this endpoint writes no draft), none was given up on.
    assert reasons == {"llm_invalid_output"}
    assert pause.pauses >= 1
    # After each 429, nobody called until the wait it asked for had passed.
    for at, status in sent:
        if status == 429:
            assert all(t >= at + RETRY_AFTER - 0.01 for t, s in sent if s == 200 and t > at)
    # The callers told to wait came back at different moments (jitter), none before the wait.
    waits = [s for s in clock.slept if s >= RETRY_AFTER - 0.01]
    assert len(waits) >= 2 and len(set(waits)) == len(waits)
    assert all(w <= RETRY_AFTER * 1.25 + 0.01 for w in waits)
    service.close()
