"""LLM prompts: one system prompt and one user prompt per channel, rendered from `prompts/`.

The ask never enters an instruction: it travels as one JSON data block between `<ask_data>`
tags, with `<`, `>` and `&` escaped so no field can close the block early. Instructions refer
to the block's keys, never to its values. A re-ask is fixed wording too: the failures it
feeds back quote the ask and the model's own text, so they travel the same way, as a JSON
list between `<findings>` tags. `written_forms` adds the ask's own facts in the form
the rubric checks read (dates, money, signature), so a small model copies rather than invents.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from pitchgen.ask import Ask, Budget, Channel
from pitchgen.content.formats import money, written_date
from pitchgen.content.models import CONTENT_MODELS
from pitchgen.content.templates import template_hash, text_env

__all__ = [
    "Prompt",
    "ask_data",
    "build_prompt",
    "content_schema",
    "prompt_version",
    "reask_message",
    "system_prompt",
]

SYSTEM_TEMPLATE = "system.j2"
REASK_TEMPLATE = "llm/reask.j2"
_DATA_BLOCK = "llm/_ask.j2"
_JSON_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})
# Schema keywords that say nothing to a model (and, for maxLength, make a grammar-constrained
# server build a huge grammar): dropped from the schema sent.
_SCHEMA_NOISE = frozenset({"title", "maxLength", "default"})


@dataclass(frozen=True)
class Prompt:
    channel: Channel
    messages: tuple[dict[str, str], ...]
    schema: dict[str, Any]
    version: str


def _channel_template(channel: Channel) -> str:
    return f"llm/{channel.value}.j2"


@cache
def prompt_version(channel: Channel) -> str:
    """A hash of every template that shapes this channel's prompts, re-ask included, and of
    the output schema the prompt asks for."""
    templates = template_hash(
        SYSTEM_TEMPLATE, _channel_template(channel), _DATA_BLOCK, REASK_TEMPLATE
    )
    return hashlib.sha256(f"{templates}\n{_schema(channel)}".encode()).hexdigest()[:12]


@cache
def system_prompt() -> str:
    return text_env().get_template(SYSTEM_TEMPLATE).render()


def _money(budget: Budget | None) -> dict[str, str] | None:
    if budget is None:
        return None
    contribution = budget.partner_contribution
    return {
        "budget": money(budget.amount, budget.currency),
        "partner_contribution": (
            money(contribution, budget.currency) if contribution > 0 else "costs you nothing"
        ),
    }


def _signature(ask: Ask) -> list[str]:
    s = ask.sender
    return [line for line in (s.name, s.role, s.organization, s.email, s.phone) if line]


def _written_forms(ask: Ask) -> dict[str, Any]:
    dates = [m.date for m in ask.timeline] + ([ask.respond_by] if ask.respond_by else [])
    budget = ask.budget
    contact = ask.partner.contact_name
    return {
        "greeting": f"Dear {contact}," if contact else f"Dear {ask.partner.organization} team,",
        "dates": {d.isoformat(): written_date(d) for d in sorted(set(dates))},
        "reply_by": written_date(ask.reply_date),
        "money": _money(budget),
        "negotiation_needed": bool(
            budget and (budget.partner_contribution > 0 or budget.negotiable)
        ),
        "meeting_minutes": ask.meeting.duration_minutes if ask.meeting else 30,
        "signature": _signature(ask),
    }


def _data_json(value: Any) -> str:
    """`value` as a data block's text: JSON, with no `<` or `>` left to close a tag."""
    return json.dumps(value, ensure_ascii=False).translate(_JSON_ESCAPES)


def ask_data(ask: Ask) -> str:
    """The ask and its written forms as the JSON data block's text."""
    data = {
        "ask": ask.model_dump(mode="json", exclude_none=True),
        "written_forms": _written_forms(ask),
    }
    return _data_json(data)


def _clean(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            return _clean(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
        return {
            k: {name: _clean(sub, defs) for name, sub in v.items()}
            if k == "properties"
            else _clean(v, defs)
            for k, v in node.items()
            if k not in _SCHEMA_NOISE
        }
    if isinstance(node, list):
        return [_clean(v, defs) for v in node]
    return node


@cache
def _schema(channel: Channel) -> str:
    raw = CONTENT_MODELS[channel].model_json_schema()
    defs = raw.pop("$defs", {})
    return json.dumps(_clean(raw, defs))


def content_schema(channel: Channel) -> dict[str, Any]:
    """The channel content model as a self-contained JSON schema (no $refs), a fresh copy."""
    return json.loads(_schema(channel))


def build_prompt(ask: Ask, channel: Channel) -> Prompt:
    user = text_env().get_template(_channel_template(channel)).render(ask_json=ask_data(ask))
    return Prompt(
        channel=channel,
        messages=(
            {"role": "system", "content": system_prompt()},
            {"role": "user", "content": user},
        ),
        schema=content_schema(channel),
        version=prompt_version(channel),
    )


def reask_message(failures: list[str]) -> str:
    """The re-ask: fixed instructions, then `failures` as a JSON list between `<findings>`."""
    return text_env().get_template(REASK_TEMPLATE).render(findings_json=_data_json(failures))
