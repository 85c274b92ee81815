"""The follow-through on the review pages in a real browser (Debian's chromium, headless): a
reply in one click, a yes from the outcome form, a promise kept from the ask's page, and the
numbers' chart, with no script and nothing loaded from elsewhere."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import uvicorn
from conftest_browser import review_app
from follow_helpers import SUMMIT, send_pitch

from pitchgen.ask import load_ask
from pitchgen.service import Service
from pitchgen.settings import Settings
from pitchgen.store.repository import Store

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"no browser: {CHROMIUM} is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="no Playwright")

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@contextmanager
def serve(store: Store) -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    server = uvicorn.Server(uvicorn.Config(review_app(store), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join()
        sock.close()


def test_a_reply_a_yes_and_a_kept_promise_from_the_pages(tmp_path: Path) -> None:
    store = Store.from_url(f"sqlite:///{tmp_path / 'review.db'}")
    service = Service(Settings(llm="off"), store=store)
    pitch = send_pitch(service, load_ask(SUMMIT))
    console: list[str] = []
    hosts: set[str] = set()
    with serve(store) as base, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=ARGS)  # fmt: skip
        page = browser.new_page()
        page.on("console", lambda m: console.append(m.text))
        page.on("request", lambda r: hosts.add(urlsplit(r.url).hostname or r.url))
        page.goto(f"{base}/review/drafts/{pitch.id}")
        page.get_by_role("button", name="They replied").click()
        page.wait_for_url("**done=outcome**")
        assert page.get_by_text("Outcome recorded.").is_visible()
        assert page.get_by_role("button", name="They replied").count() == 0
        page.get_by_label("What came of it").select_option("accepted")
        page.get_by_role("button", name="Record outcome").click()
        page.get_by_role("link", name="Follow-through for this ask").click()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "follow-ask.png"), full_page=True)
        rows = page.locator("tr[data-commitment]")
        assert rows.count() == 7
        first = rows.first
        what = first.locator("td").nth(1).inner_text()
        first.get_by_role("button", name="Done").click()
        page.wait_for_url("**done=done**")
        assert page.get_by_text("Marked done.").is_visible()
        page.goto(f"{base}/review/follow")
        assert page.locator("svg.chart").is_visible()
        page.screenshot(path=str(SHOTS / "follow-through.png"), full_page=True)
        browser.close()
    kept = [c for c in service.follow.commitments() if c.status == "done"]
    assert [c.what for c in kept] == [what]
    assert not [m for m in console if "Content Security Policy" in m]
    assert hosts == {"127.0.0.1"}
    store.close()
