"""Reading the store a page at a time: keyset cursors, the filters a listing takes, and what a
page of drafts hands back."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from pitchgen.ask import Channel
from pitchgen.ask.text import text_problem
from pitchgen.content.status import STATUSES
from pitchgen.errors import InvalidInput, NotFound, Problem
from pitchgen.store.rows import StoredDraft

__all__ = [
    "MAX_PAGE",
    "MAX_REVISION_PAGE",
    "REVISION_PAGE",
    "Listing",
    "decode_cursor",
    "encode_cursor",
    "filter_problems",
    "known_form",
]

MAX_PAGE = 200
# A revision may be a whole edited draft (up to the 64 KiB body limit), so fewer to a page.
REVISION_PAGE = 10
MAX_REVISION_PAGE = 20


@dataclass(frozen=True)
class Listing:
    """One page of drafts, newest first, with each draft's partner organization (by ask id),
    and the cursor of the next page (None on the last)."""

    drafts: list[StoredDraft]
    partners: dict[str, str]
    next_cursor: str | None


def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([seq]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        (seq,) = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        # A forged cursor may hold any integer; the database takes 64 bits.
        if isinstance(seq, int) and not isinstance(seq, bool) and 0 <= seq < 2**63:
            return seq
    except (ValueError, TypeError):
        pass
    raise InvalidInput([Problem("cursor", "not a cursor from a previous page of this listing")])


def filter_problems(
    status: str | None,
    channel: str | None,
    limit: int,
    partner: str | None = None,
    batch: str | None = None,
) -> list[Problem]:
    problems = []
    if partner and (problem := text_problem(partner)):
        problems.append(Problem("partner", problem))
    if batch and (problem := text_problem(batch)):
        problems.append(Problem("batch", problem))
    if status and status not in STATUSES:
        problems.append(Problem("status", f"must be one of {', '.join(STATUSES)}"))
    if channel and channel not in set(Channel):
        problems.append(Problem("channel", f"must be one of {', '.join(Channel)}"))
    if not 1 <= limit <= MAX_PAGE:
        problems.append(Problem("limit", f"must be between 1 and {MAX_PAGE} (got {limit})"))
    return problems


def known_form(key: str, kind: str) -> None:
    # No id holds a control character, and PostgreSQL refuses a NUL in a query outright.
    if text_problem(key):
        raise NotFound(f"no {kind} with id {key!r}")
