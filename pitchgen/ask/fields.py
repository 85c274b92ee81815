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
            for name in _field_names(type(value)):
                walk(getattr(value, name))
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and not isinstance(value, Enum):
            out.append(value)

    walk(ask)
    return tuple(out)


_FIELD_NAMES: dict[type[BaseModel], tuple[str, ...]] = {}


def _field_names(model: type[BaseModel]) -> tuple[str, ...]:
    """`model.model_fields`, in order, read once per class: pydantic serves that attribute
    through a descriptor on every read, a dozen times per ask here."""
    names = _FIELD_NAMES.get(model)
    if names is None:
        names = _FIELD_NAMES[model] = tuple(model.model_fields)
    return names
