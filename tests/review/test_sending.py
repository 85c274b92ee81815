"""Sending an approved draft, against a real SMTP server (aiosmtpd on 127.0.0.1): an email goes
out once per revision and is marked sent; a failure leaves it approved with the reason; a retry,
a race or a crash after the server took the message never puts a second copy in the inbox."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest_smtp import free_port

from pitchgen.ask import Ask, Channel
from pitchgen.errors import ConfigError, Conflict, PitchgenError, SendError, StoreError
from pitchgen.export import smtp as send
from pitchgen.export.files import message_id
from pitchgen.review import sending as outbox
from pitchgen.review import workflow as review
from pitchgen.settings import Settings
from pitchgen.store.repository import Store
from pitchgen.store.rows import StoredDraft

pytest_plugins = ["conftest_store"]


def smtp_settings(port: int) -> Settings:
    return Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_tls="none")


@pytest.fixture
def drafts(store: Store, summit: Ask, make_set) -> dict[Channel, StoredDraft]:
    """One stored draft per channel, every must check passing, approved."""
    drafted = make_set()
    store.save_draft_set(summit, drafted, actor="ava")
    return {d.channel: review.approve(store, d.id, "ava") for d in drafted.drafts}


@pytest.fixture
def email(drafts: dict[Channel, StoredDraft]) -> StoredDraft:
    return drafts[Channel.email]


def actions(store: Store, draft_id: str) -> list[str]:
    return [e.action for e in store.events(draft_id)]


def test_an_approved_email_is_sent_and_marked_sent(store, summit, email, smtp_server):
    inbox, port = smtp_server()

    sent = outbox.send_draft(store, email.id, "ava", smtp_settings(port))

    (received,) = inbox.messages
    expected_id = message_id(email, summit)
    assert received["Message-ID"].strip() == expected_id  # a long one is folded
    assert received["Subject"] == email.content.subject
    assert received["To"] == "Marcus Lee <mlee@mainstreetalliance.org>"
    assert (sent.status, sent.message_id, sent.send_error) == ("sent", expected_id, None)
    assert sent.sent_at is not None
    assert store.get_draft(email.id) == sent
    assert actions(store, email.id) == ["created", "approve", "send_attempt", "send"]
    assert store.events(email.id)[-1].detail == {"message_id": expected_id}


def test_a_retry_after_success_is_refused_and_sends_nothing(store, email, smtp_server):
    inbox, port = smtp_server()
    sent = outbox.send_draft(store, email.id, "ava", smtp_settings(port))

    with pytest.raises(Conflict, match="already sent as") as refused:
        outbox.send_draft(store, email.id, "ava", smtp_settings(port))

    assert sent.message_id in refused.value.message
    assert len(inbox.messages) == 1


@pytest.mark.parametrize(
    ("step", "status"),
    [
        (lambda s, d: review.reopen(s, d, "ava"), "draft"),
        (lambda s, d: review.reject(s, d, "ava", "not this year"), "rejected"),
    ],
    ids=["draft", "rejected"],
)
def test_only_an_approved_draft_is_sent(store, email, smtp_server, step, status):
    inbox, port = smtp_server()
    step(store, email.id)

    with pytest.raises(Conflict, match=f"cannot send draft {email.id}: it is {status}"):
        outbox.send_draft(store, email.id, "ava", smtp_settings(port))

    assert inbox.messages == []
    assert store.get_draft(email.id).status == status


@pytest.mark.parametrize(
    ("refuse", "reason"),
    [
        (True, "refused the recipient mlee@mainstreetalliance.org: 550"),
        (False, "could not connect"),
    ],
    ids=["refused", "no-server"],
)
def test_a_failed_send_keeps_the_draft_approved_with_the_reason(
    store, email, smtp_server, refuse, reason
):
    port = smtp_server(refuse=True)[1] if refuse else free_port()

    with pytest.raises(SendError, match=reason):
        outbox.send_draft(store, email.id, "ava", smtp_settings(port))

    failed = store.get_draft(email.id)
    assert (failed.status, failed.version, failed.message_id) == ("approved", email.version, None)
    assert reason in failed.send_error
    assert actions(store, email.id)[-2:] == ["send_attempt", "send_failed"]


def test_a_retry_after_a_failure_sends_once_and_clears_the_error(store, email, smtp_server):
    with pytest.raises(SendError):
        outbox.send_draft(store, email.id, "ava", smtp_settings(free_port()))
    inbox, port = smtp_server()

    sent = outbox.send_draft(store, email.id, "ava", smtp_settings(port))

    assert (sent.status, sent.send_error) == ("sent", None)
    assert len(inbox.messages) == 1


def test_sending_without_a_server_configured_is_recorded_without_an_attempt(store, email):
    with pytest.raises(ConfigError, match="set PITCHGEN_SMTP_HOST"):
        outbox.send_draft(store, email.id, "ava", Settings())

    draft = store.get_draft(email.id)
    assert draft.status == "approved"
    assert draft.send_error.startswith("sending is not configured")
    assert actions(store, email.id)[-1] == "send_failed"
    assert "send_attempt" not in actions(store, email.id)


def after_the_claim_lapses(store: Store) -> None:
    """Move the store's clock past any send claim: its sender has finished or died."""
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    store.clock = lambda: later


def test_a_send_cut_off_after_the_server_took_it_is_not_repeated(
    store, summit, email, smtp_server, monkeypatch
):
    inbox, port = smtp_server()

    def crash(*args, **kwargs):
        raise StoreError("cannot read or write the database: disk I/O error")

    with monkeypatch.context() as patched:
        patched.setattr(store, "settle_send", crash)
        with pytest.raises(StoreError):
            outbox.send_draft(store, email.id, "ava", smtp_settings(port))
    with pytest.raises(Conflict, match="is being sent now") as while_held:
        outbox.send_draft(store, email.id, "bob", smtp_settings(port))
    after_the_claim_lapses(store)
    with pytest.raises(Conflict, match="may already have been sent") as refused:
        outbox.send_draft(store, email.id, "bob", smtp_settings(port))

    assert message_id(email, summit) in while_held.value.message
    assert message_id(email, summit) in refused.value.message
    assert "reopen and approve" in refused.value.message
    assert len(inbox.messages) == 1
    assert store.get_draft(email.id).status == "approved"


def test_a_reviewer_who_finds_it_never_arrived_reopens_approves_and_sends_again(
    store, email, smtp_server, monkeypatch
):
    inbox, port = smtp_server()
    with monkeypatch.context() as patched:
        patched.setattr(send, "send_email", lambda *a, **k: (_ for _ in ()).throw(KeyError))
        with pytest.raises(KeyError):  # an unforeseen failure leaves the attempt open
            outbox.send_draft(store, email.id, "ava", smtp_settings(port))
    with pytest.raises(Conflict, match="may already have been sent"):
        outbox.send_draft(store, email.id, "ava", smtp_settings(port))
    with pytest.raises(Conflict, match="being sent now"):
        review.reopen(store, email.id, "ava", reason="it never arrived")

    after_the_claim_lapses(store)
    review.reopen(store, email.id, "ava", reason="it never arrived")
    review.approve(store, email.id, "ava")
    sent = outbox.send_draft(store, email.id, "ava", smtp_settings(port))

    assert sent.status == "sent"
    assert len(inbox.messages) == 1


def test_a_send_started_while_another_is_at_the_server_is_refused(
    store, email, smtp_server, monkeypatch
):
    inbox, port = smtp_server()
    real_send, nested = send.send_email, []

    def send_while_second_send_starts(*args, **kwargs):
        try:
            outbox.send_draft(store, email.id, "bob", smtp_settings(port))
        except PitchgenError as exc:
            nested.append(exc)
        return real_send(*args, **kwargs)

    monkeypatch.setattr(send, "send_email", send_while_second_send_starts)
    sent = outbox.send_draft(store, email.id, "ava", smtp_settings(port))

    (refused,) = nested
    assert isinstance(refused, Conflict)
    assert "may already have been sent" in refused.message
    assert sent.status == "sent"
    assert len(inbox.messages) == 1


def test_racing_sends_deliver_exactly_one_message(store, email, smtp_server):
    inbox, port = smtp_server()
    start = threading.Barrier(4)

    def race(actor: str) -> str:
        start.wait()
        try:
            outbox.send_draft(store, email.id, actor, smtp_settings(port))
        except Conflict:
            return "refused"
        return "sent"

    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(race, ["a", "b", "c", "d"]))

    assert sorted(outcomes) == ["refused", "refused", "refused", "sent"]
    assert len(inbox.messages) == 1
    assert store.get_draft(email.id).status == "sent"


@pytest.mark.parametrize("channel", [Channel.call_script, Channel.meeting_agenda])
def test_calls_and_meetings_are_marked_done_and_nothing_is_emailed(
    store, drafts, smtp_server, channel
):
    inbox, port = smtp_server()
    draft = drafts[channel]

    done = outbox.send_draft(store, draft.id, "ava", smtp_settings(port))

    assert (done.status, done.message_id) == ("sent", None)
    assert done.sent_at is not None
    assert inbox.messages == []
    last = store.events(draft.id)[-1]
    assert (last.action, last.to_status) == ("send", "sent")
    assert "marked done; nothing was emailed" in last.detail["done"]
    with pytest.raises(Conflict, match="already marked done at"):
        outbox.send_draft(store, draft.id, "ava", smtp_settings(port))


def test_a_send_left_unfinished_before_the_upgrade_is_still_refused(
    store_url, summit, make_set, smtp_server
):
    from alembic import command
    from alembic.config import Config

    from pitchgen.store.migrations.schema import drafts, events
    from pitchgen.store.repository import _MIGRATIONS

    old = Store.from_url(store_url, upgrade=False)
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    drafted = make_set()
    (email,) = [d for d in drafted.drafts if d.channel is Channel.email]
    with old.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")
    old.save_draft_set(summit, drafted)
    # As an older pitchgen left it when its process died mid-send.
    with old.engine.begin() as conn:
        conn.execute(drafts.update().where(drafts.c.id == email.id).values(status="approved"))
        conn.execute(
            events.insert().values(
                draft_id=email.id, at=dt.datetime.now(dt.UTC), actor="ava",
                action="send_attempt", from_status="approved", to_status="approved",
            )
        )  # fmt: skip
    old.close()
    inbox, port = smtp_server()
    store = Store.from_url(store_url)

    with pytest.raises(Conflict, match="may already have been sent"):
        outbox.send_draft(store, email.id, "bob", smtp_settings(port))
    review.reopen(store, email.id, "bob", reason="it never arrived")
    review.approve(store, email.id, "bob")

    assert outbox.send_draft(store, email.id, "bob", smtp_settings(port)).status == "sent"
    assert len(inbox.messages) == 1
    store.close()
