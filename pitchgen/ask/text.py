"""What a stored text may hold: no control characters, no bidi overrides, and dates the exports
can write. The one place each kind of input is checked; the models and the workflow use it.

A NUL is refused by PostgreSQL (which made a typo look like an outage), a terminal escape or a
bidi override can hide or reorder words in front of a reviewer, and a date near year 9999
overflows when a meeting's duration is added to it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, ValidationInfo

from pitchgen import patterns

__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "STORED",
    "AuditText",
    "Author",
    "BoundedDate",
    "BoundedDateTime",
    "author_problem",
    "is_stored",
    "text_problem",
    "without_controls",
]

# C0 and C1 controls other than tab, line feed and carriage return; the bidi embeddings,
# overrides and isolates (U+202A–U+202E, U+2066–U+2069).
_CONTROL = patterns.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Generous for any plan, and far enough from year 9999 that adding a day or a meeting's
# length never overflows.
FIRST_DAY = dt.date(1900, 1, 1)
# Validation context for what the store reads back: an ask kept before a rule was added is
# shown as it was, and export refuses what it cannot write (the rules below that are newer
# than the store skip it).
STORED = {"stored": True}
LAST_DAY = dt.date(2199, 12, 31)


def without_controls(value: str) -> str:
    """`value` with every control character removed: for a header built from stored text."""
    return _CONTROL.sub("", value)


def text_problem(value: str) -> str | None:
    if found := _CONTROL.search(value):
        return (
            f"contains a control character (U+{ord(found.group()):04X}) at position"
            f" {found.start() + 1}; remove it"
        )
    return None


def author_problem(value: str) -> str | None:
    """The audit log writes `author (key's name)`: an author with parentheses could pose as
    another key's name, so the part in parentheses is only ever the system's."""
    if problem := text_problem(value):
        return problem
    if "(" in value or ")" in value:
        return "cannot contain ( or ): the audit log adds the key's name in parentheses"
    return None


def _checked(problem_of):
    def check(value: str) -> str:
        if problem := problem_of(value):
            raise ValueError(problem)
        return value

    return check


def is_stored(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get("stored"))


def _date_in_range(value: dt.date, info: ValidationInfo) -> dt.date:
    if is_stored(info):
        return value
    day = value.date() if isinstance(value, dt.datetime) else value
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"must be between {FIRST_DAY} and {LAST_DAY} (got {day})")
    return value


AuditText = Annotated[str, AfterValidator(_checked(text_problem))]
Author = Annotated[str, AfterValidator(_checked(author_problem))]
BoundedDate = Annotated[dt.date, AfterValidator(_date_in_range)]
BoundedDateTime = Annotated[dt.datetime, AfterValidator(_date_in_range)]
