"""The numbers a coalition director looks at: of the asks pitched, how many answered and how
many said yes, by the channel that led and by the need's type; the median days to an answer;
and of the promises that fell due, how many were kept on time.

An ask counts once, under the channel of its first pitch that went out. An answer is any
outcome but `no_answer`; days to it run from that first send to the first answer. A promise is
kept on time when it was marked done by the date it had when it was opened (a slip is late,
however well explained); one still open past its date is late too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from statistics import median

from pitchgen.ask import Ask
from pitchgen.store.followrows import Commitment, CommitmentEvent, Outcome
from pitchgen.store.rows import StoredDraft

__all__ = ["Group", "Stats", "stats"]

ANSWERS = frozenset({"replied", "accepted", "declined"})


@dataclass
class Group:
    name: str
    pitched: int = 0
    answered: int = 0
    accepted: int = 0
    days: list[float] = field(default_factory=list)

    @property
    def reply_rate(self) -> float | None:
        return self.answered / self.pitched if self.pitched else None

    @property
    def acceptance_rate(self) -> float | None:
        return self.accepted / self.pitched if self.pitched else None

    @property
    def median_days_to_reply(self) -> float | None:
        return round(median(self.days), 1) if self.days else None

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "pitched": self.pitched,
            "answered": self.answered,
            "accepted": self.accepted,
            "reply_rate": _rounded(self.reply_rate),
            "acceptance_rate": _rounded(self.acceptance_rate),
            "median_days_to_reply": self.median_days_to_reply,
        }


@dataclass
class Stats:
    overall: Group
    by_channel: list[Group]
    by_need: list[Group]
    kept_on_time: int
    late: int
    due_so_far: int

    @property
    def on_time_rate(self) -> float | None:
        return self.kept_on_time / self.due_so_far if self.due_so_far else None

    def as_dict(self) -> dict:
        return {
            "overall": self.overall.as_dict(),
            "by_channel": [g.as_dict() for g in self.by_channel],
            "by_need_type": [g.as_dict() for g in self.by_need],
            "commitments": {
                "due_so_far": self.due_so_far,
                "kept_on_time": self.kept_on_time,
                "late": self.late,
                "on_time_rate": _rounded(self.on_time_rate),
            },
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def stats(
    pitches: list[StoredDraft],
    asks: dict[str, Ask],
    outcomes: list[Outcome],
    commitments: list[Commitment],
    history: dict[str, list[CommitmentEvent]],
    today: dt.date,
) -> Stats:
    first: dict[str, StoredDraft] = {}
    for p in pitches:
        if p.sent_at is not None and (p.ask_id not in first or p.sent_at < first[p.ask_id].sent_at):
            first[p.ask_id] = p
    answers: dict[str, list[Outcome]] = {}
    for o in outcomes:
        answers.setdefault(o.ask_id, []).append(o)
    overall = Group("all")
    channels: dict[str, Group] = {}
    needs: dict[str, Group] = {}
    for ask_id, pitch in first.items():
        said = answers.get(ask_id, [])
        answered = [o for o in said if o.outcome in ANSWERS]
        need = asks[ask_id].need.type.value
        for group in (
            overall,
            channels.setdefault(pitch.channel.value, Group(pitch.channel.value)),
            needs.setdefault(need, Group(need)),
        ):
            group.pitched += 1
            group.answered += bool(answered)
            group.accepted += any(o.outcome == "accepted" for o in said)
            if answered:
                days = (min(o.at for o in answered) - pitch.sent_at).total_seconds() / 86400
                group.days.append(max(days, 0.0))
    on_time = late = 0
    for c in commitments:
        events = history.get(c.id, [])
        opened = next((e.due_to for e in events if e.action == "opened"), c.due)
        done = next((e.at.date() for e in events if e.action == "done"), None)
        if opened is None:
            continue
        if done is not None:
            if (
                done <= opened
                and c.status == "done"
                and not any(e.action == "slip" for e in events)
            ):
                on_time += 1
            else:
                late += 1
        elif opened < today:
            late += 1
    return Stats(
        overall,
        sorted(channels.values(), key=lambda g: g.name),
        sorted(needs.values(), key=lambda g: g.name),
        on_time,
        late,
        on_time + late,
    )
