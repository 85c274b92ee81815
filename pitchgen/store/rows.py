"""What the store hands back (a draft with its provenance and send state, its revisions, its
events) and what a workflow step gives it to write (`Change`, with a `NewRevision` for an edit),
or a new draft set to keep beside it (`IdempotencyRecord`, the API response to replay).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import BaseModel

from pitchgen.content.models import CheckResult, Draft, Status

__all__ = ["Change", "Event", "IdempotencyRecord", "NewRevision", "Revision", "StoredDraft"]


class StoredDraft(Draft):
    """A draft as the store keeps it: the envelope plus where it came from and its send state."""

    ask_id: str
    created_at: dt.datetime
    updated_at: dt.datetime
    sent_at: dt.datetime | None = None
    message_id: str | None = None
    send_error: str | None = None


class Revision(BaseModel):
    draft_id: str
    version: int
    content: dict
    text: str
    checks: list[CheckResult]
    author: str
    created_at: dt.datetime
    note: str | None = None


class Event(BaseModel):
    draft_id: str
    at: dt.datetime
    actor: str
    action: str
    from_status: Status | None
    to_status: Status
    reason: str | None = None
    detail: dict | None = None


@dataclass(frozen=True)
class NewRevision:
    content: dict
    text: str
    checks: list[CheckResult]
    note: str | None = None


@dataclass(frozen=True)
class Change:
    """One workflow step, applied to a draft as it was read (see `Store.apply`).

    `revision` makes it an edit (version + 1). `send_error` is written on every step, so any
    step but a failed send clears it; `sent_at` and `message_id` are written when given."""

    action: str
    actor: str
    to_status: Status
    reason: str | None = None
    detail: dict | None = None
    revision: NewRevision | None = None
    sent_at: dt.datetime | None = None
    message_id: str | None = None
    send_error: str | None = None


@dataclass(frozen=True)
class IdempotencyRecord:
    """The response to `POST /v1/drafts` kept under an `Idempotency-Key`, scoped by API key.

    `fingerprint` is of the request body: a retry with the same key must send the same one."""

    scope: str
    key: str
    fingerprint: str
    status: int
    body: str
