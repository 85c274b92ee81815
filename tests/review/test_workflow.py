"""The review workflow as a reviewer meets it: edits become revisions with fresh checks, stale
or illegal steps are refused with what to do instead, and every step is in the audit log."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from pitchgen.ask import Ask, Channel
from pitchgen.content.models import Email
from pitchgen.content.render import to_text
from pitchgen.content.status import IllegalTransition
from pitchgen.errors import Conflict, InvalidInput
from pitchgen.review import workflow as review
from pitchgen.store.repository import StaleVersion, Store
from pitchgen.store.rows import StoredDraft

pytest_plugins = ["conftest_store"]


@pytest.fixture
def email(store: Store, summit: Ask, make_set) -> StoredDraft:
    """A stored email draft whose must checks all pass."""
    drafted = make_set()
    store.save_draft_set(summit, drafted, actor="ava")
    return store.get_draft(next(d.id for d in drafted.drafts if d.channel == Channel.email))


@pytest.fixture
def failing(store: Store, summit: Ask, make_set) -> StoredDraft:
    """A stored draft whose `grounded` must check fails."""
    drafted = make_set(failing=("grounded",))
    store.save_draft_set(summit, drafted)
    return store.get_draft(drafted.drafts[0].id)


def _check(d: StoredDraft, check_id: str) -> bool:
    return next(c.passed for c in d.checks if c.id == check_id and c.level == "must")


NAMED = {"subject": "A room", "body": "Dear Marcus Lee, Main Street Business Alliance could help."}
UNNAMED = {"subject": "A room", "body": "Dear Marcus Lee, you could help."}


def test_an_edit_is_a_new_revision_with_fresh_checks_and_its_author(
    store: Store, email: StoredDraft
) -> None:
    named = review.edit(store, email.id, NAMED, 1, author="ava")
    edited = review.edit(store, email.id, UNNAMED, 2, author="marcus", note="shorter")

    assert _check(named, "names_partner")
    assert not _check(edited, "names_partner")
    assert (edited.version, edited.status, edited.content) == (3, "draft", Email(**UNNAMED))
    assert edited.text == to_text(Email(**UNNAMED))
    assert store.get_draft(email.id) == edited
    assert [(r.version, r.author, r.note) for r in store.revisions(email.id)] == [
        (1, "ava", None),
        (2, "ava", None),
        (3, "marcus", "shorter"),
    ]
    original = email.content.model_dump(mode="json")
    assert [r.content for r in store.revisions(email.id)] == [original, NAMED, UNNAMED]
    last = store.events(email.id)[-1]
    assert (last.action, last.actor, last.reason) == ("edit", "marcus", "shorter")
    assert last.detail == {"version": 3}


def test_an_edit_that_changes_nothing_makes_no_revision(store: Store, email: StoredDraft) -> None:
    assert review.edit(store, email.id, dict(email.content), 1, author="marcus") == email
    assert len(store.revisions(email.id)) == 1


AGENDA = {
    "title": "Summit room",
    "duration_minutes": 30,
    "attendees": ["Marcus Lee"],
    "objective": "Agree on the room",
    "decisions_needed": [],
    "materials": [],
    "next_steps": [],
}


@pytest.mark.parametrize(
    ("channel", "content", "paths"),
    [
        ("email", {"subject": "Hello"}, ["content.body"]),
        ("email", {"subject": 5, "body": "Hi"}, ["content.subject"]),
        ("email", {"subject": "Hello", "body": "Hi", "cc": "x@y.org"}, ["content.cc"]),
        ("email", {}, ["content.subject", "content.body"]),
        ("email", ["subject"], ["content"]),
        (
            "meeting_agenda",
            AGENDA | {"items": [{"minutes": "ten", "topic": "Room", "owner": "Ava"}]},
            ["content.items[0].minutes"],
        ),
    ],
)
def test_invalid_content_is_refused_by_path(
    store: Store, email: StoredDraft, channel: str, content: object, paths: list[str]
) -> None:
    [target] = store.list_drafts(channel=channel).drafts
    with pytest.raises(InvalidInput) as caught:
        review.edit(store, target.id, content, 1, author="marcus")
    assert [p.path for p in caught.value.problems] == paths
    assert store.get_draft(target.id).version == 1


def test_a_stale_version_is_refused_naming_the_current_one(
    store: Store, email: StoredDraft
) -> None:
    review.edit(store, email.id, {"subject": "First", "body": "One"}, 1, author="ava")
    with pytest.raises(StaleVersion, match="now version 2") as caught:
        review.edit(store, email.id, {"subject": "Second", "body": "Two"}, 1, author="marcus")
    assert caught.value.current_version == 2
    assert caught.value.status == 409
    assert store.get_draft(email.id).content.subject == "First"


def test_parallel_edits_lose_nothing(store: Store, email: StoredDraft) -> None:
    writers = 8
    start = threading.Barrier(writers)

    def edit_until_it_lands(n: int) -> int:
        start.wait()
        for attempt in range(1, 100):
            current = store.get_draft(email.id)
            content = {"subject": f"Edit {n}", "body": f"{current.content.body} ({n})"}
            try:
                review.edit(store, email.id, content, current.version, author=f"writer-{n}")
                return attempt
            except StaleVersion:
                continue
        raise AssertionError(f"writer {n} never landed its edit")

    with ThreadPoolExecutor(writers) as pool:
        list(pool.map(edit_until_it_lands, range(writers)))

    final = store.get_draft(email.id)
    history = store.revisions(email.id)
    assert final.version == 1 + writers
    assert [r.version for r in history] == list(range(1, writers + 2))
    assert sorted(r.author for r in history[1:]) == sorted(f"writer-{n}" for n in range(writers))
    # Each edit built on the one before it: the body carries every writer's mark, in order.
    marks = [r.author.removeprefix("writer-") for r in history[1:]]
    assert final.content.body.endswith("".join(f" ({m})" for m in marks))


def test_approval_is_refused_while_a_must_check_fails(store: Store, failing: StoredDraft) -> None:
    for reason in (None, "  "):
        with pytest.raises(Conflict, match=r"must checks fail \(grounded\)"):
            review.approve(store, failing.id, "ava", override_reason=reason)
    assert store.get_draft(failing.id).status == "draft"


def test_an_override_reason_approves_and_is_recorded(store: Store, failing: StoredDraft) -> None:
    approved = review.approve(store, failing.id, "ava", override_reason="the figure is in our 990")
    assert approved.status == "approved"
    event = store.events(failing.id)[-1]
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        "approve", "ava", "draft", "approved",
    )  # fmt: skip
    assert event.reason == "the figure is in our 990"
    assert event.detail == {"overridden_checks": ["grounded"]}


@pytest.mark.parametrize(
    "reason", [".", "ok", "..........!", "fine fine", "approved!!", "a b c d e f", "__ __ __ __"]
)
def test_an_override_needs_a_reason_in_words(
    store: Store, failing: StoredDraft, reason: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        review.approve(store, failing.id, "ava", override_reason=reason)
    assert [p.path for p in refused.value.problems] == ["override_reason"]
    assert store.get_draft(failing.id).status == "draft"


def test_editing_an_approved_draft_withdraws_the_approval(store: Store, email: StoredDraft) -> None:
    review.approve(store, email.id, "ava", expected_version=1)
    edited = review.edit(store, email.id, {"subject": "New", "body": "Text"}, 1, author="marcus")
    assert edited.status == "draft"
    event = store.events(email.id)[-1]
    assert (event.action, event.from_status, event.to_status) == ("edit", "approved", "draft")


def _to(store: Store, draft_id: str, status: str) -> None:
    """Walk a fresh draft to `status` by the workflow's own steps."""
    if status == "draft":
        return
    if status == "rejected":
        review.reject(store, draft_id, "ava", "not this partner")
        return
    review.approve(store, draft_id, "ava")
    if status == "sent":
        review.mark_sent(store, draft_id, "ava", message_id="<1@pitchgen>")


@pytest.mark.parametrize(
    ("status", "action", "allowed"),
    [
        ("draft", review.reopen, "allowed from draft: edit, approve, reject"),
        ("draft", review.mark_sent, "allowed from draft: edit, approve, reject"),
        ("approved", review.approve, "allowed from approved: edit, send, reopen, reject"),
        ("rejected", review.approve, "allowed from rejected: reopen"),
        ("rejected", review.reject, "allowed from rejected: reopen"),
        ("sent", review.reopen, "a sent draft is final"),
        ("sent", review.reject, "a sent draft is final"),
    ],
)
def test_an_illegal_step_names_the_allowed_ones(
    store: Store, email: StoredDraft, status: str, action, allowed: str
) -> None:
    _to(store, email.id, status)
    before = store.events(email.id)
    kwargs = {"reason": "because"} if action is review.reject else {}
    with pytest.raises(IllegalTransition, match=allowed) as caught:
        action(store, email.id, "ava", **kwargs)
    assert (caught.value.status, caught.value.draft_status) == (409, status)
    assert store.events(email.id) == before


@pytest.mark.parametrize("status", ["rejected", "sent"])
def test_a_rejected_or_sent_draft_cannot_be_edited(
    store: Store, email: StoredDraft, status: str
) -> None:
    _to(store, email.id, status)
    with pytest.raises(IllegalTransition, match=f"cannot edit .* it is {status}"):
        review.edit(store, email.id, {"subject": "New", "body": "Text"}, 1, author="marcus")


def test_a_rejection_needs_a_reason(store: Store, email: StoredDraft) -> None:
    with pytest.raises(InvalidInput) as caught:
        review.reject(store, email.id, "ava", " ")
    assert [p.path for p in caught.value.problems] == ["reason"]


def test_a_rejected_draft_can_be_reopened_and_approved(store: Store, email: StoredDraft) -> None:
    review.reject(store, email.id, "ava", "wrong contact")
    assert review.reopen(store, email.id, "marcus", reason="right contact now").status == "draft"
    assert review.approve(store, email.id, "marcus").status == "approved"
    assert [(e.action, e.actor, e.to_status, e.reason) for e in store.events(email.id)] == [
        ("created", "ava", "draft", None),
        ("reject", "ava", "rejected", "wrong contact"),
        ("reopen", "marcus", "draft", "right contact now"),
        ("approve", "marcus", "approved", None),
    ]


def test_a_failed_send_keeps_the_approval_and_says_why(store: Store, email: StoredDraft) -> None:
    review.approve(store, email.id, "ava")
    failed = review.record_send_error(store, email.id, "pitchgen", "SMTP refused: 550 no relay")
    assert (failed.status, failed.send_error) == ("approved", "SMTP refused: 550 no relay")
    sent = review.mark_sent(store, email.id, "pitchgen", message_id="<42@pitchgen>")
    assert (sent.status, sent.message_id, sent.send_error) == ("sent", "<42@pitchgen>", None)
    assert sent.sent_at is not None
    assert [e.action for e in store.events(email.id)][-2:] == ["send_failed", "send"]


def test_approval_checks_the_version_the_reviewer_saw(store: Store, email: StoredDraft) -> None:
    review.edit(store, email.id, {"subject": "New", "body": "Text"}, 1, author="marcus")
    with pytest.raises(StaleVersion, match="now version 2"):
        review.approve(store, email.id, "ava", expected_version=1)


def test_the_workflow_deletes_nothing(store: Store, email: StoredDraft) -> None:
    bodies = ["First rewrite", "Second rewrite", "Third rewrite"]
    review.edit(store, email.id, {"subject": "S", "body": bodies[0]}, 1, author="marcus")
    review.approve(store, email.id, "ava", override_reason="checked by hand")
    review.edit(store, email.id, {"subject": "S", "body": bodies[1]}, 2, author="marcus")
    review.reject(store, email.id, "ava", "too long")
    review.reopen(store, email.id, "ava")
    review.edit(store, email.id, {"subject": "S", "body": bodies[2]}, 3, author="marcus")

    assert [r.content["body"] for r in store.revisions(email.id)] == [
        email.content.body,
        *bodies,
    ]
    assert [e.action for e in store.events(email.id)] == [
        "created", "edit", "approve", "edit", "reject", "reopen", "edit",
    ]  # fmt: skip
    page = store.list_drafts(channel="email").drafts
    assert [d.id for d in page] == [email.id]
