"""The review pages in a real browser: Debian's chromium, headless, driven by Playwright.

A reviewer's whole path (list, draft, an edit that turns a check red and back, approval,
export) and the hostile-text proof: nothing runs, nothing loads from anywhere but 127.0.0.1.
Screenshots of the key screens land in test-artifacts/screenshots/.
"""

from __future__ import annotations

import email
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import uvicorn
from conftest_browser import (
    ASKS,
    HOSTILE,
    PARTNER,
    SCRIPT,
    hostile_ask,
    review_app,
    seed,
    seed_model_output,
)

from pitchgen.ask import Channel, load_ask
from pitchgen.settings import Settings
from pitchgen.store.repository import Store

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        f"no browser: {CHROMIUM} is not installed (apt install chromium)", allow_module_level=True
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="no Playwright: pip install playwright (the browser is Debian's)"
)

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# A closed network: no background fetches, updates or sync that would leave the machine.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
KEY = "browser-test-key-0123456789"


@contextmanager
def serve(store: Store, settings: Settings | None = None) -> Iterator[str]:
    """The review pages on 127.0.0.1 at an ephemeral port. The socket is listening before the
    server thread starts, so the browser's first connection simply waits in its backlog."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    config = uvicorn.Config(review_app(store, settings), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join()
        sock.close()


@dataclass
class Watch:
    """Everything a page did that a reviewer would not see: dialogs, console, requests."""

    dialogs: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    hosts: set[str] = field(default_factory=set)

    def csp_violations(self) -> list[str]:
        return [m for m in self.console if "Content Security Policy" in m]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.from_url(f"sqlite:///{tmp_path / 'review.db'}")
    yield opened
    opened.close()


def open_page(browser: object, width: int = 1280) -> tuple[object, Watch]:
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    # Anything bound off the machine is recorded, then refused: the test never touches a network.
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlsplit(route.request.url).hostname == "127.0.0.1"
            else route.abort()
        ),
    )
    page = context.new_page()
    watch = Watch()
    page.on("dialog", lambda d: (watch.dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: watch.console.append(m.text))
    page.on("pageerror", lambda e: watch.errors.append(str(e)))
    page.on("request", lambda r: watch.hosts.add(urlsplit(r.url).hostname or r.url))
    return page, watch


def shot(page: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def check_state(page: object, check: str) -> str:
    item = page.locator(f'[data-check="{check}"][data-level="must"]').first
    return item.get_attribute("class").split()[-1]


def test_a_reviewer_edits_approves_and_exports_an_email(
    browser: object, store: Store, tmp_path: Path
) -> None:
    seed(store, load_ask(ASKS / "sponsorship-negotiable.yaml"))
    seed(store, load_ask(ASKS / "summit-venue.yaml"))
    with serve(store) as base:
        page, watch = open_page(browser)
        page.goto(f"{base}/review")
        shot(page, "1-list")
        page.get_by_role("link", name=f"Email to {PARTNER}").click()
        sync_api.expect(page.get_by_role("heading", level=1)).to_have_text(f"Email to {PARTNER}")
        shot(page, "2-draft")

        body = page.get_by_label("Body")
        original = body.input_value()
        body.fill(original.replace(PARTNER, "your organization"))
        page.get_by_role("button", name="Save as version 2").click()
        sync_api.expect(page.get_by_role("status")).to_contain_text("Saved as a new version")
        failing = page.locator('.must-fail [data-check="names_partner"]')
        sync_api.expect(failing).to_contain_text(f"does not name {PARTNER}")
        assert check_state(page, "names_partner") == "fail"
        shot(page, "3-edited-red-check")

        page.get_by_label("Body").fill(original)
        page.get_by_role("button", name="Save as version 3").click()
        sync_api.expect(page.locator(".must-pass")).to_have_text("All 10 must checks pass.")
        assert check_state(page, "names_partner") == "pass"

        page.get_by_role("button", name="Approve", exact=True).click()
        sync_api.expect(page.locator(".meta .badge")).to_have_text("Approved")
        shot(page, "4-approved")

        with page.expect_download() as download:
            page.get_by_role("link", name="Download .eml").click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        message = email.message_from_bytes(saved.read_bytes(), policy=policy.default)
        assert saved.name == "main-street-business-alliance-email.eml"
        assert message["Subject"] == "Your space for our Main Street Licensing Summit"
        assert PARTNER in message.get_content()

        assert watch.hosts == {"127.0.0.1"}
        assert (watch.dialogs, watch.errors, watch.csp_violations()) == ([], [], [])


def test_the_pages_work_from_the_keyboard_and_at_phone_width(browser: object, store: Store):
    drafted = seed(store, load_ask(ASKS / "summit-venue.yaml"))
    agenda = next(d for d in drafted.drafts if d.channel == Channel.meeting_agenda)
    with serve(store) as base:
        page, _ = open_page(browser, width=375)
        page.goto(f"{base}/review/drafts/{agenda.id}")
        page.keyboard.press("Tab")
        sync_api.expect(page.locator(":focus")).to_have_text("Skip to main content")
        page.keyboard.press("Enter")
        sync_api.expect(page.locator(":focus")).to_have_id("main")
        shot(page, "5-agenda-phone")
        for path in ("/review", f"/review/drafts/{agenda.id}"):
            page.goto(base + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_hostile_text_runs_nothing_and_loads_nothing_from_elsewhere(
    browser: object, store: Store
) -> None:
    ask = hostile_ask()
    drafted = seed(store, ask)
    model = seed_model_output(store, ask)
    typed = "".join(HOSTILE)
    with serve(store) as base:
        page, watch = open_page(browser)
        page.goto(f"{base}/review")
        for d in [*drafted.drafts, model]:
            page.goto(f"{base}/review/drafts/{d.id}")
            sync_api.expect(page.get_by_role("heading", level=1)).to_contain_text(SCRIPT)
        page.get_by_label("Subject").fill(typed)
        page.get_by_role("button", name="Save as version 2").click()
        sync_api.expect(page.get_by_label("Subject")).to_have_value(typed)
        sync_api.expect(page.locator(".rejected .plaintext")).to_contain_text(HOSTILE[3])
        shot(page, "6-hostile-model-output")
        page.goto(f"{base}/review/drafts/{model.id}/diff?from=1&to=2")
        sync_api.expect(page.locator(".diff ins").first).to_contain_text(SCRIPT)
        page.goto(f"{base}/review?partner=" + SCRIPT)

        assert page.locator("script, img, iframe, object").count() == 0
        assert page.locator('[href^="javascript:"]').count() == 0
        assert watch.dialogs == []
        assert watch.errors == []
        assert watch.csp_violations() == []
        assert watch.hosts == {"127.0.0.1"}


def test_a_reviewer_signs_in_with_a_key_once(browser: object, store: Store) -> None:
    seed(store, load_ask(ASKS / "summit-venue.yaml"))
    with serve(store, Settings(llm="off", api_keys=[KEY])) as base:
        page, _ = open_page(browser)
        page.goto(f"{base}/review?channel=email")
        page.get_by_label("API key").fill(KEY)
        page.keyboard.press("Enter")
        sync_api.expect(page.get_by_role("heading", level=1)).to_have_text("Drafts to review")
        assert page.url == f"{base}/review?channel=email"
        page.get_by_role("link", name=f"Email to {PARTNER}").click()
        page.get_by_role("button", name="Approve", exact=True).click()
        sync_api.expect(page.locator(".meta .badge")).to_have_text("Approved")
        page.get_by_role("button", name="Sign out").click()
        sync_api.expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to review")


@pytest.mark.parametrize(
    ("csp", "dialogs", "violations"), [(None, ["1", "1"], False), ("review", [], True)]
)
def test_the_watch_would_see_a_script_run_or_be_blocked(
    browser: object, csp: str | None, dialogs: list[str], violations: bool
) -> None:
    """The proof above is only as good as its watch: unescaped hostile HTML, served without our
    policy, runs its script and fetches remotely; with the policy, the browser reports it."""
    from pitchgen.web import CSP

    page, watch = open_page(browser)
    headers = {"Content-Security-Policy": CSP} if csp else {}
    page.route(
        "http://127.0.0.1:8123/unescaped",
        lambda route: route.fulfill(
            body=f'<p>{"".join(HOSTILE)}<img src="http://evil.example/x.png"></p>',
            content_type="text/html",
            headers=headers,
        ),
    )
    page.goto("http://127.0.0.1:8123/unescaped")
    page.wait_for_load_state("load")
    assert watch.dialogs == dialogs
    assert bool(watch.csp_violations()) is violations
    assert "evil.example" in watch.hosts
