"""The `/v1` request and response bodies: what each route takes and gives, validated (unknown
fields refused) and described for the OpenAPI schema."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, WrapValidator

from pitchgen.ask import Ask, Channel, validate_ask
from pitchgen.ask.text import AuditText
from pitchgen.ask.text import Author as AuthorName
from pitchgen.content.models import CallScript, Email, MeetingAgenda
from pitchgen.errors import InvalidInput, Problem
from pitchgen.store.rows import Event, Revision, StoredDraft

__all__ = [
    "ApproveRequest",
    "CheckRequest",
    "DraftPage",
    "DraftRequest",
    "EditRequest",
    "EventList",
    "RecommendationRequest",
    "RejectRequest",
    "ReopenRequest",
    "RevisionList",
    "SendRequest",
]


def _ask(value: Any, _handler: Any, info: ValidationInfo) -> Ask:
    # The CLI's validation, so the API names the same problems in the same words. With a
    # `partner_id` the directory gives the partner block: the ask need not have one.
    from_directory = info.data.get("partner_id")
    try:
        if from_directory:
            from pitchgen.partners.asking import for_ranking

            return for_ranking(value)
        return validate_ask(value)
    except InvalidInput as exc:
        raise InvalidInput(
            [Problem(f"ask.{p.path}" if p.path else "ask", p.message) for p in exc.problems]
        ) from None


def _content(value: Any, _handler: Any) -> Any:
    # Checked against the draft's own channel by `review.edit`, which knows which one it is.
    if not isinstance(value, dict):
        raise InvalidInput([Problem("content", "must be a mapping of the channel's fields")])
    return value


AskBody = Annotated[Ask, WrapValidator(_ask)]
Content = Annotated[Email | CallScript | MeetingAgenda, WrapValidator(_content)]
Text = Annotated[AuditText, Field(min_length=1, max_length=1000, pattern=r"\S")]
Author = Annotated[
    AuthorName | None,
    Field(
        default=None,
        max_length=100,
        description="The person acting; the audit log records it beside the API key's name.",
    ),
]
Version = Annotated[
    int | None,
    Field(
        default=None,
        ge=1,
        description="The version you read (stale: 409); or send `If-Match` with the ETag.",
    ),
]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DraftRequest(_Body):
    # Before `ask`: its validation reads it.
    partner_id: str | None = Field(
        default=None,
        max_length=64,
        description="A directory entry whose partner block replaces the ask's (may be absent).",
    )
    ask: AskBody
    channels: list[Channel] | None = Field(
        default=None, min_length=1, description="Default: the ask's own `channels`."
    )


class RecommendationRequest(_Body):
    ask: AskBody


class CheckRequest(_Body):
    ask: AskBody
    channel: Channel
    content: Content = Field(description="The channel's content fields, as in a draft.")


class EditRequest(_Body):
    content: Content
    version: Version
    note: Text | None = None
    author: Author


class ApproveRequest(_Body):
    override_reason: Text | None = Field(
        default=None, description="Required to approve while a must check fails; recorded."
    )
    version: Version
    author: Author


class RejectRequest(_Body):
    reason: Text
    version: Version
    author: Author


class ReopenRequest(_Body):
    reason: Text | None = None
    version: Version
    author: Author


class SendRequest(_Body):
    author: Author


class DraftPage(BaseModel):
    drafts: list[StoredDraft]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )


_NEXT = "Pass as `cursor` for the next page; null at the end."


class RevisionList(BaseModel):
    revisions: list[Revision]
    next_cursor: str | None = Field(default=None, description=_NEXT)


class EventList(BaseModel):
    events: list[Event]
    next_cursor: str | None = Field(default=None, description=_NEXT)
