"""`pitchgen serve` runs the follow-through on a schedule when asked (a setting); each pass is
the idempotent run, and a failed pass does not stop the next. Waiting is injected, never done."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from follow_helpers import SUMMIT, send_pitch

from pitchgen.ask import load_ask
from pitchgen.server import RateLimit, create_app
from pitchgen.server.schedule import follow_on_schedule
from pitchgen.service import Service
from pitchgen.settings import Settings


class Stop(Exception):
    pass


async def test_each_pass_drafts_what_is_due_and_waits_the_set_minutes() -> None:
    service = Service(Settings(llm="off"))
    now = dt.datetime(2027, 1, 14, 15, tzinfo=dt.UTC)
    service.store().clock = lambda: now  # the service's clock: no real time passes
    send_pitch(service, load_ask(SUMMIT), sent_at=now - dt.timedelta(days=10))
    waits: list[float] = []

    async def wait(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 2:
            raise Stop

    with pytest.raises(Stop):
        await follow_on_schedule(service, 30, wait)
    assert waits == [1800, 1800]
    drafts = service.list_drafts(limit=10).drafts
    assert sorted(d.kind for d in drafts) == ["follow_up", "pitch"]  # once, over two passes


async def test_a_failed_pass_is_logged_and_the_next_one_runs(caplog, tmp_path) -> None:
    broken = Service(Settings(llm="off", database_url=f"sqlite:///{tmp_path}/no/such/dir/x.db"))
    calls = 0

    async def wait(_seconds: float) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise Stop

    with pytest.raises(Stop):
        await follow_on_schedule(broken, 1, wait)
    assert caplog.text.count("follow run failed") == 2


def test_serve_starts_the_schedule_only_when_set() -> None:
    unlimited = RateLimit(per_second=1e6, burst=10**6)
    for minutes, running in ((0, False), (5, True)):
        app = create_app(Settings(llm="off", follow_run_minutes=minutes), rate_limit=unlimited)
        with TestClient(app, base_url="http://localhost"):
            task = app.state.follow_task
            assert (task is not None) is running
        if running:
            assert task.done()  # cancelled when the server stopped
