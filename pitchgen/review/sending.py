"""Sending an approved draft: an email goes out over SMTP at most once per revision; a call
script or a meeting agenda is marked done.

An email send is three steps: a "send_attempt" event, the SMTP transaction, then `mark_sent`
(or `record_send_error`). A process that dies between the server accepting the message and
`mark_sent` leaves the attempt as the draft's last event; a later send of that draft is then
refused rather than risk a second copy in the partner's inbox, and the refusal says how to
check and how to allow another attempt. The attempt event also settles two sends racing each
other: both write one, and only the first since the draft last changed goes on.
"""

from __future__ import annotations

import datetime as dt
import secrets
from contextlib import suppress

from pitchgen.ask import Ask, Channel
from pitchgen.content.formats import timestamp
from pitchgen.content.status import step_to
from pitchgen.errors import ConfigError, Conflict, InvalidInput, SendError
from pitchgen.export import smtp as send
from pitchgen.export.files import message_id
from pitchgen.review import workflow as review
from pitchgen.settings import Settings
from pitchgen.store.repository import StaleVersion, Store
from pitchgen.store.rows import Change, Event, StoredDraft

__all__ = ["ATTEMPT", "send_draft"]

ATTEMPT = "send_attempt"


def send_draft(store: Store, draft_id: str, actor: str, settings: Settings) -> StoredDraft:
    """Send the approved draft (email) or mark it done (call script, meeting agenda); returns
    the draft as sent. Conflict unless approved, when already sent, or when an earlier attempt
    of this revision may have reached the server; SendError and ConfigError (recorded on the
    draft, which stays approved) when the mail cannot go out."""
    draft = store.get_draft(draft_id)
    if draft.status == "sent":
        raise Conflict(_already_sent(draft))
    step_to(draft.id, draft.status, "send")
    if draft.channel is not Channel.email:
        return _mark_done(store, draft, actor)
    return _send_email(store, draft, store.get_ask(draft.ask_id), actor, settings)


def _send_email(
    store: Store, draft: StoredDraft, ask: Ask, actor: str, settings: Settings
) -> StoredDraft:
    mid = message_id(draft, ask)
    _refuse_unfinished(draft, mid, store.events(draft.id))
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
    try:
        attempted = store.apply(draft, change)
    except StaleVersion:
        current = store.get_draft(draft.id)
        if current.status == "sent":
            raise Conflict(_already_sent(current)) from None
        raise
    # Two sends can both pass the check above; the store serialises their attempt events, and
    # only the first one since the draft last changed may talk to the server.
    _refuse_unfinished(draft, mid, store.events(draft.id), token)
    try:
        result = send.send_email(attempted, ask, smtp)
    except (SendError, InvalidInput) as exc:
        # A refusal or a failed connection: this closes the attempt, and a retry may send. The
        # one doubtful case, a reply that timed out after the data went over, would resend
        # under the same Message-ID, which receiving systems recognise as one message.
        _record_failure(store, draft, actor, exc)
        raise
    try:
        return review.mark_sent(
            store, draft.id, actor, message_id=result.message_id, expected_version=draft.version
        )
    except Conflict as exc:
        raise Conflict(
            f"draft {draft.id} was sent as {result.message_id} at {_when(result.sent_at)}, but it"
            f" changed while it was being sent, so it is not marked sent: {exc.message}"
        ) from None


def _refuse_unfinished(
    draft: StoredDraft, mid: str, events: list[Event], token: str | None = None
) -> None:
    """Raise Conflict when an attempt not ours (`token`) is open: one written since the draft's
    last other event, which means it is at the server now or died after reaching it."""
    open_attempts = []
    for event in reversed(events):
        if event.action != ATTEMPT:
            break
        open_attempts.append(event)
    if not open_attempts:
        return
    first = open_attempts[-1]
    if token is not None and (first.detail or {}).get("attempt") == token:
        return
    raise Conflict(
        f"draft {draft.id} may already have been sent: {first.actor} started sending version"
        f" {draft.version} at {_when(first.at)} and it has not finished. It may still be in"
        f" progress, or it stopped after the server took the message. Look for Message-ID {mid}"
        " in the partner's or your own mailbox; if it never arrived, reopen and approve the"
        " draft again to allow another attempt."
    )


def _record_failure(
    store: Store, draft: StoredDraft, actor: str, exc: SendError | ConfigError | InvalidInput
) -> None:
    reason = "; ".join(map(str, exc.problems)) if isinstance(exc, InvalidInput) else exc.message
    # A draft that moved on meanwhile is no longer waiting to be sent: nothing to record.
    with suppress(Conflict):
        review.record_send_error(store, draft.id, actor, reason)


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
