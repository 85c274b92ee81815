"""A mail server that accepts connections and never answers cannot stall the service: sends
run on a small pool of their own (PITCHGEN_SMTP_CONCURRENCY), the rest are refused at once, and
every send gives up by its deadline however the server behaves, while health checks, the review
page and draft reads answer meanwhile."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections import Counter
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from asks import make_ask

from pitchgen.errors import SendError
from pitchgen.export.smtp import SmtpConfig, send_email
from pitchgen.server import RateLimit, create_app
from pitchgen.settings import Settings

SUMMIT = make_ask("summit-venue.yaml").model_dump(mode="json", exclude_none=True)
UNLIMITED = RateLimit(per_second=1e6, burst=1_000_000)
# More sends than the shared thread pool has threads (40), as in the security review.
SENDS = 45


class SilentServer:
    """Accepts every connection and never greets, until `hang_up` closes them all."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(128)
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:  # closed by hang_up
                return
            with self._changed:
                self.accepted.append(conn)
                self._changed.notify_all()

    def wait_for(self, connections: int) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: len(self.accepted) >= connections, timeout=30)

    def hang_up(self) -> None:
        # shutdown wakes the accepting thread; a bare close would leave the socket listening.
        with contextlib.suppress(OSError):  # already hung up
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        with self._changed:
            for conn in self.accepted:
                conn.close()


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.hang_up()


async def client_for(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(settings, rate_limit=UNLIMITED))
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        yield client


def settings_for(port: int, **timing) -> Settings:
    return Settings(llm="off", smtp_host="127.0.0.1", smtp_port=port, smtp_tls="none", **timing)


async def approved_emails(client: httpx.AsyncClient, count: int) -> list[str]:
    ids = []
    for _ in range(count):
        created = await client.post("/v1/drafts", json={"ask": SUMMIT, "channels": ["email"]})
        draft_id = created.json()["drafts"][0]["id"]
        approved = await client.post(f"/v1/drafts/{draft_id}/approve", json={"version": 1})
        assert approved.status_code == 200, approved.text
        ids.append(draft_id)
    return ids


async def test_a_server_that_never_greets_holds_only_the_sending_pool(silent):
    # Long timeouts: the sends stay stuck until the server hangs up, whatever the machine's pace.
    settings = settings_for(
        silent.port, smtp_timeout_seconds=120, smtp_deadline_seconds=300, smtp_concurrency=2
    )
    async for client in client_for(settings):
        ids = await approved_emails(client, SENDS)
        sends = [asyncio.create_task(client.post(f"/v1/drafts/{i}/send")) for i in ids]
        assert await asyncio.to_thread(silent.wait_for, 2)

        # A guard, not a measure: on the shared pool these wait for a send's 120 s timeout.
        health = await asyncio.wait_for(client.get("/healthz"), 20)
        page = await asyncio.wait_for(client.get("/review"), 20)
        draft = await asyncio.wait_for(client.get(f"/v1/drafts/{ids[0]}"), 20)
        still_sending = sum(not s.done() for s in sends)
        silent.hang_up()
        statuses = Counter(r.status_code for r in await asyncio.gather(*sends))

    assert (health.status_code, page.status_code, draft.status_code) == (200, 200, 200)
    assert still_sending >= 2  # they answered while sends were at the server
    assert set(statuses) <= {502, 503}
    assert statuses[502] <= 4  # two at the server, two waiting for a worker; the rest refused
    assert statuses[503] >= SENDS - 4


async def test_sends_to_a_server_that_never_greets_each_fail_and_are_recorded(silent):
    settings = settings_for(
        silent.port, smtp_timeout_seconds=0.2, smtp_deadline_seconds=5, smtp_concurrency=2
    )
    async for client in client_for(settings):
        ids = await approved_emails(client, 4)
        responses = await asyncio.gather(*(client.post(f"/v1/drafts/{i}/send") for i in ids))
        drafts = [(await client.get(f"/v1/drafts/{i}")).json() for i in ids]

    assert [r.status_code for r in responses] == [502] * 4
    assert all("did not answer within 0.2 s" in r.json()["detail"] for r in responses)
    assert all(d["status"] == "approved" and d["send_error"] for d in drafts)


def test_the_deadline_bounds_a_send_below_the_per_reply_timeout(silent):
    config = SmtpConfig("127.0.0.1", silent.port, "none", timeout=60, deadline=0.3)
    draft_ask = make_ask("summit-venue.yaml")
    from test_smtp import make_draft

    with pytest.raises(SendError, match=r"did not finish within 0\.3 s"):
        send_email(make_draft(), draft_ask, config)
