"""A send is exactly-once per revision under any interleaving of review steps, against a real
SMTP server (aiosmtpd on 127.0.0.1) that holds the first message at DATA until the test lets it
go: whatever reviewers do while a send is at the server, one message arrives and the draft
records it as sent."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import pytest
from conftest_smtp import Inbox

from pitchgen.ask import Ask, Channel
from pitchgen.errors import Conflict, SendUnconfirmed
from pitchgen.export.files import message_id
from pitchgen.review import sending as outbox
from pitchgen.review import workflow as review
from pitchgen.settings import Settings
from pitchgen.store.repository import Store
from pitchgen.store.rows import StoredDraft

pytest_plugins = ["conftest_store"]

EDITED = {"subject": "A room for the summit, please", "body": "Dear Marcus, ... Ava"}


class GatedInbox(Inbox):
    """Holds the first message at DATA until `release` is set; later ones go straight in."""

    def __init__(self) -> None:
        super().__init__()
        self.first_at_data = threading.Event()
        self.release = threading.Event()
        self.arrivals = 0

    async def handle_DATA(self, server, session, envelope):
        self.arrivals += 1
        if self.arrivals == 1:
            self.first_at_data.set()
            # Waiting in a thread keeps the server's event loop free for other connections.
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait)
        return await super().handle_DATA(server, session, envelope)


def smtp_settings(port: int) -> Settings:
    return Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_tls="none")


def _edit(store: Store, draft: StoredDraft) -> None:
    review.edit(store, draft.id, EDITED, draft.version, "bob")


# Each step runs against the draft as it is now; a step refused with 409 is part of the story.
STEPS: dict[str, Callable[[Store, StoredDraft], object]] = {
    "reopen": lambda s, d: review.reopen(s, d.id, "bob", "second thoughts"),
    "approve": lambda s, d: review.approve(s, d.id, "bob"),
    "reject": lambda s, d: review.reject(s, d.id, "bob", "not this year"),
    "edit": _edit,
}
INTERLEAVINGS = [
    ["reopen", "approve", "send"],
    ["reopen"],
    ["reject"],
    ["reject", "reopen", "approve", "send"],
    ["edit"],
    ["edit", "approve", "send"],
    ["send"],
]


@pytest.fixture
def email(store: Store, summit: Ask, make_set) -> StoredDraft:
    drafted = make_set()
    store.save_draft_set(summit, drafted, actor="ava")
    (draft,) = [d for d in drafted.drafts if d.channel is Channel.email]
    return review.approve(store, draft.id, "ava")


@pytest.mark.parametrize("steps", INTERLEAVINGS, ids=["-".join(s) for s in INTERLEAVINGS])
def test_whatever_happens_during_a_send_one_message_arrives_and_is_recorded(
    store, summit, email, smtp_server, steps
):
    inbox, port = smtp_server(GatedInbox())
    settings = smtp_settings(port)
    with ThreadPoolExecutor(4) as pool:
        first: Future = pool.submit(outbox.send_draft, store, email.id, "ava", settings)
        assert inbox.first_at_data.wait(10), "the first send never reached DATA"
        for step in steps:
            try:
                if step == "send":
                    # In a thread of its own: a second copy would be held at DATA too.
                    pool.submit(outbox.send_draft, store, email.id, "bob", settings).result(10)
                else:
                    STEPS[step](store, store.get_draft(email.id))
            except Conflict:
                pass
        inbox.release.set()
        sent = first.result(10)

    (received,) = inbox.messages
    final = store.get_draft(email.id)
    assert received["Message-ID"].strip() == message_id(email, summit)
    assert (final.status, final.message_id) == ("sent", received["Message-ID"].strip())
    assert sent == final
    assert [e.action for e in store.events(email.id)].count("send") == 1


def test_a_send_whose_last_reply_never_comes_is_not_sent_again(store, email, smtp_server):
    inbox, port = smtp_server(GatedInbox())
    # The server holds its answer to DATA past the reply timeout.
    settings = Settings(
        smtp_host="127.0.0.1", smtp_port=port, smtp_tls="none", smtp_timeout_seconds=0.5
    )

    with pytest.raises(SendUnconfirmed, match="may have been delivered") as unconfirmed:
        outbox.send_draft(store, email.id, "ava", settings)
    with pytest.raises(Conflict, match="may already have been sent"):
        outbox.send_draft(store, email.id, "bob", settings)
    inbox.release.set()

    assert "reopen and" in unconfirmed.value.message
    assert inbox.arrivals == 1  # the retry never reached the server
    assert store.get_draft(email.id).status == "approved"
    assert "send_failed" not in [e.action for e in store.events(email.id)]
