"""Checking a draft written anywhere (by a person, another tool, a model) against the rubric:
the one function behind `pitchgen check` and `POST /v1/checks`.

A checked draft goes through what a reviewer's edit goes through: its content is validated
against the channel's model, rendered to text, and run through `run_checks`; and it gets the
guard a model's draft gets, so a person's email with a script tag in it is not safe to send
either. Nothing is stored.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from pitchgen.ask import Ask, Channel
from pitchgen.ask.reading import MAX_DOCUMENT_BYTES, read_document
from pitchgen.checks.guards import unsafe_markup
from pitchgen.checks.rubric import run_checks
from pitchgen.content.models import CONTENT_MODELS, CheckResult
from pitchgen.content.render import to_text
from pitchgen.errors import InvalidInput, Problem, problems_from

__all__ = ["CheckReport", "GuardFinding", "check_draft", "read_draft"]

_BOM = "\ufeff"
_CHANNEL = TypeAdapter(Channel)
_SUBJECT = "subject:"


class GuardFinding(BaseModel):
    """What a draft carries that no draft may, beside the rubric (`unsafe_markup`)."""

    id: str
    detail: str


class CheckReport(BaseModel):
    """The rubric's verdict on one draft: every check, the text they read, what the output
    guard found, and whether the draft is safe to send."""

    channel: Channel
    checks: list[CheckResult]
    text: str = Field(description="The draft as plain text, as the checks read it.")
    guards: list[GuardFinding] = Field(
        default_factory=list,
        description="Unsafe markup (HTML tags, javascript: links, remote images), as in a"
        " model's draft; empty when there is none.",
    )
    passed: bool = Field(description="True when every must check passes and no guard fires.")


def _content_problems(exc: ValidationError) -> list[Problem]:
    return [
        Problem(f"content.{p.path}" if p.path else "content", p.message) for p in problems_from(exc)
    ]


def check_draft(ask: Ask, channel: Channel | str, content: Any) -> CheckReport:
    """Run the rubric on `content` (the channel's fields, as a mapping or a content model).

    Raises InvalidInput naming each problem by its path (`channel`, `content.subject`)."""
    try:
        channel = _CHANNEL.validate_python(channel)
    except ValidationError as exc:
        raise InvalidInput([Problem("channel", p.message) for p in problems_from(exc)]) from None
    model = CONTENT_MODELS[channel]
    if isinstance(content, BaseModel):
        content = content.model_dump(mode="json")
    if not isinstance(content, dict):
        raise InvalidInput([Problem("content", "must be a mapping of the channel's fields")])
    try:
        parsed = model.model_validate(content)
    except ValidationError as exc:
        raise InvalidInput(_content_problems(exc)) from None
    text = to_text(parsed)  # type: ignore[arg-type]
    checks = run_checks(ask, parsed, text)  # type: ignore[arg-type]
    guards = []
    if found := unsafe_markup(ask, text):
        guards.append(
            GuardFinding(id="unsafe_markup", detail=f"remove HTML, scripts and images ({found!r})")
        )
    passed = all(c.passed for c in checks if c.level == "must") and not guards
    return CheckReport(channel=channel, checks=checks, text=text, guards=guards, passed=passed)


# --- reading a draft file --------------------------------------------------------------------


def read_draft(raw: bytes) -> tuple[Any, Any]:
    """A draft file's `(channel, content)`, unvalidated: JSON `{"channel", "content"}` (other
    keys, such as a labeled file's `label`, are ignored) or a plain-text email whose first
    line is `Subject: …`. Raises InvalidInput for a file that is neither."""
    if len(raw) > MAX_DOCUMENT_BYTES:
        return read_document(raw, "json")  # names the size limit the way an ask's does
    try:
        text = raw.decode("utf-8").removeprefix(_BOM)
    except UnicodeDecodeError as exc:
        raise InvalidInput([Problem("", f"not UTF-8 text (byte {exc.start})")]) from None
    head = text.lstrip()[:1]
    if head == "{":
        return _json_draft(text)
    if text.lstrip().lower().startswith(_SUBJECT):
        return Channel.email, _text_email(text)
    raise InvalidInput(
        [
            Problem(
                "",
                'not a draft: expected JSON {"channel": …, "content": {…}} or a plain-text'
                " email whose first line is 'Subject: …'",
            )
        ]
    )


def _json_draft(text: str) -> tuple[Any, Any]:
    data = read_document(text, "json")
    if not isinstance(data, dict):
        raise InvalidInput([Problem("", "a draft must be a JSON object")])
    problems = [Problem(key, "required") for key in ("channel", "content") if key not in data]
    if problems:
        raise InvalidInput(problems)
    return data["channel"], data["content"]


def _text_email(text: str) -> dict[str, str]:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    subject = lines[0][len(_SUBJECT) :].strip()
    body = "\n".join(lines[1:]).strip("\n")
    return {"subject": subject, "body": body}
