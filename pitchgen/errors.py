"""One error tree for pitchgen, translated to exit codes and problem+json only at the edges.

PitchgenError                 exit 1, HTTP 500
├── InvalidInput              exit 2, HTTP 422   (carries every Problem at once)
├── NotFound                  exit 1, HTTP 404
├── Conflict                  exit 1, HTTP 409   (stale version, illegal transition)
├── ConfigError               exit 1, HTTP 500   (bad settings; never echoes a secret)
├── StoreError                exit 1, HTTP 503   (the draft store could not be read or written)
├── SendError                 exit 1, HTTP 502   (SMTP refused or failed)
│   └── SendUnconfirmed       the message went over, its reply never came: maybe delivered
├── SendersBusy               HTTP 503           (every sending worker taken; try again)
└── LLMError                  never reaches a user: drafting turns it into a fallback_reason
    ├── LLMUnavailable        connection, timeout, 5xx after retries
    ├── LLMRejected           4xx other than 408/409/429
    ├── ReplayMiss            no recorded exchange for this request
    └── CircuitOpen           too many recent failures; not called at all

A reply that is still unusable after the re-ask is not an error: drafting judges every reply
and falls back with `llm_invalid_output` itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located by its path (`timeline[1].date`)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


_BOUNDS = {
    "greater_than_equal": ("at least", "ge"),
    "less_than_equal": ("at most", "le"),
    "greater_than": ("more than", "gt"),
    "less_than": ("less than", "lt"),
}


def format_path(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("function-after", "function-before") or "[" in str(part):
            continue
        else:
            out += f".{part}" if out else str(part)
    return out


def _message(error: dict) -> str:
    kind, ctx, value = error["type"], error.get("ctx", {}), error.get("input")
    shown = repr(value) if isinstance(value, str | int | float) else None
    if kind == "missing":
        return "required"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"too long: {len(value):,} characters; the limit is {ctx['max_length']:,}"
    if kind == "too_long":
        return f"too many items: {len(value)}; the limit is {ctx['max_length']}"
    if kind == "too_short":
        return f"needs at least {ctx['min_length']} item" + ("s" if ctx["min_length"] > 1 else "")
    if kind.startswith("date_") or kind == "date_type":
        return f"not a date: {shown} (use YYYY-MM-DD)"
    if kind.startswith("datetime_"):
        return f"not a date and time: {shown} (use ISO 8601 with an offset, 2027-02-10T10:00-05:00)"
    if kind in ("enum", "literal_error"):
        return f"must be one of {ctx['expected']} (got {shown})"
    if kind in _BOUNDS:
        bound, key = _BOUNDS[kind]
        return f"must be {bound} {ctx[key]} (got {shown})"
    if kind in ("decimal_parsing", "decimal_type", "int_parsing", "int_type", "int_from_float"):
        return (
            f"not a number: {shown}" if kind != "int_from_float" else f"not a whole number: {shown}"
        )
    if kind in ("decimal_max_places",):
        return f"at most {ctx['decimal_places']} decimal places (got {shown})"
    if kind in ("decimal_max_digits", "decimal_whole_digits"):
        return f"too large: {shown}"
    if kind == "bool_parsing" or kind == "bool_type":
        return f"must be true or false (got {shown})"
    if kind in ("string_type", "list_type", "model_type", "dict_type", "model_attributes_type"):
        expected = {"string_type": "text", "list_type": "a list"}.get(kind, "a mapping of fields")
        return f"must be {expected}, not {type(value).__name__}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return error["msg"][0].lower() + error["msg"][1:]


def problems_from(exc: ValidationError) -> list[Problem]:
    """Every error pydantic found, as a Problem a person can act on, located by its path."""
    return [Problem(format_path(e["loc"]), _message(e)) for e in exc.errors(include_url=False)]


class PitchgenError(Exception):
    exit_code = 1
    status = 500
    title = "Internal error"
    # A 5xx message may name a database or a file: clients see it only where it is meant for them.
    expose = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(PitchgenError):
    exit_code = 2
    status = 422
    title = "Invalid input"

    def __init__(self, problems: list[Problem], message: str | None = None) -> None:
        self.problems = list(problems)
        noun = "problem" if len(self.problems) == 1 else "problems"
        super().__init__(message or f"{len(self.problems)} {noun} in the input")


class NotFound(PitchgenError):
    status = 404
    title = "Not found"


class Conflict(PitchgenError):
    status = 409
    title = "Conflict"


class ConfigError(PitchgenError):
    title = "Configuration error"


class SendingNotConfigured(ConfigError):
    status = 503
    title = "Sending is not configured"
    expose = True


class StoreError(PitchgenError):
    status = 503
    title = "Draft store unavailable"


class SendError(PitchgenError):
    status = 502
    title = "Sending failed"
    expose = True  # the mail server's answer, password scrubbed: what the reviewer must fix


class SendUnconfirmed(SendError):
    """The server received the whole message and then went silent or hung up before saying
    whether it took it: it may have been delivered, so it must not be sent again blindly."""


class SendersBusy(PitchgenError):
    """Every sending worker is taken and as many sends wait: a hung mail server must not
    queue up the whole service behind it."""

    status = 503
    title = "Too many sends in progress"
    expose = True


class LLMError(PitchgenError):
    """A failed model call; `reason` is the draft's `fallback_reason`."""

    reason = "llm_unavailable"
    title = "Model call failed"
    # Transport retries the client made before giving up (for the ledger).
    retries = 0


class LLMUnavailable(LLMError):
    reason = "llm_unavailable"


class LLMRejected(LLMError):
    reason = "llm_rejected"


class ReplayMiss(LLMError):
    reason = "replay_miss"


class CircuitOpen(LLMError):
    reason = "circuit_open"
