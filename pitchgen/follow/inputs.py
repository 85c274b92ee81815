"""Every input of the follow-through, checked in one place for all three faces: each problem is
collected with its path and reported at once (`InvalidInput`: exit 2, 422)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pitchgen.ask.text import FIRST_DAY, LAST_DAY, text_problem
from pitchgen.errors import InvalidInput, Problem
from pitchgen.follow.rules import COMMITMENT_STATUSES, OUTCOMES, OWNERS

__all__ = ["Inputs"]

NOTE_LIMIT = 1000


@dataclass
class Inputs:
    """Collects problems while reading inputs; `done()` raises them all, or returns."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def done(self) -> None:
        if self.problems:
            raise InvalidInput(self.problems)

    def choice(self, path: str, value: str | None, options: tuple[str, ...]) -> str | None:
        if value is None or value == "":
            return None
        if value not in options:
            self.add(path, f"must be one of {', '.join(options)} (got {value!r})")
            return None
        return value

    def outcome(self, value: str | None) -> str | None:
        if value is None or value == "":
            self.add("outcome", f"required: one of {', '.join(OUTCOMES)}")
            return None
        return self.choice("outcome", value, OUTCOMES)

    def owner(self, value: str | None) -> str | None:
        return self.choice("owner", value, OWNERS)

    def status(self, value: str | None) -> str | None:
        return self.choice("status", value, COMMITMENT_STATUSES)

    def text(self, path: str, value: str | None, *, required: bool = False) -> str | None:
        value = value.strip() if isinstance(value, str) else None
        if not value:
            if required:
                self.add(path, "required: must not be empty")
            return None
        if problem := text_problem(value):
            self.add(path, problem)
        elif len(value) > NOTE_LIMIT:
            self.add(path, f"too long: {len(value):,} characters; the limit is {NOTE_LIMIT:,}")
        else:
            return value
        return None

    def moment(self, path: str, value: str | dt.datetime | None) -> dt.datetime | None:
        """An ISO 8601 date and time with an offset (a bare date is midnight UTC)."""
        if value is None or value == "":
            return None
        if isinstance(value, dt.datetime):
            parsed = value
        else:
            try:
                parsed = dt.datetime.fromisoformat(value.strip())
            except ValueError:
                self.add(path, f"not a date and time: {value!r} (use ISO 8601, e.g."
                         " 2027-02-10T10:00-05:00)")  # fmt: skip
                return None
            if len(value.strip()) == 10:
                parsed = parsed.replace(tzinfo=dt.UTC)
        if parsed.tzinfo is None:
            self.add(path, f"needs a UTC offset: {value!r} (add +00:00 or Z)")
            return None
        if not FIRST_DAY <= parsed.date() <= LAST_DAY:
            self.add(path, f"must lie between {FIRST_DAY} and {LAST_DAY}")
            return None
        return parsed.astimezone(dt.UTC)

    def day(self, path: str, value: str | dt.date | None) -> dt.date | None:
        if value is None or value == "":
            return None
        if isinstance(value, dt.date):
            day = value
        else:
            try:
                day = dt.date.fromisoformat(value.strip())
            except ValueError:
                self.add(path, f"not a date: {value!r} (use YYYY-MM-DD)")
                return None
        if not FIRST_DAY <= day <= LAST_DAY:
            self.add(path, f"must lie between {FIRST_DAY} and {LAST_DAY}")
            return None
        return day
