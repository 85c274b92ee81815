"""One error tree for pitchgen, translated to exit codes and problem+json only at the edges.

PitchgenError                 exit 1, HTTP 500
├── InvalidInput              exit 2, HTTP 422   (carries every Problem at once)
├── NotFound                  exit 1, HTTP 404
├── Conflict                  exit 1, HTTP 409   (stale version, illegal transition)
├── ConfigError               exit 1, HTTP 500   (bad settings; never echoes a secret)
├── StoreError                exit 1, HTTP 503   (the draft store could not be read or written)
├── SendError                 exit 1, HTTP 502   (SMTP refused or failed)
└── LLMError                  never reaches a user: drafting turns it into a fallback_reason
    ├── LLMUnavailable        connection, timeout, 5xx after retries
    ├── LLMRejected           4xx other than 408/409/429
    ├── LLMInvalidOutput      unparseable or failing must checks after the re-ask
    ├── ReplayMiss            no recorded exchange for this request
    └── CircuitOpen           too many recent failures; not called at all
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located by its path (`timeline[1].date`)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


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


class LLMError(PitchgenError):
    """A failed model call; `reason` is the draft's `fallback_reason`."""

    reason = "llm_unavailable"
    title = "Model call failed"


class LLMUnavailable(LLMError):
    reason = "llm_unavailable"


class LLMRejected(LLMError):
    reason = "llm_rejected"


class LLMInvalidOutput(LLMError):
    reason = "llm_invalid_output"


class ReplayMiss(LLMError):
    reason = "replay_miss"


class CircuitOpen(LLMError):
    reason = "circuit_open"
