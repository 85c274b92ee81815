"""The ask's free text, field by field: what the checks read a draft against, and what the
suspicious-text warnings look through."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel

from pitchgen.ask.model import Ask

__all__ = ["ask_texts"]


# Asks are frozen: one walk per ask object serves every draft and edit checked against it.
# The memo holds the ask itself, so its id cannot be reused while the entry lives.
_texts_memo: dict[int, tuple[Ask, tuple[str, ...]]] = {}


def ask_texts(ask: Ask) -> tuple[str, ...]:
    """Every free-text field of the ask (names, descriptions, contacts), in document order."""
    hit = _texts_memo.get(id(ask))
    if hit and hit[0] is ask:
        return hit[1]
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
    if len(_texts_memo) >= 64:
        _texts_memo.clear()
    _texts_memo[id(ask)] = (ask, tuple(out))
    return tuple(out)
