"""The edit form of each channel, held as data, and the word diff between two revisions.

A structured list (questions and answers, agenda items, next steps) is edited as one small
group of inputs per entry, with a few blank entries to add more; an entry left blank is
dropped. A list of plain strings is a textarea with one entry per line. Nothing here judges
the content: `review.edit` validates it and the rubric checks it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from pitchgen.ask import Channel

__all__ = [
    "BLANK_ROWS",
    "FIELDS",
    "Column",
    "Field",
    "Segment",
    "content_from_form",
    "diff_segments",
    "form_values",
]

Kind = Literal["text", "area", "number", "lines", "rows"]
ColumnKind = Literal["text", "area", "number", "date"]
BLANK_ROWS = 2
_MAX_ROWS = 100


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: ColumnKind = "text"
    # Left blank, the model's default applies (a next step's "by").
    optional: bool = False


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: Kind
    hint: str = ""
    optional: bool = False
    columns: tuple[Column, ...] = ()
    item: str = ""


def _area(name: str, label: str, hint: str = "", *, optional: bool = False) -> Field:
    return Field(name, label, "area", hint, optional)


def _lines(name: str, label: str) -> Field:
    return Field(name, label, "lines", "One per line.")


FIELDS: dict[Channel, tuple[Field, ...]] = {
    Channel.email: (
        Field("subject", "Subject", "text", "3 to 9 words, at most 60 characters."),
        _area("body", "Body", "75 to 200 words, greeting to signature."),
    ),
    Channel.call_script: (
        _area("opener", "Opener"),
        _area("purpose", "Purpose"),
        _area("value_for_partner", "Value for the partner"),
        _area("the_ask", "The ask"),
        _area("plan", "Plan"),
        Field(
            "anticipated_questions",
            "Anticipated questions",
            "rows",
            "At least 3. Leave an entry blank to drop it.",
            columns=(Column("question", "Question", "area"), Column("answer", "Answer", "area")),
            item="Question",
        ),
        _area(
            "negotiation",
            "Negotiation",
            "Only when money is asked of the partner or the budget is negotiable.",
            optional=True,
        ),
        _area("close", "Close (the next step)"),
        _area("voicemail", "Voicemail", "At most 90 words, signed."),
    ),
    Channel.meeting_agenda: (
        Field("title", "Title", "text"),
        Field("duration_minutes", "Duration (minutes)", "number"),
        _lines("attendees", "Attendees"),
        _area("objective", "Objective"),
        Field(
            "items",
            "Agenda items",
            "rows",
            "Minutes must add up to the duration. Leave an item blank to drop it.",
            columns=(
                Column("minutes", "Minutes", "number"),
                Column("topic", "Topic"),
                Column("owner", "Owner"),
                Column("notes", "Notes", "area"),
            ),
            item="Item",
        ),
        _lines("decisions_needed", "Decisions needed"),
        _lines("materials", "Materials to bring"),
        Field(
            "next_steps",
            "Next steps",
            "rows",
            "Each with an owner and a date.",
            columns=(
                Column("action", "Action"),
                Column("owner", "Owner"),
                Column("date", "Date", "date"),
                # How the date is said: "by", "before", or "after_meeting" (the day after it).
                Column("due", "Due (by, before or after_meeting)", optional=True),
            ),
            item="Step",
        ),
    ),
}


def _text(value: object) -> str:
    return "" if value is None else str(value)


def form_values(channel: Channel, content: Mapping) -> dict[str, object]:
    """The content as the form shows it: strings, lines joined, rows padded with blanks."""
    values: dict[str, object] = {}
    for f in FIELDS[channel]:
        raw = content.get(f.name)
        if f.kind == "lines":
            values[f.name] = "\n".join(_text(v) for v in raw or [])
        elif f.kind == "rows":
            rows = [{c.key: _text(r.get(c.key)) for c in f.columns} for r in raw or []]
            blank = {c.key: "" for c in f.columns}
            values[f.name] = rows + [dict(blank) for _ in range(BLANK_ROWS)]
        else:
            values[f.name] = _text(raw)
    return values


def _typed(text: str) -> str:
    # Browsers send textarea line breaks as CRLF; the store keeps plain newlines.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def content_from_form(channel: Channel, form: Mapping[str, str]) -> dict[str, object]:
    """The content a submitted form describes, for `review.edit` to validate.

    Numbers and dates stay strings here, so a typo comes back from validation with its path."""
    content: dict[str, object] = {}
    for f in FIELDS[channel]:
        if f.kind == "lines":
            lines = (line.strip() for line in _typed(form.get(f.name, "")).split("\n"))
            content[f.name] = [line for line in lines if line]
        elif f.kind == "rows":
            content[f.name] = _rows(f, form)
        else:
            value = _typed(form.get(f.name, ""))
            if f.optional and not value.strip():
                content[f.name] = None
            elif f.kind == "number":
                content[f.name] = value.strip()
            else:
                content[f.name] = value
    return content


def _rows(f: Field, form: Mapping[str, str]) -> list[dict[str, str]]:
    rows = []
    for i in range(_MAX_ROWS):
        names = {c.key: f"{f.name}-{i}-{c.key}" for c in f.columns}
        if not any(n in form for n in names.values()):
            break
        row = {k: _typed(form.get(n, "")) for k, n in names.items()}
        if any(v.strip() for v in row.values()):
            blank = {c.key for c in f.columns if c.optional and not row[c.key].strip()}
            rows.append({k: v for k, v in row.items() if k not in blank})
    return rows


@dataclass(frozen=True)
class Segment:
    op: Literal["same", "del", "ins"]
    text: str


_TOKENS = re.compile(r"\s+|[^\s]+")
# Token pairs the word diff may compare, well under a second of work at worst: difflib's matcher is
# cubic on repetitive text ("a a a …" against "b b b …" took minutes at 20,000 characters).
DIFF_BUDGET = 1_000_000


class _TooCostly(Exception):
    pass


class _BoundedMatcher(difflib.SequenceMatcher):
    """Gives up (`_TooCostly`) once the pairs its searches may compare pass the budget; each
    search compares at most `pairs`: every token of `a` with each place it occurs in `b`."""

    def __init__(self, a: list[str], b: list[str], budget: int) -> None:
        super().__init__(str.isspace, a, b, autojunk=False)
        self.pairs = sum(len(self.b2j.get(token, ())) for token in a)
        self.left = budget

    def find_longest_match(self, *args: int) -> difflib.Match:  # type: ignore[override]
        self.left -= self.pairs
        if self.left < 0:
            raise _TooCostly
        return super().find_longest_match(*args)


def _common_run(a: list[str], b: list[str]) -> int:
    """How many tokens `a` and `b` share from their start."""
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """The unchanged start and end set aside (most edits touch one place), then the matcher on
    the rest; past the budget, that rest is shown as one replaced passage."""
    start = _common_run(a, b)
    end = _common_run(a[start:][::-1], b[start:][::-1])
    a_end, b_end = len(a) - end, len(b) - end
    try:
        matcher = _BoundedMatcher(a[start:a_end], b[start:b_end], DIFF_BUDGET)
        middle = [
            (op, i1 + start, i2 + start, j1 + start, j2 + start)
            for op, i1, i2, j1, j2 in matcher.get_opcodes()
        ]
    except _TooCostly:
        middle = [("replace", start, a_end, start, b_end)]
    ops = [("equal", 0, start, 0, start), *middle, ("equal", a_end, len(a), b_end, len(b))]
    return [op for op in ops if op[1] < op[2] or op[3] < op[4]]


def diff_segments(old: str, new: str) -> list[Segment]:
    """The change from `old` to `new` word by word, whitespace kept, as runs to show inline;
    past the work budget, as the passage between the unchanged start and end.

    A lone space between two changes joins them, so a replaced phrase reads as one removal and
    one addition rather than alternating word by word."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    opcodes = _opcodes(a, b)
    runs: list[list] = []
    for k, (op, i1, i2, j1, j2) in enumerate(opcodes):
        was, now = "".join(a[i1:i2]), "".join(b[j1:j2])
        between = 0 < k < len(opcodes) - 1 and not was.strip()
        changed = op != "equal" or between
        if changed and runs and runs[-1][0]:
            runs[-1][1] += was
            runs[-1][2] += now
        else:
            runs.append([changed, was, now])
    segments = []
    for changed, was, now in runs:
        if not changed:
            segments.append(Segment("same", was))
            continue
        if was:
            segments.append(Segment("del", was))
        if now:
            segments.append(Segment("ins", now))
    return segments
