"""The review pages over HTTP: what a reviewer sees, what each form does, and what no attacker
can make the page do."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest_browser import (
    ASKS,
    HOSTILE,
    IMG,
    PARTNER,
    SCRIPT,
    hostile_ask,
    post_forms,
    review_app,
    seed,
    seed_model_output,
)
from fastapi.testclient import TestClient

from pitchgen.ask import Channel, load_ask
from pitchgen.errors import StoreError
from pitchgen.settings import Settings
from pitchgen.store.repository import Store
from pitchgen.web import CSP, routes
from pitchgen.web.forms import diff_segments

KEY = "correct-horse-battery-staple-0123"
FINGERPRINT = "reviewer:" + hashlib.sha256(KEY.encode()).hexdigest()[:8]
SUMMIT = load_ask(ASKS / "summit-venue.yaml")


@pytest.fixture
def review_store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.from_url(f"sqlite:///{tmp_path / 'review.db'}")
    yield opened
    opened.close()


@pytest.fixture
def client(review_store: Store) -> Iterator[TestClient]:
    with TestClient(review_app(review_store), follow_redirects=False) as c:
        yield c


@pytest.fixture
def drafts(review_store: Store) -> dict[Channel, str]:
    return {d.channel: d.id for d in seed(review_store, SUMMIT).drafts}


def page(client: TestClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.text
    return response.text


def submit(
    client: TestClient, draft_id: str, action: str, status: int = 303, **changes: str
) -> str:
    """Post one of the draft page's forms as the page rendered it, with `changes` typed in."""
    fields = post_forms(page(client, f"/review/drafts/{draft_id}"))[action]
    response = client.post(f"/review/drafts/{draft_id}/{action}", data=fields | changes)
    assert response.status_code == status, response.text
    if status == 303:
        return page(client, response.headers["location"])
    return response.text


def must_failing(html: str) -> list[str]:
    """Check ids listed in the must-failures box, which sits at the top of the draft page."""
    box = re.search(r'<div class="must-fail">(.*?)</div>', html, re.S)
    return re.findall(r'data-check="([a-z_]+)"', box.group(1)) if box else []


def without_partner(client: TestClient, draft_id: str) -> str:
    body = post_forms(page(client, f"/review/drafts/{draft_id}"))["edit"]["body"]
    return body.replace(PARTNER, "your organization")


# --- headers and origins ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/review", 200),
        ("/review/drafts/{email}", 200),
        ("/review/drafts/{email}/diff?from=1&to=1", 200),
        ("/review/drafts/{email}/export?format=eml", 200),
        ("/review/drafts/no-such-draft", 404),
        ("/review/drafts/{email}/diff?from=7", 404),
        ("/review/static/review.css", 200),
    ],
)
def test_every_review_response_carries_the_strict_policy(
    client: TestClient, drafts: dict, path: str, status: int
) -> None:
    response = client.get(path.format(email=drafts[Channel.email]))
    assert response.status_code == status
    assert response.headers["content-security-policy"] == CSP
    assert "script-src" not in CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("channel", list(Channel))
def test_pages_carry_no_script_no_inline_style_and_nothing_from_elsewhere(
    client: TestClient, drafts: dict, channel: Channel
) -> None:
    for html in (page(client, "/review"), page(client, f"/review/drafts/{drafts[channel]}")):
        assert "<script" not in html
        assert " style=" not in html
        for tag in re.findall(r"<[^>]*>", html):
            assert not re.search(r"\son\w+=", re.sub(r'"[^"]*"', "", tag)), tag
        for url in re.findall(r'(?:href|src|action)="([^"]*)"', html):
            assert url.startswith(("/review", "#")), url


# --- the list --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"summit": 3, "sponsor": 3}),
        ("?channel=email", {"summit": 1, "sponsor": 1}),
        ("?partner=main+street", {"summit": 3, "sponsor": 0}),
        ("?partner=GRANITE&channel=call_script", {"summit": 0, "sponsor": 1}),
        ("?status=approved", {"summit": 1, "sponsor": 0}),
        ("?status=rejected", {"summit": 0, "sponsor": 0}),
    ],
)
def test_the_list_filters_by_status_channel_and_partner(
    client: TestClient, review_store: Store, query: str, expected: dict
) -> None:
    summit = seed(review_store, SUMMIT)
    seed(review_store, load_ask(ASKS / "sponsorship-negotiable.yaml"))
    submit(client, summit.drafts[0].id, "approve")
    html = page(client, "/review" + query)
    assert html.count(f'to <span class="partner">{PARTNER}') == expected["summit"]
    assert html.count('to <span class="partner">Granite State') == expected["sponsor"]


def test_the_list_is_newest_first_and_pages_on(
    client: TestClient, review_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(routes, "PAGE_SIZE", 2)
    older = seed(review_store, SUMMIT).drafts
    newer = seed(review_store, load_ask(ASKS / "expertise-no-budget.json")).drafts
    first = page(client, "/review?partner=i")
    ids = re.findall(r'href="/review/drafts/([^"]+)"', first)
    assert ids == [newer[2].id, newer[1].id]
    next_url = re.search(r'href="([^"]+)" rel="next"', first)[1].replace("&amp;", "&")
    assert "partner=i" in next_url
    second = re.findall(r'href="/review/drafts/([^"]+)"', page(client, next_url))
    assert second == [newer[0].id, older[2].id]


@pytest.mark.parametrize("query", ["?status=lost", "?channel=fax", "?cursor=not-a-cursor"])
def test_a_bad_filter_is_explained_not_a_crash(client: TestClient, query: str) -> None:
    html = page(client, "/review" + query, 422)
    assert "cannot be used" in html


# --- one draft -------------------------------------------------------------------------------


CALL_FIELDS = "opener purpose value_for_partner the_ask plan negotiation close voicemail"
AGENDA_FIELDS = "title duration_minutes attendees objective decisions_needed materials"
ROWS = {
    Channel.call_script: ["anticipated_questions-0-question", "anticipated_questions-2-answer"],
    Channel.meeting_agenda: [
        *(f"items-0-{c}" for c in ("minutes", "topic", "owner", "notes")),
        *(f"next_steps-0-{c}" for c in ("action", "owner", "date")),
    ],
}


@pytest.mark.parametrize(
    ("channel", "fields"),
    [
        (Channel.email, {"subject", "body"}),
        (Channel.call_script, {*CALL_FIELDS.split(), *ROWS[Channel.call_script]}),
        (Channel.meeting_agenda, {*AGENDA_FIELDS.split(), *ROWS[Channel.meeting_agenda]}),
    ],
)
def test_the_edit_form_has_an_input_per_content_field_each_labelled(
    client: TestClient, drafts: dict, channel: Channel, fields: set[str]
) -> None:
    html = page(client, f"/review/drafts/{drafts[channel]}")
    form = post_forms(html)["edit"]
    assert fields <= set(form)
    ids = set(re.findall(r'<(?:input|textarea|select)[^>]* id="([^"]+)"', html))
    labelled = set(re.findall(r'<label for="([^"]+)"', html))
    assert ids <= labelled


@pytest.mark.parametrize("example", ["summit-venue.yaml", "sponsorship-negotiable.yaml",
                                     "expertise-no-budget.json"])  # fmt: skip
@pytest.mark.parametrize("channel", list(Channel))
def test_saving_the_form_untouched_makes_no_new_version(
    client: TestClient, review_store: Store, example: str, channel: Channel
) -> None:
    (drafted,) = seed(review_store, load_ask(ASKS / example), (channel,)).drafts
    html = submit(client, drafted.id, "edit")
    assert "Nothing changed" in html
    assert review_store.get_draft(drafted.id).version == 1


def test_an_edit_is_a_new_version_with_its_checks_run_again(
    client: TestClient, review_store: Store, drafts: dict
) -> None:
    email = drafts[Channel.email]
    original = post_forms(page(client, f"/review/drafts/{email}"))["edit"]["body"]

    html = submit(client, email, "edit", body=without_partner(client, email), note="shorter")
    assert "Saved as a new version" in html
    assert must_failing(html) == ["names_partner"]
    assert f"does not name {PARTNER}" in html
    assert html.index('class="must-fail"') < html.index('id="edit-h"')
    assert html.index('class="must-fail"') < html.index("Advice")
    saved = review_store.get_draft(email)
    assert (saved.version, [c.id for c in saved.must_failures]) == (2, ["names_partner"])
    assert review_store.revisions(email)[-1].note == "shorter"

    html = submit(client, email, "edit", body=original.replace("\n", "\r\n"))
    assert must_failing(html) == []
    assert "All 10 must checks pass" in html
    assert review_store.get_draft(email).version == 3


def test_structured_lists_are_edited_row_by_row_and_lines_one_per_line(
    client: TestClient, review_store: Store, drafts: dict
) -> None:
    agenda = drafts[Channel.meeting_agenda]
    before = review_store.get_draft(agenda).content.model_dump(mode="json")
    n = len(before["items"])
    submit(
        client, agenda, "edit",
        **{"items-0-minutes": "", "items-0-topic": "", "items-0-owner": "", "items-0-notes": "",
           f"items-{n}-minutes": "5", f"items-{n}-topic": "Coffee", f"items-{n}-owner": "Ava",
           "attendees": "Ava Thompson\r\n\r\n  Marcus Lee  \r\nSam Rivera"},
    )  # fmt: skip
    after = review_store.get_draft(agenda).content.model_dump(mode="json")
    assert [i["topic"] for i in after["items"]] == [
        *(i["topic"] for i in before["items"][1:]),
        "Coffee",
    ]
    assert after["attendees"] == ["Ava Thompson", "Marcus Lee", "Sam Rivera"]


def test_an_invalid_edit_names_the_field_and_keeps_what_was_typed(
    client: TestClient, review_store: Store, drafts: dict
) -> None:
    agenda = drafts[Channel.meeting_agenda]
    html = submit(client, agenda, "edit", 422, **{"items-0-minutes": "ten", "title": "New title"})
    assert "<strong>Agenda items, item 1, Minutes</strong>" in html
    form = post_forms(html)["edit"]
    assert (form["items-0-minutes"], form["title"]) == ("ten", "New title")
    assert review_store.get_draft(agenda).version == 1


def test_a_stale_edit_is_a_message_and_the_typed_text_survives(
    client: TestClient, review_store: Store, drafts: dict
) -> None:
    email = drafts[Channel.email]
    stale = post_forms(page(client, f"/review/drafts/{email}"))["edit"]
    submit(client, email, "edit", subject="Someone else's subject")
    response = client.post(f"/review/drafts/{email}/edit", data=stale | {"subject": "Mine"})
    assert response.status_code == 409
    assert "changed while you were editing" in response.text
    assert "see what changed since version 1" in response.text.lower()
    assert post_forms(response.text)["edit"]["subject"] == "Mine"
    assert review_store.get_draft(email).content.subject == "Someone else's subject"


def test_an_edit_the_store_cannot_save_keeps_what_was_typed(
    client: TestClient, review_store: Store, drafts: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unavailable(*args, **kwargs):
        raise StoreError("cannot write the database: disk I/O error")

    email = drafts[Channel.email]
    monkeypatch.setattr(Store, "apply", unavailable)
    html = submit(client, email, "edit", 503, subject="My careful rewrite")
    assert "could not be written just now" in html
    assert post_forms(html)["edit"]["subject"] == "My careful rewrite"
    assert "disk I/O" not in html


# --- decisions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("break_it", "action", "reason", "status", "outcome", "shown"),
    [
        (False, "approve", "", 303, "approved", "Approved."),
        (True, "approve", "", 409, "draft", "must checks fail (names_partner)"),
        (True, "approve", "Partner asked to stay unnamed", 303, "approved", "Approved."),
        (False, "reject", "", 422, "draft", "a reason is required"),
        (False, "reject", "Wrong partner", 303, "rejected", "Rejected."),
    ],
)
def test_approve_reject_and_override(
    client: TestClient,
    review_store: Store,
    drafts: dict,
    break_it: bool,
    action: str,
    reason: str,
    status: int,
    outcome: str,
    shown: str,
) -> None:
    email = drafts[Channel.email]
    if break_it:
        html = submit(client, email, "edit", body=without_partner(client, email))
        assert "Approve with override" in html
    fields = post_forms(page(client, f"/review/drafts/{email}"))[action]
    response = client.post(f"/review/drafts/{email}/{action}", data=fields | {"reason": reason})
    assert response.status_code == status
    html = page(client, response.headers["location"]) if status == 303 else response.text
    assert shown in html
    assert review_store.get_draft(email).status == outcome
    if outcome != "draft":
        event = review_store.events(email)[-1]
        assert (event.actor, event.reason) == ("reviewer:local", reason or None)
        if reason:
            assert f"“{reason}”" in html


def test_an_override_reason_of_a_dot_is_refused_on_the_page(
    client: TestClient, review_store: Store, drafts: dict
) -> None:
    email = drafts[Channel.email]
    submit(client, email, "edit", body=without_partner(client, email))
    fields = post_forms(page(client, f"/review/drafts/{email}"))["approve"]
    response = client.post(f"/review/drafts/{email}/approve", data=fields | {"reason": "."})
    assert response.status_code == 422
    assert "two words" in response.text
    assert review_store.get_draft(email).status == "draft"


def test_a_stale_decision_is_a_message(client: TestClient, review_store: Store, drafts: dict):
    email = drafts[Channel.email]
    approve = post_forms(page(client, f"/review/drafts/{email}"))["approve"]
    submit(client, email, "edit", subject="Changed meanwhile")
    response = client.post(f"/review/drafts/{email}/approve", data=approve)
    assert response.status_code == 409
    assert "changed since you opened it" in response.text
    assert review_store.get_draft(email).status == "draft"


def test_reopen_brings_a_rejected_draft_back_and_it_can_be_edited(
    client: TestClient, review_store: Store, drafts: dict
) -> None:
    email = drafts[Channel.email]
    html = submit(client, email, "reject", reason="Not now")
    assert '<fieldset class="plain" disabled>' in html
    assert "reopen it first" in html
    html = submit(client, email, "reopen")
    assert "back in review" in html
    assert review_store.get_draft(email).status == "draft"


# --- diff and export -------------------------------------------------------------------------


def test_the_diff_marks_removed_and_added_words_escaped(client: TestClient, drafts: dict) -> None:
    email = drafts[Channel.email]
    edited = without_partner(client, email).replace("Hi Marcus,", f"{SCRIPT} Marcus,", 1)
    submit(client, email, "edit", body=edited)
    html = page(client, f"/review/drafts/{email}/diff?from=1&to=2")
    assert "<del>Hi</del><ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in html
    assert "<del>Main Street Business Alliance</del><ins>your organization</ins>" in html
    assert 'data-check="names_partner"' in html.split("Checks that changed")[1]
    assert "No such version" in page(client, f"/review/drafts/{email}/diff?from=1&to=9", 404)


def test_the_diff_shows_edits_in_two_places_word_by_word() -> None:
    old = "Dear Ann, we meet on Friday at noon. Best, Bo"
    new = "Dear Anna, we meet on Monday at noon. Regards, Bo"
    changed = [(s.op, s.text) for s in diff_segments(old, new) if s.op != "same"]
    assert changed == [
        ("del", "Ann,"), ("ins", "Anna,"), ("del", "Friday"), ("ins", "Monday"),
        ("del", "Best,"), ("ins", "Regards,"),
    ]  # fmt: skip


def test_a_diff_of_text_that_repeats_itself_is_one_replaced_passage() -> None:
    # Worked out word by word, such text costs cubic time: 20,000 characters took minutes of
    # a server thread per page view. Past a fixed amount of work it is shown whole instead.
    segments = diff_segments("a b " * 150, "a c " * 150)
    assert [s.op for s in segments] == ["same", "del", "ins", "same"]
    assert "".join(s.text for s in segments if s.op != "ins") == "a b " * 150
    assert "".join(s.text for s in segments if s.op != "del") == "a c " * 150


@pytest.mark.parametrize(
    ("channel", "formats"),
    [
        (Channel.email, ["eml", "md", "txt"]),
        (Channel.call_script, ["md", "txt"]),
        (Channel.meeting_agenda, ["ics", "md", "txt"]),
    ],
)
def test_each_export_format_has_a_link_that_downloads_the_file(
    client: TestClient, drafts: dict, channel: Channel, formats: list[str]
) -> None:
    draft_id = drafts[channel]
    html = page(client, f"/review/drafts/{draft_id}")
    assert re.findall(r"export\?format=(\w+)", html) == formats
    for fmt in formats:
        response = client.get(f"/review/drafts/{draft_id}/export?format={fmt}")
        assert response.status_code == 200
        assert response.headers["content-disposition"].startswith("attachment; filename=")
        assert response.headers["content-disposition"].endswith(f'-draft.{fmt}"')
        assert b"DRAFT" in response.content
    assert client.get(f"/review/drafts/{draft_id}/export?format=pdf").status_code == 422


def test_an_approved_email_exports_without_the_draft_mark(client: TestClient, drafts: dict) -> None:
    email = drafts[Channel.email]
    submit(client, email, "approve")
    response = client.get(f"/review/drafts/{email}/export?format=eml")
    assert b"Subject: Your space for our Main Street" in response.content
    assert b"DRAFT" not in response.content


# --- hostile text ----------------------------------------------------------------------------


def test_hostile_text_from_an_ask_or_a_model_is_shown_as_text(
    client: TestClient, review_store: Store
) -> None:
    ask = hostile_ask()
    drafted = seed(review_store, ask)
    model = seed_model_output(review_store, ask)
    submit(client, model.id, "edit", subject=f"Edited {IMG}")
    pages = [
        page(client, "/review"),
        page(client, "/review?partner=" + SCRIPT),
        page(client, f"/review/drafts/{model.id}/diff?from=1&to=2"),
        *(page(client, f"/review/drafts/{d.id}") for d in [*drafted.drafts, model]),
    ]
    for html in pages:
        assert "<script>" not in html
        assert "<img" not in html
        assert "javascript:" not in re.sub(r">[^<]*<", "><", html)
        assert 'src="http' not in html
    draft_page = pages[-1]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in draft_page
    assert "![x](http://evil.example/x.png)" in draft_page
    assert "[click me](javascript:alert(1))" in draft_page


def test_rejected_model_output_is_marked_and_shown_as_plain_text(
    client: TestClient, review_store: Store
) -> None:
    model = seed_model_output(review_store, SUMMIT)
    html = page(client, f"/review/drafts/{model.id}")
    section = html.split('<section class="rejected"')[1].split("</section>")[0]
    assert "Rejected model output" in section
    assert "never sent" in section
    assert "# Pitch\n&lt;script&gt;alert(1)&lt;/script&gt;\n**bold**" in section
    assert "<h1" not in section
    assert "<strong>bold" not in section
    assert all(h not in section for h in HOSTILE[:2])


# --- forms are ours: CSRF --------------------------------------------------------------------


def test_the_first_page_sets_a_strict_http_only_form_cookie(client: TestClient) -> None:
    cookie = client.get("/review").headers["set-cookie"]
    assert cookie.startswith("pitchgen_review_csrf=")
    assert all(flag in cookie for flag in ("HttpOnly", "SameSite=strict", "Path=/review"))
    assert "Secure" not in cookie


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda f, c: f | {"csrf": ""}, id="no-token"),
        pytest.param(lambda f, c: f | {"csrf": "x" * 43}, id="wrong-token"),
        pytest.param(lambda f, c: c.cookies.clear() or f, id="no-cookie"),
    ],
)
@pytest.mark.parametrize("action", ["edit", "approve", "reject"])
def test_a_forged_form_is_refused(
    client: TestClient, review_store: Store, drafts: dict, forge, action: str
) -> None:
    email = drafts[Channel.email]
    fields = post_forms(page(client, f"/review/drafts/{email}"))[action]
    fields = forge(fields | {"subject": "Forged", "reason": "forged"}, client)
    response = client.post(f"/review/drafts/{email}/{action}", data=fields)
    assert response.status_code == 403
    assert "Reload the page" in response.text
    assert response.headers["content-security-policy"] == CSP
    assert review_store.get_draft(email).version == 1
    assert review_store.get_draft(email).status == "draft"


# A page on another port of this host can plant the form cookie (cookies ignore ports) and post
# the token it planted; only what the browser says about the sending page tells it apart.
ANOTHER_PORT = {"Sec-Fetch-Site": "same-site", "Origin": "http://testserver:3000"}


@pytest.mark.parametrize(
    "sent_from",
    [
        pytest.param(ANOTHER_PORT, id="fetch-metadata"),
        pytest.param({"Origin": "http://testserver:3000"}, id="origin-only"),
        pytest.param({"Sec-Fetch-Site": "cross-site", "Origin": "null"}, id="sandboxed"),
    ],
)
@pytest.mark.parametrize("action", ["edit", "approve"])
def test_a_page_on_another_port_cannot_plant_the_form_token(
    client: TestClient, review_store: Store, drafts: dict, sent_from: dict, action: str
) -> None:
    email = drafts[Channel.email]
    fields = post_forms(page(client, f"/review/drafts/{email}"))[action]
    client.cookies.set("pitchgen_review_csrf", "planted-by-another-page", path="/review")
    forged = fields | {"csrf": "planted-by-another-page", "subject": "Forged"}
    response = client.post(f"/review/drafts/{email}/{action}", data=forged, headers=sent_from)
    assert response.status_code == 403
    assert "another site" in response.text
    assert (review_store.get_draft(email).version, review_store.get_draft(email).status) == (
        1,
        "draft",
    )


@pytest.mark.parametrize(
    "sent_from",
    [
        pytest.param({"Sec-Fetch-Site": "same-origin", "Origin": "null"}, id="no-referrer"),
        pytest.param({"Origin": "http://testserver"}, id="origin-only"),
        pytest.param({}, id="no-browser-headers"),
    ],
)
def test_our_own_page_may_say_so_in_any_way_a_browser_does(
    client: TestClient, review_store: Store, drafts: dict, sent_from: dict
) -> None:
    email = drafts[Channel.email]
    fields = post_forms(page(client, f"/review/drafts/{email}"))["approve"]
    response = client.post(f"/review/drafts/{email}/approve", data=fields, headers=sent_from)
    assert response.status_code == 303
    assert review_store.get_draft(email).status == "approved"


# --- signing in with a key -------------------------------------------------------------------


@pytest.fixture
def keyed(review_store: Store) -> Iterator[TestClient]:
    settings = Settings(llm="off", api_keys=["another-key-entirely", KEY])
    with TestClient(review_app(review_store, settings), follow_redirects=False) as c:
        yield c


def sign_in(client: TestClient, key: str = KEY, next_url: str = "/review") -> object:
    html = page(client, "/review/login?next=" + next_url)
    token = re.search(r'name="csrf" value="([^"]+)"', html)[1]
    return client.post("/review/login", data={"csrf": token, "key": key, "next": next_url})


def test_with_keys_every_page_asks_to_sign_in_first(keyed: TestClient, drafts: dict) -> None:
    email = drafts[Channel.email]
    response = keyed.get(f"/review/drafts/{email}?done=edited")
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"/review/login?next=%2Freview%2Fdrafts%2F{email}%3Fdone%3Dedited"
    )
    refused = keyed.post(f"/review/drafts/{email}/approve", data={"version": "1"})
    assert refused.status_code == 403
    assert "session has ended" in refused.text


def test_a_wrong_key_is_refused_and_starts_no_session(keyed: TestClient) -> None:
    response = sign_in(keyed, "wrong-key")
    assert response.status_code == 401
    assert "not one this server accepts" in response.text
    assert "pitchgen_review_session" not in response.headers.get("set-cookie", "")
    assert keyed.get("/review").status_code == 303


@pytest.mark.parametrize(
    ("base_url", "secure"), [("http://testserver", False), ("https://testserver", True)]
)
def test_a_key_signs_in_with_a_strict_session_cookie(
    review_store: Store, drafts: dict, base_url: str, secure: bool
) -> None:
    settings = Settings(llm="off", api_keys=[KEY])
    app = review_app(review_store, settings)
    with TestClient(app, base_url=base_url, follow_redirects=False) as client:
        target = f"/review/drafts/{drafts[Channel.email]}"
        response = sign_in(client, next_url=target)
        assert (response.status_code, response.headers["location"]) == (303, target)
        cookie = response.headers["set-cookie"]
        assert cookie.startswith("pitchgen_review_session=")
        assert all(f in cookie for f in ("HttpOnly", "SameSite=strict", "Path=/review"))
        assert ("Secure" in cookie) is secure
        assert KEY not in cookie
        html = page(client, target)
        assert f"Signed in as <strong>{FINGERPRINT}</strong>" in html
        assert KEY not in html


def test_a_signed_in_reviewer_acts_under_their_key_fingerprint(
    keyed: TestClient, review_store: Store, drafts: dict
) -> None:
    email = drafts[Channel.email]
    sign_in(keyed)
    submit(keyed, email, "edit", subject="Reviewed subject")
    submit(keyed, email, "approve")
    assert [e.actor for e in review_store.events(email)] == ["pitchgen", FINGERPRINT, FINGERPRINT]
    assert review_store.revisions(email)[-1].author == FINGERPRINT


def test_a_token_from_another_session_is_refused(
    review_store: Store, keyed: TestClient, drafts: dict
) -> None:
    email = drafts[Channel.email]
    sign_in(keyed)
    theirs = post_forms(page(keyed, f"/review/drafts/{email}"))["approve"]
    app = keyed.app
    with TestClient(app, follow_redirects=False) as other:
        sign_in(other)
        assert other.post(f"/review/drafts/{email}/approve", data=theirs).status_code == 403
    assert review_store.get_draft(email).status == "draft"


def test_signing_out_ends_the_session(keyed: TestClient) -> None:
    sign_in(keyed)
    token = post_forms(page(keyed, "/review"))["logout"]
    assert keyed.post("/review/logout", data=token).headers["location"] == "/review/login"
    assert keyed.get("/review").status_code == 303


@pytest.mark.parametrize(
    "next_url", ["//evil.example/review", "https://evil.example/", "/elsewhere", "/review\\@x"]
)
def test_signing_in_never_redirects_off_the_review_pages(keyed: TestClient, next_url: str):
    assert sign_in(keyed, next_url=next_url).headers["location"] == "/review"


def test_a_sign_in_form_from_another_page_is_refused(keyed: TestClient) -> None:
    keyed.cookies.set("pitchgen_review_csrf", "planted-by-another-page", path="/review")
    form = {"csrf": "planted-by-another-page", "key": KEY, "next": "/review"}
    assert keyed.post("/review/login", data=form, headers=ANOTHER_PORT).status_code == 403
    assert keyed.get("/review").status_code == 303


def test_a_sign_in_form_without_its_token_is_refused(keyed: TestClient) -> None:
    keyed.get("/review/login")
    response = keyed.post("/review/login", data={"key": KEY})
    assert response.status_code == 403
    assert keyed.get("/review").status_code == 303


def test_without_keys_there_is_no_sign_in(client: TestClient) -> None:
    assert client.get("/review/login").headers["location"] == "/review"
    assert "Signed in as <strong>reviewer:local</strong>" in page(client, "/review")
