"""A chat-completion body read as a `Completion`, whatever it turned out to be.

A 200 whose body is not a chat completion (not JSON, as a gateway's HTML page; no object; no
non-empty `choices` list; no `message` object; content neither text nor null) is still read:
the `Completion` carries its `problem`, and the text that came instead, for the reviewer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = ["RAW_LIMIT", "Completion", "read_completion"]

# How much of a body that is not a chat completion the reviewer sees as the rejected text.
RAW_LIMIT = 4000


@dataclass(frozen=True)
class Completion:
    """One answer from the endpoint. `problem` says why a 200 body was not a chat completion
    (`text` then holds what came instead, for the reviewer); drafting judges it invalid output."""

    text: str
    finish_reason: str | None
    model: str | None
    prompt_tokens: int
    completion_tokens: int
    problem: str | None = None
    # Transport retries the client made before this answer (set by `LLMClient.complete`).
    retries: int = 0


def _field(mapping: Any, key: str, kind: type) -> Any:
    """`mapping[key]` when `mapping` is a dict and the value a `kind`, else None: a reply's
    optional parts are read only when they have the shape the protocol gives them."""
    value = mapping.get(key) if isinstance(mapping, dict) else None
    return value if isinstance(value, kind) and not isinstance(value, bool) else None


def _shape_problem(body: Any) -> str | None:
    if isinstance(body, str):
        return "the reply is not JSON"
    if not isinstance(body, dict):
        return f"the reply is a JSON {type(body).__name__}, not a chat completion object"
    choices = body.get("choices")
    if not isinstance(choices, list) or not choices:
        return "the reply has no choices"
    message = _field(choices[0], "message", dict)
    if message is None:
        return "the reply's first choice has no message object"
    content = message.get("content")
    # null is the protocol's own "no text" (a refusal, say): the model's answer, judged as such.
    if content is not None and not isinstance(content, str):
        return f"the message content is a JSON {type(content).__name__}, not text"
    return None


def read_completion(body: Any) -> Completion:
    """`body` (decoded JSON, or the text as received when it was not JSON) as a `Completion`."""
    problem = _shape_problem(body)
    if problem is None:
        choice = body["choices"][0]
        text = choice["message"].get("content") or ""
    else:
        choice = None
        text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
        text = text[:RAW_LIMIT]
    usage = _field(body, "usage", dict)
    return Completion(
        text=text,
        finish_reason=_field(choice, "finish_reason", str),
        model=_field(body, "model", str),
        prompt_tokens=_field(usage, "prompt_tokens", int) or 0,
        completion_tokens=_field(usage, "completion_tokens", int) or 0,
        problem=problem,
    )
