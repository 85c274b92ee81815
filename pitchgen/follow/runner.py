"""What `pitchgen follow run` drafts at one moment, `now`: every follow-up, close, kick-off and
reminder that is due and not yet written. Each is written under its key (see `FollowStore`),
so a second run, at once or later, in this process or another, writes nothing new.

- Follow-ups: while the ask has no outcome and its reply date is still ahead, the first falls
  due `Schedule.first` business days after the latest pitch went out; the second
  `Schedule.second` business days after the first follow-up was sent (a first follow-up that
  was never sent is no reason for a second). Never a third.
- A declined ask gets one gracious close; an accepted one, one kick-off.
- Reminders: from `Schedule.reminder` business days before a commitment falls due until the
  day itself, once per commitment and due date: a slip moves them with it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pitchgen.ask import Ask
from pitchgen.ask.timeline import answer_by
from pitchgen.errors import PitchgenError
from pitchgen.follow import writing
from pitchgen.follow.rules import Schedule, add_business_days
from pitchgen.store.follow import FollowStore
from pitchgen.store.followrows import FollowDraft
from pitchgen.store.repository import Store
from pitchgen.store.rows import StoredDraft

if TYPE_CHECKING:
    from pitchgen.settings import Settings

__all__ = ["ACTOR", "Made", "RunReport", "Runner"]

ACTOR = "pitchgen follow"


@dataclass(frozen=True)
class Made:
    kind: str
    step: str
    draft_id: str
    ask_id: str


@dataclass
class RunReport:
    now: dt.datetime
    drafted: list[Made] = field(default_factory=list)
    # Asks whose reply date passed with no answer: a person should record no_answer.
    overdue_answers: list[str] = field(default_factory=list)
    # Reminders to us delivered to the sender by SMTP, and those that could not be (why).
    delivered: list[str] = field(default_factory=list)
    undelivered: dict[str, str] = field(default_factory=dict)


class Runner:
    def __init__(
        self, store: Store, schedule: Schedule, now: dt.datetime, settings: Settings | None = None
    ) -> None:
        self.store = store
        self.settings = settings
        self.follow = FollowStore(store)
        self.schedule = schedule
        self.now = now
        self.today = now.date()
        self.report = RunReport(now)

    def run(self) -> RunReport:
        standing = self.follow.standing()
        made = self.follow.follow_drafts()
        by_key = {m.key: m for m in made}
        self._follow_ups(standing, by_key)
        for ask_id, outcome in standing.items():
            if outcome.outcome == "declined" and f"{ask_id}:close" not in by_key:
                self._close(ask_id, outcome.draft_id)
            elif outcome.outcome == "accepted" and f"{ask_id}:kickoff" not in by_key:
                self.kickoff(self.store.get_draft(outcome.draft_id))
        self._reminders(by_key)
        return self.report

    def _write(self, written: writing.Written, key: str, ask_id: str, **kw) -> None:
        done = self.follow.write_draft(
            key, written.draft, ask_id=ask_id, step=written.step, actor=ACTOR, now=self.now, **kw
        )
        if done:
            self.report.drafted.append(
                Made(written.draft.kind, written.step, written.draft.id, ask_id)
            )

    # --- follow-ups --------------------------------------------------------------------------

    def _follow_ups(self, standing: dict, by_key: dict[str, FollowDraft]) -> None:
        latest: dict[str, StoredDraft] = {}
        for pitch in self.follow.sent_pitches():
            if pitch.ask_id not in standing and pitch.sent_at is not None:
                known = latest.get(pitch.ask_id)
                if known is None or pitch.sent_at >= known.sent_at:
                    latest[pitch.ask_id] = pitch
        asks = self.follow.asks(set(latest))
        for ask_id, pitch in latest.items():
            ask = asks[ask_id]
            if self.today >= answer_by(ask)[1]:
                self.report.overdue_answers.append(ask_id)
                continue
            first = by_key.get(f"{ask_id}:follow_up:1")
            if first is None:
                self._first(ask, pitch)
            elif f"{ask_id}:follow_up:2" not in by_key:  # and never a third
                self._second(ask, pitch, first)

    def _first(self, ask: Ask, pitch: StoredDraft) -> None:
        sent = pitch.sent_at.date()
        if self.today < self.schedule.follow_up_due(sent, 1):
            return
        written = writing.follow_up(ask, pitch, 1, sent, self.today)
        self._write(written, f"{pitch.ask_id}:follow_up:1", pitch.ask_id, pitch_id=pitch.id,
                    unless_outcome=True)  # fmt: skip

    def _second(self, ask: Ask, pitch: StoredDraft, first: FollowDraft) -> None:
        if first.status != "sent" or first.sent_at is None:
            return
        if self.today < add_business_days(first.sent_at.date(), self.schedule.second):
            return
        previous = self.store.get_draft(first.draft_id)
        longest = len(previous.content.body.split())
        written = writing.follow_up(ask, pitch, 2, pitch.sent_at.date(), self.today, longest)
        self._write(written, f"{pitch.ask_id}:follow_up:2", pitch.ask_id, pitch_id=pitch.id,
                    unless_outcome=True, after_key=first.key)  # fmt: skip

    def _close(self, ask_id: str, pitch_id: str) -> None:
        key = f"{ask_id}:close"
        if any(m.key == key for m in self.follow.follow_drafts(ask_id)):
            return
        pitch = self.store.get_draft(pitch_id)
        written = writing.close(self.store.get_ask(ask_id), pitch)
        self._write(written, key, ask_id, pitch_id=pitch_id)

    # --- on acceptance -----------------------------------------------------------------------

    def kickoff(self, pitch: StoredDraft) -> None:
        key = f"{pitch.ask_id}:kickoff"
        if any(m.key == key for m in self.follow.follow_drafts(pitch.ask_id)):
            return
        ledger = self.follow.commitments(ask_id=pitch.ask_id)
        written = writing.kickoff(self.store.get_ask(pitch.ask_id), ledger)
        self._write(written, key, pitch.ask_id, pitch_id=pitch.id)

    # --- reminders ---------------------------------------------------------------------------

    def _reminders(self, by_key: dict[str, FollowDraft]) -> None:
        asks: dict[str, Ask] = {}
        for c in self.follow.commitments():
            if c.status == "done" or c.due is None:
                continue
            if not self.schedule.reminder_due(c.due) <= self.today <= c.due:
                continue
            key = f"{c.id}:reminder:{c.due.isoformat()}"
            if key in by_key:
                continue
            ask = asks.setdefault(c.ask_id, self.store.get_ask(c.ask_id))
            written = writing.reminder(ask, c)
            self._write(written, key, c.ask_id, commitment=c)
            if (
                written.step == "us"
                and self.report.drafted[-1:]
                and (self.report.drafted[-1].draft_id == written.draft.id)
            ):
                self._deliver(ask, written.draft.id)

    def _deliver(self, ask: Ask, draft_id: str) -> None:
        """A reminder to ourselves needs no review: with SMTP set and a sender address, it
        goes to the sender at once (approved and sent in the audit log like any draft)."""
        settings = self.settings
        if settings is None or not settings.smtp_host or not ask.sender.email:
            return
        from pitchgen.review import workflow
        from pitchgen.review.sending import send_draft

        try:
            workflow.approve(self.store, draft_id, ACTOR)
            send_draft(self.store, draft_id, ACTOR, settings, ask=writing.to_ourselves(ask))
        except PitchgenError as exc:  # kept on the draft; a person can send it from review
            self.report.undelivered[draft_id] = exc.message
        else:
            self.report.delivered.append(draft_id)
