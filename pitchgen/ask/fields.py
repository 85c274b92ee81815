"""The ask's free text, field by field: what the checks read a draft against, and what the
suspicious-text warnings look through."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel

from pitchgen.ask.memo import per_ask
from pitchgen.ask.model import Ask

__all__ = ["ask_texts"]


@per_ask  # one walk per ask object serves every draft and edit checked against it
def ask_texts(ask: Ask) -> tuple[str, ...]:
    """Every free-text field of the ask (names, descriptions, contacts), in document order."""
    out: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name))
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and not isinstance(value, Enum):
            out.append(value)

    walk(ask)
    return tuple(out)
