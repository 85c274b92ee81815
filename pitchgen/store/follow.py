"""The follow-through's tables (outcomes, commitments and their history, the drafts it wrote)
over the same database and transactions as the `Store`.

Two writers must never both act on one ask's conversation: recording an outcome and drafting a
follow-up each lock the ask's row first (`FOR UPDATE` on PostgreSQL; SQLite takes one writer at
a time anyway), then look again at what is there. A follow-up drafted while a reply is being
recorded is either cancelled by it or never written. Every follow-through draft is also kept
under a unique key, so a second run, or a second process, writes nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping

import sqlalchemy as sa

from pitchgen.ask import Ask
from pitchgen.ask.text import STORED
from pitchgen.content.models import Draft
from pitchgen.errors import Conflict, NotFound
from pitchgen.store.followrows import (
    Commitment,
    CommitmentEvent,
    FollowDraft,
    NewCommitment,
    Outcome,
    OutcomeRecorded,
)
from pitchgen.store.followwrites import (
    cancel_follow_ups,
    draft_event,
    open_commitments,
    withdraw_reminders,
)
from pitchgen.store.inserts import insert_drafts
from pitchgen.store.migrations.schema import (
    asks,
    commitment_events,
    commitments,
    drafts,
    follow_drafts,
    outcomes,
)
from pitchgen.store.pages import known_form
from pitchgen.store.repository import Store
from pitchgen.store.rows import StoredDraft, draft_row, row_model

__all__ = ["FollowStore", "StaleCommitment"]


class StaleCommitment(Conflict):
    def __init__(self, commitment: Commitment) -> None:
        super().__init__(
            f"commitment {commitment.id} has changed: it is now {commitment.status}"
            f" (version {commitment.version}); read it again and retry"
        )


class FollowStore:
    """Follow-through reads and writes, each one transaction, over an open `Store`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --- outcomes ----------------------------------------------------------------------------

    def record_outcome(
        self,
        pitch: StoredDraft,
        outcome: str,
        *,
        note: str | None,
        at: dt.datetime,
        actor: str,
        allowed: Mapping[str | None, Collection[str]],
        opens: list[NewCommitment],
        now: dt.datetime,
    ) -> OutcomeRecorded:
        """Keep `outcome` of the pitch if the ask's standing outcome allows it (`allowed`), with
        its audit event on the pitch; cancel the ask's pending follow-ups; open `opens`."""
        with self.store._write() as conn:
            _lock_ask(conn, pitch.ask_id)
            previous = _standing(conn, pitch.ask_id)
            before = previous.outcome if previous else None
            if outcome not in allowed.get(before, ()):
                following = ", ".join(sorted(allowed.get(before, ()))) or "nothing"
                raise Conflict(
                    f"cannot record {outcome} for draft {pitch.id}: the ask's outcome is"
                    f" already {before}; what may follow it: {following}"
                )
            row = {"draft_id": pitch.id, "ask_id": pitch.ask_id, "outcome": outcome,
                   "note": note, "at": at, "recorded_at": now, "actor": actor}  # fmt: skip
            conn.execute(outcomes.insert().values(**row))
            detail = {"outcome": outcome, "at": at.isoformat(), "previous": before}
            draft_event(conn, pitch.id, pitch.status, "outcome", actor, now, note, detail)
            cancelled, held = cancel_follow_ups(conn, pitch.ask_id, outcome, actor, now)
            opened = open_commitments(conn, pitch.ask_id, opens, actor, now)
        return OutcomeRecorded(Outcome.model_validate(row), before, cancelled, held, opened)

    def outcomes(self, ask_id: str) -> list[Outcome]:
        """Every outcome recorded for the ask, oldest first."""
        query = outcomes.select().where(outcomes.c.ask_id == ask_id).order_by(outcomes.c.seq)
        with self.store._read() as conn:
            rows = conn.execute(query).all()
        return [row_model(Outcome, r, "at", "recorded_at") for r in rows]

    def all_outcomes(self) -> list[Outcome]:
        with self.store._read() as conn:
            rows = conn.execute(outcomes.select().order_by(outcomes.c.seq)).all()
        return [row_model(Outcome, r, "at", "recorded_at") for r in rows]

    def all_history(self) -> dict[str, list[CommitmentEvent]]:
        """Every commitment's history, oldest first, by commitment id."""
        with self.store._read() as conn:
            rows = conn.execute(commitment_events.select().order_by(commitment_events.c.seq))
            found: dict[str, list[CommitmentEvent]] = {}
            for r in rows.all():
                found.setdefault(r.commitment_id, []).append(row_model(CommitmentEvent, r, "at"))
        return found

    def standing(self) -> dict[str, Outcome]:
        """The standing (newest) outcome of every ask that has one."""
        with self.store._read() as conn:
            rows = conn.execute(outcomes.select().order_by(outcomes.c.seq)).all()
        return {r.ask_id: row_model(Outcome, r, "at", "recorded_at") for r in rows}

    def sent_pitches(self) -> list[StoredDraft]:
        """Every pitch that went out, oldest first."""
        query = (
            drafts.select()
            .where(drafts.c.kind == "pitch", drafts.c.status == "sent")
            .order_by(drafts.c.seq)
        )
        with self.store._read() as conn:
            return [draft_row(r) for r in conn.execute(query).all()]

    # --- the drafts the follow-through writes -------------------------------------------------

    def write_draft(
        self,
        key: str,
        draft: Draft,
        *,
        ask_id: str,
        step: str,
        actor: str,
        now: dt.datetime,
        pitch_id: str | None = None,
        commitment: Commitment | None = None,
        unless_outcome: bool = False,
        after_key: str | None = None,
    ) -> bool:
        """Store `draft` under `key` unless a draft is kept under it already, or (when asked)
        the ask has an outcome by now, the step before (`after_key`) was never written, or the
        commitment moved (done, or a new due date) since it was read. True if written."""
        with self.store._write() as conn:
            _lock_ask(conn, ask_id)
            if _kept(conn, key):
                return False
            if unless_outcome and _standing(conn, ask_id) is not None:
                return False
            if after_key and not _kept(conn, after_key):
                return False
            if commitment is not None:
                current = conn.execute(
                    commitments.select().where(commitments.c.id == commitment.id)
                ).first()
                if current is None or current.status == "done" or current.due != commitment.due:
                    return False
            insert_drafts(conn, ask_id, [draft], actor, now)
            conn.execute(
                follow_drafts.insert().values(
                    key=key, draft_id=draft.id, ask_id=ask_id, pitch_id=pitch_id,
                    commitment_id=commitment.id if commitment else None, kind=draft.kind,
                    step=step, due=commitment.due if commitment else None, created_at=now,
                )
            )  # fmt: skip
        return True

    def follow_drafts(self, ask_id: str | None = None) -> list[FollowDraft]:
        """The drafts the follow-through wrote, oldest first, each with its status (one query)."""
        query = (
            sa.select(follow_drafts, drafts.c.status, drafts.c.sent_at)
            .join(drafts, drafts.c.id == follow_drafts.c.draft_id)
            .order_by(follow_drafts.c.created_at)
        )
        if ask_id is not None:
            query = query.where(follow_drafts.c.ask_id == ask_id)
        with self.store._read() as conn:
            rows = conn.execute(query).all()
        return [row_model(FollowDraft, r, "created_at", "sent_at") for r in rows]

    def asks(self, ask_ids: set[str]) -> dict[str, Ask]:
        """The asks by id, in one query."""
        if not ask_ids:
            return {}
        query = sa.select(asks.c.id, asks.c.ask).where(asks.c.id.in_(sorted(ask_ids)))
        with self.store._read() as conn:
            rows = conn.execute(query).all()
        return {r.id: Ask.model_validate(r.ask, context=STORED) for r in rows}

    def follow_draft_of(self, draft_id: str) -> FollowDraft | None:
        query = follow_drafts.select().where(follow_drafts.c.draft_id == draft_id)
        with self.store._read() as conn:
            row = conn.execute(query).first()
        return None if row is None else row_model(FollowDraft, row, "created_at")

    # --- commitments -------------------------------------------------------------------------

    def commitments(
        self,
        *,
        owner: str | None = None,
        status: str | None = None,
        due_before: dt.date | None = None,
        ask_id: str | None = None,
    ) -> list[Commitment]:
        """Commitments, soonest due first (undated last), each with its partner's name."""
        query = sa.select(commitments, asks.c.partner).join(asks, asks.c.id == commitments.c.ask_id)
        if owner:
            query = query.where(commitments.c.owner == owner)
        if status:
            query = query.where(commitments.c.status == status)
        if due_before:
            query = query.where(commitments.c.due < due_before)
        if ask_id:
            query = query.where(commitments.c.ask_id == ask_id)
        query = query.order_by(commitments.c.due.is_(None), commitments.c.due, commitments.c.id)
        with self.store._read() as conn:
            rows = conn.execute(query).all()
        return [row_model(Commitment, r, "created_at", "updated_at") for r in rows]

    def commitment(self, commitment_id: str) -> Commitment:
        known_form(commitment_id, "commitment")
        query = (
            sa.select(commitments, asks.c.partner)
            .join(asks, asks.c.id == commitments.c.ask_id)
            .where(commitments.c.id == commitment_id)
        )
        with self.store._read() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFound(f"no commitment with id {commitment_id}")
        return row_model(Commitment, row, "created_at", "updated_at")

    def history(self, commitment_id: str) -> list[CommitmentEvent]:
        query = (
            commitment_events.select()
            .where(commitment_events.c.commitment_id == commitment_id)
            .order_by(commitment_events.c.seq)
        )
        with self.store._read() as conn:
            rows = conn.execute(query).all()
        return [row_model(CommitmentEvent, r, "at") for r in rows]

    def change_commitment(
        self,
        read: Commitment,
        *,
        action: str,
        to_status: str,
        due: dt.date | None,
        note: str | None,
        actor: str,
        now: dt.datetime,
    ) -> Commitment:
        """Move the commitment as read to `to_status` (and `due`), with its history event; a
        `StaleCommitment` if someone moved it first."""
        with self.store._write() as conn:
            # The ask's lock: a reminder is never written for a due date moved meanwhile.
            _lock_ask(conn, read.ask_id)
            updated = conn.execute(
                commitments.update()
                .where(commitments.c.id == read.id, commitments.c.version == read.version)
                .values(status=to_status, due=due, version=read.version + 1, updated_at=now)
            )
            if updated.rowcount != 1:
                raise StaleCommitment(self._current(conn, read.id))
            conn.execute(
                commitment_events.insert().values(
                    commitment_id=read.id, at=now, actor=actor, action=action,
                    from_status=read.status, to_status=to_status, due_from=read.due, due_to=due,
                    note=note,
                )
            )  # fmt: skip
            if due != read.due or to_status == "done":
                withdraw_reminders(conn, read.id, due, action, actor, now)
        return self.commitment(read.id)

    @staticmethod
    def _current(conn: sa.Connection, commitment_id: str) -> Commitment:
        row = conn.execute(commitments.select().where(commitments.c.id == commitment_id)).first()
        return row_model(Commitment, row, "created_at", "updated_at")


def _lock_ask(conn: sa.Connection, ask_id: str) -> None:
    found = conn.execute(sa.select(asks.c.id).where(asks.c.id == ask_id).with_for_update()).first()
    if found is None:
        raise NotFound(f"no ask with id {ask_id}")


def _kept(conn: sa.Connection, key: str) -> bool:
    query = sa.select(follow_drafts.c.key).where(follow_drafts.c.key == key)
    return conn.execute(query).first() is not None


def _standing(conn: sa.Connection, ask_id: str) -> Outcome | None:
    row = conn.execute(
        outcomes.select()
        .where(outcomes.c.ask_id == ask_id)
        .order_by(outcomes.c.seq.desc())
        .limit(1)
    ).first()
    return None if row is None else row_model(Outcome, row, "at", "recorded_at")
