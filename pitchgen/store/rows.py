"""What the store hands back (a draft with its provenance and send state, its revisions, its
events) and what a workflow step gives it to write (`Change`, with a `NewRevision` for an edit),
or a new draft set to keep beside it (`IdempotencyRecord`, the API response to replay); how a
row becomes one of them (`row_model`); and the refusal of a step on a stale draft.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from pydantic import BaseModel, ConfigDict, PrivateAttr

from pitchgen.ask.text import STORED
from pitchgen.content.models import CheckResult, Draft, Status
from pitchgen.errors import Conflict

if TYPE_CHECKING:
    import sqlalchemy as sa

M = TypeVar("M", bound=BaseModel)

__all__ = [
    "Change",
    "Event",
    "IdempotencyRecord",
    "NewRevision",
    "Revision",
    "StaleVersion",
    "StoredDraft",
    "draft_row",
    "row_model",
    "utc",
]


class StoredDraft(Draft):
    """A draft as the store keeps it: the envelope plus where it came from and its send state."""

    # The rows' validators are built on first read (defer_build): saving loads this module.
    model_config = ConfigDict(defer_build=True)

    ask_id: str
    created_at: dt.datetime
    updated_at: dt.datetime
    sent_at: dt.datetime | None = None
    message_id: str | None = None
    send_error: str | None = None
    _json: str | None = PrivateAttr(default=None)

    def as_json(self) -> str:
        """Its JSON, serialized once: the store hands out the same draft until it changes."""
        if self._json is None:
            self._json = self.model_dump_json()
        return self._json


class Revision(BaseModel):
    model_config = ConfigDict(defer_build=True)

    draft_id: str
    version: int
    content: dict
    text: str
    checks: list[CheckResult]
    author: str
    created_at: dt.datetime
    note: str | None = None


class Event(BaseModel):
    model_config = ConfigDict(defer_build=True)

    draft_id: str
    at: dt.datetime
    actor: str
    action: str
    from_status: Status | None
    to_status: Status
    reason: str | None = None
    detail: dict | None = None
    # The request that wrote it (its X-Request-ID); none from the CLI.
    request_id: str | None = None


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
    # The request that wrote it (its X-Request-ID); none from the CLI.
    request_id: str | None = None
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


def utc(value: dt.datetime | None) -> dt.datetime | None:
    # SQLite hands timestamps back without their offset; every one we write is UTC.
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


class StaleVersion(Conflict):
    """The draft moved on since the caller read it; `current_version` is what to send next."""

    def __init__(self, draft_id: str, current_version: int, current_status: str) -> None:
        super().__init__(
            f"draft {draft_id} has changed: it is now version {current_version}"
            f" ({current_status}); reload it and try again with version {current_version}"
        )
        self.current_version = current_version
        self.current_status = current_status


def row_model(model: type[M], row: sa.Row, *times: str) -> M:
    # STORED: read back as it was written (see `ask.text`), even by an older pitchgen.
    values = row._asdict()
    stamps = {key: utc(values[key]) for key in times}
    return model.model_validate(values | stamps, context=STORED)


def draft_row(row: sa.Row) -> StoredDraft:
    values = row._asdict()
    values["model_calls"] = values.get("model_calls") or []  # none stored before 0007
    stamps = {key: utc(values[key]) for key in ("created_at", "updated_at", "sent_at")}
    return StoredDraft.model_validate(values | stamps, context=STORED)
