"""Sending an approved draft: an email goes out over SMTP at most once per revision; a call
script or a meeting agenda is marked done.

An email send is three steps: a send claim on the draft (with a "send_attempt" event), the SMTP
transaction, then settling the claim as sent or failed. The claim (see `pitchgen.store.claims`) is
what makes a send exactly-once: only one can be taken per approval, and while it is held no
reviewer can reopen, reject, edit or re-approve the draft, so the send is always recorded
against the draft it was started from. A process that dies after the server took the message
leaves the claim; once it lapses, a later send is still refused rather than risk a second copy
in the partner's inbox, and the refusal says how to check and how to allow another attempt.
"""

from __future__ import annotations

import datetime as dt
import secrets
from contextlib import suppress

from pitchgen.ask import Ask, Channel
from pitchgen.content.formats import timestamp
from pitchgen.content.status import step_to
from pitchgen.errors import ConfigError, Conflict, InvalidInput, SendError, SendUnconfirmed
from pitchgen.export import smtp as send
from pitchgen.export.files import message_id
from pitchgen.review import workflow as review
from pitchgen.settings import Settings
from pitchgen.store.claims import SendInProgress
from pitchgen.store.repository import StaleVersion, Store
from pitchgen.store.rows import Change, StoredDraft

__all__ = ["ATTEMPT", "CLAIM_MARGIN_SECONDS", "send_draft"]

ATTEMPT = "send_attempt"
# Beyond the SMTP deadline, for writing the outcome: a store that takes longer than this is
# down, and a send whose outcome could not be written is refused until a reviewer checks.
CLAIM_MARGIN_SECONDS = 120


def send_draft(
    store: Store, draft_id: str, actor: str, settings: Settings, *, ask: Ask | None = None
) -> StoredDraft:
    """Send the approved draft (email) or mark it done (call script, meeting agenda); returns
    the draft as sent. Conflict unless approved, when already sent, or when an earlier attempt
    of this revision may have reached the server; SendError and ConfigError (recorded on the
    draft, which stays approved) when the mail cannot go out. `ask` addresses it otherwise than
    the draft's own ask (a follow-through note to ourselves goes to the sender)."""
    draft = store.get_draft(draft_id)
    if draft.status == "sent":
        raise Conflict(_already_sent(draft))
    step_to(draft.id, draft.status, "send")
    if draft.channel is not Channel.email:
        return _mark_done(store, draft, actor)
    return _send_email(store, draft, ask or store.get_ask(draft.ask_id), actor, settings)


def _send_email(
    store: Store, draft: StoredDraft, ask: Ask, actor: str, settings: Settings
) -> StoredDraft:
    mid = message_id(draft, ask)
    try:
        smtp = send.SmtpConfig.from_settings(settings)
    except ConfigError as exc:
        _record_failure(store, draft, actor, exc)
        raise
    token = secrets.token_hex(8)
    change = Change(
        action=ATTEMPT,
        actor=actor,
        to_status=draft.status,
        detail={"message_id": mid, "version": draft.version, "attempt": token},
    )
    # The claim outlives the longest a sender can take, so that it never lapses mid-send.
    until = store.clock() + dt.timedelta(seconds=smtp.deadline + CLAIM_MARGIN_SECONDS)
    try:
        attempted = store.claim_send(draft, change, token, until)
    except SendInProgress as exc:
        raise Conflict(f"{exc.message}. Look for Message-ID {mid}.") from None
    except StaleVersion:
        current = store.get_draft(draft.id)
        if current.status == "sent":
            raise Conflict(_already_sent(current)) from None
        raise
    try:
        result = send.send_email(attempted, ask, smtp)
    except SendUnconfirmed as exc:
        # The server may have the message: the claim stays until it lapses, as after a crash,
        # and a reviewer who finds it never arrived reopens the draft to allow another send.
        raise SendUnconfirmed(
            f"{exc.message}. Draft {draft.id} stays approved and cannot be sent again until"
            f" {_when(until)}; look for Message-ID {mid}, and if it never arrived, reopen and"
            " approve the draft then to allow another attempt"
        ) from None
    except (SendError, InvalidInput) as exc:
        # A refusal, a failed connection, or a server that stopped before the message went
        # over: this releases the claim, and a retry may send.
        store.settle_send(draft.id, token, _failure(actor, exc))
        raise
    sent = Change(
        action="send",
        actor=actor,
        to_status=step_to(draft.id, draft.status, "send"),
        detail={"message_id": result.message_id},
        sent_at=result.sent_at,
        message_id=result.message_id,
    )
    settled = store.settle_send(draft.id, token, sent)
    assert settled is not None  # a delivery is always recorded
    return settled


def _failure(actor: str, exc: SendError | ConfigError | InvalidInput) -> Change:
    reason = "; ".join(map(str, exc.problems)) if isinstance(exc, InvalidInput) else exc.message
    return Change(
        action="send_failed", actor=actor, to_status="approved", reason=reason, send_error=reason
    )


def _record_failure(store: Store, draft: StoredDraft, actor: str, exc: ConfigError) -> None:
    # A draft that moved on meanwhile is no longer waiting to be sent: nothing to record.
    with suppress(Conflict):
        review.record_send_error(store, draft.id, actor, exc.message)


def _mark_done(store: Store, draft: StoredDraft, actor: str) -> StoredDraft:
    # The audit log should say that a call or meeting was done, not that something was emailed.
    done = f"the {draft.channel.label} was marked done; nothing was emailed"
    return review.mark_sent(store, draft.id, actor, expected_version=draft.version, done=done)


def _already_sent(draft: StoredDraft) -> str:
    when = _when(draft.sent_at) if draft.sent_at else "an unknown time"
    if draft.message_id:
        return f"draft {draft.id} was already sent as {draft.message_id} at {when}"
    return f"draft {draft.id} was already marked done at {when}"


def _when(at: dt.datetime) -> str:
    return timestamp(at, seconds=True)
