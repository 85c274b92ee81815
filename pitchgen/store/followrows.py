"""What the follow-through part of the store hands back: an outcome of a pitch, a commitment
and its history, a draft the follow-through wrote; and what it takes to open a commitment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

__all__ = [
    "Commitment",
    "CommitmentEvent",
    "FollowDraft",
    "NewCommitment",
    "Outcome",
    "OutcomeRecorded",
]

Owner = Literal["us", "them"]
CommitmentStatus = Literal["open", "done", "slipped"]


class Outcome(BaseModel):
    draft_id: str
    ask_id: str
    outcome: Literal["replied", "accepted", "declined", "no_answer"]
    note: str | None = None
    at: dt.datetime
    recorded_at: dt.datetime
    actor: str


class Commitment(BaseModel):
    id: str
    ask_id: str
    owner: Owner
    what: str
    due: dt.date | None
    status: CommitmentStatus
    # Where in the ask the promise comes from: "need.deliverables[0]", "benefits[1]", …
    source: str
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    partner: str = ""


class CommitmentEvent(BaseModel):
    commitment_id: str
    at: dt.datetime
    actor: str
    action: str
    from_status: CommitmentStatus | None
    to_status: CommitmentStatus
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    note: str | None = None


class FollowDraft(BaseModel):
    key: str
    draft_id: str
    ask_id: str
    pitch_id: str | None = None
    commitment_id: str | None = None
    kind: str
    step: str
    due: dt.date | None = None
    created_at: dt.datetime
    # The draft's own state, read with it: whether a follow-up went out, and when.
    status: str | None = None
    sent_at: dt.datetime | None = None


@dataclass(frozen=True)
class NewCommitment:
    owner: Owner
    what: str
    source: str
    due: dt.date | None


@dataclass(frozen=True)
class OutcomeRecorded:
    """An outcome as kept, with what it did: the follow-ups it cancelled, those it could not
    (a send of them was at the mail server), and the commitments it opened."""

    outcome: Outcome
    previous: str | None
    cancelled: list[str]
    held: list[str]
    opened: list[Commitment]
