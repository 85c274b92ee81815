"""Follow-through use cases (issue 14), once for the three faces: record what came of a pitch,
keep the commitments both ways, and draft what is due (`run`). Reached as `service.follow`.

"Now" is always a parameter (`now=`), defaulting to the store's clock, so that tests and
`pitchgen follow run --now` drive time without waiting for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pitchgen.errors import Conflict, InvalidInput, Problem
from pitchgen.follow.inputs import Inputs

if TYPE_CHECKING:
    from pitchgen.ask import Ask
    from pitchgen.follow.runner import RunReport
    from pitchgen.follow.stats import Stats
    from pitchgen.service.core import Service
    from pitchgen.store.follow import FollowStore
    from pitchgen.store.followrows import (
        Commitment,
        CommitmentEvent,
        FollowDraft,
        Outcome,
        OutcomeRecorded,
    )

__all__ = ["AskFollow", "Follow"]


@dataclass(frozen=True)
class AskFollow:
    """One ask's follow-through as a page shows it: its outcomes, the drafts the follow-through
    wrote for it, and its commitments, overdue first."""

    ask_id: str
    partner: str
    project: str
    outcomes: list[Outcome]
    drafts: list[FollowDraft]
    commitments: list[Commitment]
    today: dt.date

    @property
    def outcome(self) -> Outcome | None:
        return self.outcomes[-1] if self.outcomes else None


class Follow:
    """The follow-through over one `Service` (its settings and its store)."""

    def __init__(self, service: Service) -> None:
        self.service = service

    def _store(self) -> FollowStore:
        from pitchgen.store.follow import FollowStore

        return FollowStore(self.service.store())

    def now(self, now: dt.datetime | None = None) -> dt.datetime:
        return now if now is not None else self.service.store().clock()

    # --- outcomes ----------------------------------------------------------------------------

    def record_outcome(
        self,
        draft_id: str,
        outcome: str | None,
        actor: str,
        *,
        note: str | None = None,
        at: str | dt.datetime | None = None,
        now: dt.datetime | None = None,
    ) -> OutcomeRecorded:
        """What came of the pitch `draft_id` (a follow-up's id stands for its pitch): kept with an
        audit event, cancelling the ask's pending follow-ups; `accepted` opens the commitments
        both ways and drafts the kick-off."""
        from pitchgen.follow.ledger import commitments_of
        from pitchgen.follow.rules import OUTCOME_TRANSITIONS

        now = self.now(now)
        given = Inputs()
        outcome = given.outcome(outcome)
        note = given.text("note", note)
        when = given.moment("at", at)
        actor = given.text("actor", actor, required=True)
        if when is not None and when > now + dt.timedelta(minutes=5):
            given.add("at", f"is in the future: {when.isoformat()} (now is {now.isoformat()})")
            when = None
        pitch = self._pitch(draft_id)
        if when is not None and pitch.sent_at is not None and when < pitch.sent_at:
            given.add("at", f"is before the pitch was sent ({pitch.sent_at.isoformat()})")
        given.done()
        if pitch.status != "sent":
            raise Conflict(
                f"cannot record an outcome for draft {pitch.id}: it is {pitch.status}; an outcome"
                " is what came of a pitch that went out (send it, or mark the call or meeting"
                " done, first)"
            )
        store = self._store()
        ask = self.service.store().get_ask(pitch.ask_id)
        recorded = store.record_outcome(
            pitch,
            outcome,
            note=note,
            at=when or now,
            actor=actor,
            allowed=OUTCOME_TRANSITIONS,
            opens=commitments_of(ask) if outcome == "accepted" else [],
            now=now,
        )
        if outcome == "accepted":
            self._runner(now).kickoff(pitch)
        return recorded

    def _runner(self, now: dt.datetime):
        from pitchgen.follow.rules import Schedule
        from pitchgen.follow.runner import Runner

        first, second = self.service.settings.follow_up_days
        schedule = Schedule(first, second, self.service.settings.reminder_days)
        return Runner(self.service.store(), schedule, now, self.service.settings)

    def run(self, now: str | dt.datetime | None = None) -> RunReport:
        """Draft every follow-up, close, kick-off and reminder due at `now` (default: the
        clock); idempotent: a second run at the same moment, or in another process at once,
        drafts nothing new."""
        given = Inputs()
        moment = given.moment("now", now)
        given.done()
        return self._runner(self.now(moment)).run()

    def _pitch(self, draft_id: str):
        draft = self.service.store().get_draft(draft_id)
        if draft.kind == "pitch":
            return draft
        made = self._store().follow_draft_of(draft_id)
        if made is None or made.pitch_id is None:
            raise InvalidInput(
                [Problem("draft_id", f"draft {draft_id} is a {draft.kind}, not a pitch")]
            )
        return self.service.store().get_draft(made.pitch_id)

    def addressee(self, draft_id: str) -> Ask | None:
        """How a draft is addressed when it is not to the partner: a reminder of our own
        promise goes to the sender. None for every other draft."""
        draft = self.service.store().get_draft(draft_id)
        if draft.kind != "reminder":
            return None
        made = self._store().follow_draft_of(draft_id)
        if made is None or made.step != "us":
            return None
        from pitchgen.follow.writing import to_ourselves

        return to_ourselves(self.service.store().get_ask(draft.ask_id))

    def outcomes(self, ask_id: str) -> list[Outcome]:
        return self._store().outcomes(ask_id)

    @staticmethod
    def may_follow(standing: str | None) -> list[str]:
        """The outcomes that may be recorded after `standing` (None: nothing yet), in order."""
        from pitchgen.follow.rules import OUTCOME_TRANSITIONS, OUTCOMES

        return [o for o in OUTCOMES if o in OUTCOME_TRANSITIONS[standing]]

    # --- commitments -------------------------------------------------------------------------

    def commitments(
        self,
        *,
        owner: str | None = None,
        status: str | None = None,
        due_before: str | dt.date | None = None,
        ask_id: str | None = None,
    ) -> list[Commitment]:
        """The ledger both ways, soonest due first."""
        given = Inputs()
        owner = given.owner(owner)
        status = given.status(status)
        before = given.day("due_before", due_before)
        if ask_id is not None and (problem := _id_problem(ask_id)):
            given.add("ask_id", problem)
        given.done()
        return self._store().commitments(
            owner=owner, status=status, due_before=before, ask_id=ask_id
        )

    def commitment(self, commitment_id: str) -> Commitment:
        return self._store().commitment(commitment_id)

    def history(self, commitment_id: str) -> list[CommitmentEvent]:
        self._store().commitment(commitment_id)
        return self._store().history(commitment_id)

    def done(
        self,
        commitment_id: str,
        actor: str,
        *,
        note: str | None = None,
        ask_id: str | None = None,
        now: dt.datetime | None = None,
    ) -> Commitment:
        """The promise is kept."""
        return self._change(commitment_id, "done", actor, note=note, ask_id=ask_id, now=now)

    def slip(
        self,
        commitment_id: str,
        actor: str,
        *,
        to: str | dt.date | None,
        note: str | None,
        ask_id: str | None = None,
        now: dt.datetime | None = None,
    ) -> Commitment:
        """The promise will be late: its new date (after today) and why."""
        return self._change(commitment_id, "slip", actor, note=note, to=to, ask_id=ask_id, now=now)

    def _change(
        self,
        commitment_id: str,
        action: str,
        actor: str,
        *,
        note: str | None,
        to: str | dt.date | None = None,
        ask_id: str | None = None,
        now: dt.datetime | None = None,
    ) -> Commitment:
        from pitchgen.follow.rules import COMMITMENT_ACTIONS

        now = self.now(now)
        given = Inputs()
        actor = given.text("actor", actor, required=True)
        note = given.text("note", note, required=action == "slip")
        new_due = given.day("to", to)
        if action == "slip":
            if new_due is None and not any(p.path == "to" for p in given.problems):
                given.add("to", "required: the new date (YYYY-MM-DD)")
            elif new_due is not None and new_due <= now.date():
                given.add("to", f"must be after today ({now.date().isoformat()})")
        store = self._store()
        current = store.commitment(commitment_id)
        if ask_id is not None and current.ask_id != ask_id:
            given.add("commitment_id", f"commitment {commitment_id} belongs to another ask")
        given.done()
        sources, to_status = COMMITMENT_ACTIONS[action]
        if current.status not in sources:
            raise Conflict(
                f"cannot mark commitment {commitment_id} {to_status}: it is {current.status}"
            )
        due = new_due if action == "slip" else current.due
        return store.change_commitment(
            current, action=action, to_status=to_status, due=due, note=note, actor=actor, now=now
        )

    def stats(self, *, now: dt.datetime | None = None) -> Stats:
        """Reply and acceptance rates by channel and need type, median days to an answer, and
        promises kept on time (`follow/stats.py` defines each)."""
        from pitchgen.follow.stats import stats

        store, follow = self.service.store(), self._store()
        pitches = follow.sent_pitches()
        asks = {a: store.get_ask(a) for a in {p.ask_id for p in pitches}}
        return stats(
            pitches,
            asks,
            follow.all_outcomes(),
            follow.commitments(),
            follow.all_history(),
            self.now(now).date(),
        )

    def calendar(self, ask_id: str, *, now: dt.datetime | None = None) -> bytes:
        """Every dated commitment of the ask as an iCalendar file, with alarms; stable UIDs."""
        from pitchgen.follow.calendar import calendar

        ask = self.service.store().get_ask(ask_id)
        ledger = self._store().commitments(ask_id=ask_id)
        alarm_days = self.service.settings.reminder_days
        return calendar(ask, ledger, alarm_days=alarm_days, now=self.now(now))

    # --- one ask -----------------------------------------------------------------------------

    def of_ask(self, ask_id: str, *, now: dt.datetime | None = None) -> AskFollow:
        """The ask's outcomes, follow-through drafts and commitments (overdue first)."""
        today = self.now(now).date()
        ask = self.service.store().get_ask(ask_id)
        store = self._store()
        ledger = store.commitments(ask_id=ask_id)
        ledger.sort(key=lambda c: (not overdue(c, today), c.status == "done", c.due or today))
        return AskFollow(
            ask_id=ask_id,
            partner=ask.partner.organization,
            project=ask.project.name,
            outcomes=store.outcomes(ask_id),
            drafts=store.follow_drafts(ask_id),
            commitments=ledger,
            today=today,
        )


def overdue(commitment: Commitment, today: dt.date) -> bool:
    return commitment.status != "done" and commitment.due is not None and commitment.due < today


def _id_problem(value: str) -> str | None:
    from pitchgen.ask.text import text_problem

    return text_problem(value)
