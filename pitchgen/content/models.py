"""What drafting produces: the channel content models (field names per rubric.md) and the
draft envelope every surface shows (the JSON shape in interfaces.md).

A draft's `content` is its channel's model from drafting to the store and back: validated
once where it enters (a model's reply in drafting, a person's edit in the workflow, a row or
document read back here), never re-validated in between."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    model_validator,
)

from pitchgen.ask import Channel
from pitchgen.ask.text import BoundedDate, is_stored, text_problem
from pitchgen.content.ledger import ModelCall
from pitchgen.content.status import Status

# A meeting, or one agenda item, is at most a day long.
MAX_MINUTES = 24 * 60


def _minutes(value: int, info: ValidationInfo) -> int:
    if not is_stored(info) and not 0 <= value <= MAX_MINUTES:
        raise ValueError(f"must be between 0 and {MAX_MINUTES} minutes (got {value})")
    return value


def _no_controls(value: str, info: ValidationInfo) -> str:
    # A row read back (the STORED context) is shown as it was: export refuses what it cannot
    # write, and a draft an older pitchgen stored stays readable.
    if not is_stored(info) and (problem := text_problem(value)):
        raise ValueError(problem)
    return value


__all__ = [
    "CONTENT_MODELS",
    "FALLBACK_REASONS",
    "KINDS",
    "QA",
    "AgendaItem",
    "AskWarning",
    "CallScript",
    "CheckResult",
    "Content",
    "Draft",
    "DraftSet",
    "Email",
    "Kind",
    "MeetingAgenda",
    "ModelCall",
    "NextStep",
    "Recommendation",
    "RejectedOutput",
    "Status",
]

FallbackReason = Literal[
    "llm_off",
    "llm_not_configured",
    "llm_unavailable",
    "llm_rejected",
    "llm_invalid_output",
    "replay_miss",
    "circuit_open",
]
FALLBACK_REASONS: tuple[str, ...] = get_args(FallbackReason)
# What a draft is for: the pitch itself, or a step of the follow-through (pitchgen.follow).
Kind = Literal["pitch", "follow_up", "kickoff", "reminder"]
KINDS: tuple[str, ...] = get_args(Kind)

# Content is produced by a model or edited by a person: accept any text the model gives, and
# let the rubric checks (not the parser) judge lengths and counts, so a reviewer sees why.
# Text is still refused when it holds a control character (safetext), and numbers and dates
# are bounded to what the exports can write.
_Content = ConfigDict(extra="forbid")
LINE_CHARS = 20_000
Line = Annotated[str, Field(max_length=LINE_CHARS), AfterValidator(_no_controls)]
# An email's body may carry, below its letter, every list item of the ask whole (the full
# list): up to 20 items of 1,000 characters each, with their days.
BODY_CHARS = 40_000
Body = Annotated[str, Field(max_length=BODY_CHARS), AfterValidator(_no_controls)]
# A validator, not Field(ge=, le=): the bound stays out of the JSON schema the model is shown,
# so recorded model exchanges still match.
Minutes = Annotated[int, AfterValidator(_minutes)]


class Email(BaseModel):
    model_config = _Content
    channel: ClassVar[Channel] = Channel.email
    subject: Line
    body: Body


class QA(BaseModel):
    model_config = _Content
    question: Line
    answer: Line


class CallScript(BaseModel):
    model_config = _Content
    channel: ClassVar[Channel] = Channel.call_script
    opener: Line
    purpose: Line
    value_for_partner: Line
    the_ask: Line
    plan: Line
    anticipated_questions: list[QA]
    negotiation: Line | None = None
    close: Line
    voicemail: Line


class AgendaItem(BaseModel):
    model_config = _Content
    minutes: Minutes
    topic: Line
    owner: Line
    notes: Line = ""


class NextStep(BaseModel):
    model_config = _Content
    action: Line
    owner: Line
    date: BoundedDate


class MeetingAgenda(BaseModel):
    model_config = _Content
    channel: ClassVar[Channel] = Channel.meeting_agenda
    title: Line
    duration_minutes: Minutes
    attendees: list[Line]
    objective: Line
    items: list[AgendaItem]
    decisions_needed: list[Line]
    materials: list[Line]
    next_steps: list[NextStep]


Content = Email | CallScript | MeetingAgenda
CONTENT_MODELS: dict[Channel, type[BaseModel]] = {
    Channel.email: Email,
    Channel.call_script: CallScript,
    Channel.meeting_agenda: MeetingAgenda,
}


_CHANNELS = frozenset(Channel)


class CheckResult(BaseModel):
    id: str
    level: Literal["must", "advice"]
    passed: bool
    detail: str


class RejectedOutput(BaseModel):
    """An LLM draft that failed after the re-ask, kept beside its template replacement."""

    model_config = ConfigDict(defer_build=True)  # validated inside a Draft

    text: str
    checks: list[CheckResult] = []
    error: str | None = None


class Draft(BaseModel):
    id: str
    channel: Channel
    source: Literal["llm", "template"]
    fallback_reason: FallbackReason | None = None
    model: str | None = None
    # The version of the wording that wrote it: the prompt's for a model draft, the fallback
    # templates' for a template draft (the contract names the field for the first).
    prompt_version: str
    content: Content
    text: str
    checks: list[CheckResult]
    kind: Kind = "pitch"
    status: Status = "draft"
    version: int = 1
    rejected_llm_output: RejectedOutput | None = None
    # Every model attempt behind this draft (none for a template drafted without asking one).
    model_calls: list[ModelCall] = []

    @model_validator(mode="before")
    @classmethod
    def _content_of_its_channel(cls, data: Any, info: ValidationInfo) -> Any:
        # Content arriving as a mapping (a row read back, a JSON document) is validated here,
        # once, as its own channel's model: a call script can never pass for an email, and
        # an error names the channel's fields. A content model passes through untouched.
        if isinstance(data, dict):
            content, channel = data.get("content"), data.get("channel")
            if isinstance(content, dict) and channel in _CHANNELS:
                model = CONTENT_MODELS[Channel(channel)]
                data = {**data, "content": model.model_validate(content, context=info.context)}
        return data

    @property
    def must_failures(self) -> list[CheckResult]:
        return [c for c in self.checks if c.level == "must" and not c.passed]


class AskWarning(BaseModel):
    """Something to make concrete in an otherwise valid ask (`ask.vagueness_warnings`)."""

    model_config = ConfigDict(defer_build=True)  # validated inside a DraftSet

    path: str
    message: str


class Recommendation(BaseModel):
    channel: Channel
    reason: str


class DraftSet(BaseModel):
    ask_id: str
    recommended_channel: Recommendation
    warnings: list[AskWarning]
    drafts: list[Draft]
