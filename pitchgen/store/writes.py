"""The store's writes: a new draft set with the `Idempotency-Key` record that replays it (and
reading that record back, which drops it once expired), one workflow step as a compare-and-set,
and the send claim taken and settled.

`DraftWrites` is mixed into `Store` (`pitchgen.store.repository`), whose `_write` queues the
writers and opens the transaction. `pitchgen.store.direct` writes the rows of
`save_draft_set` for a saving CLI draft on SQLite without SQLAlchemy: what is added to one is
added to the other.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from pitchgen import telemetry
from pitchgen.ask import Ask
from pitchgen.content.models import CheckResult, DraftSet
from pitchgen.store import claims
from pitchgen.store.idempotency import DEFAULT_WINDOW, PURGE_EVERY
from pitchgen.store.inserts import KeyTaken, insert_draft_set, keep
from pitchgen.store.migrations.schema import api_idempotency, drafts, events, revisions
from pitchgen.store.rows import (
    Change,
    IdempotencyRecord,
    StaleVersion,
    StoredDraft,
    draft_row,
    utc,
)

__all__ = ["DraftWrites"]

_KEPT = (api_idempotency.c.fingerprint, api_idempotency.c.status, api_idempotency.c.body)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _checks_json(checks: list[CheckResult]) -> list[dict]:
    return [c.model_dump(mode="json") for c in checks]


class DraftWrites:
    """The writing methods of `Store`."""

    def save_draft_set(
        self,
        ask: Ask,
        draft_set: DraftSet,
        *,
        actor: str = "pitchgen",
        idempotency: IdempotencyRecord | None = None,
        partner_id: str | None = None,
    ) -> bool:
        """Store the ask and its drafts, each with revision 1 and a "created" event, and in the
        same transaction the `idempotency` record that replays them, if one is given.

        False, with nothing stored, if a record under that key was kept first: another server
        process took the same retry, and its record is the response to replay. `partner_id`:
        the directory entry the ask was drafted for.

        `pitchgen.store.direct` writes the same rows for a saving CLI draft on SQLite without
        this class: what is added here (a statement, a check) is added there too."""
        now = _now()
        try:
            with self._write() as conn:
                if idempotency is not None:
                    keep(conn, idempotency, now)
                insert_draft_set(conn, ask, draft_set, actor, now, partner_id)
        except KeyTaken:
            return False
        return True

    def kept_response(
        self, scope: str, key: str, window: dt.timedelta = DEFAULT_WINDOW
    ) -> IdempotencyRecord | None:
        """The response kept under an `Idempotency-Key` (see `save_draft_set`), unless it is
        older than `window`: an expired key is a new one, and its record goes (with, about once
        an hour, every other expired one)."""
        now = _now()
        cutoff = now - window
        this = (api_idempotency.c.scope == scope, api_idempotency.c.key == key)
        with self._read() as conn:
            row = conn.execute(sa.select(*_KEPT, api_idempotency.c.created_at).where(*this)).first()
        expired = row is not None and utc(row.created_at) < cutoff
        purge = self._purged_at is None or now - self._purged_at >= PURGE_EVERY
        if expired or purge:
            with self._write() as conn:
                if purge:
                    self._purged_at = now
                    conn.execute(
                        api_idempotency.delete().where(api_idempotency.c.created_at < cutoff)
                    )
                if expired:
                    conn.execute(api_idempotency.delete().where(*this))
        return IdempotencyRecord(scope, key, *row[:3]) if row and not expired else None

    def apply(self, draft: StoredDraft, change: Change) -> StoredDraft:
        """Write one workflow step, with its event and (for an edit) its revision, only if the
        draft is still at the version and status it was read with; else `StaleVersion`.

        This compare-and-set is what keeps concurrent edits from losing an update. It also
        refuses (`claims.SendInProgress`) while a send is at the SMTP server, and clears a claim
        whose sender gave up, so that a reopened draft can be approved and sent again."""
        now = self.clock()
        values: dict[str, Any] = {
            "status": change.to_status,
            "updated_at": now,
            "send_error": change.send_error,
            **claims.RELEASED,
        }
        if change.sent_at is not None:
            values["sent_at"] = change.sent_at
        if change.message_id is not None:
            values["message_id"] = change.message_id
        rev = change.revision
        if rev is not None:
            values |= {
                "version": draft.version + 1,
                "content": rev.content,
                "text": rev.text,
                "checks": _checks_json(rev.checks),
            }
        with self._write() as conn:
            updated = conn.execute(
                drafts.update()
                .where(
                    drafts.c.id == draft.id,
                    drafts.c.version == draft.version,
                    drafts.c.status == draft.status,
                    claims.unclaimed(now),
                )
                .values(**values)
                .returning(*drafts.c)
            ).first()
            if updated is None:
                if held := claims.refusal(conn, draft, now):
                    raise held
                current = self._one(conn, draft.id)
                raise StaleVersion(draft.id, current.version, current.status)
            if rev is not None:
                conn.execute(
                    revisions.insert().values(
                        draft_id=draft.id, version=values["version"], content=rev.content,
                        text=rev.text, checks=values["checks"], author=change.actor,
                        created_at=now, note=rev.note,
                    )
                )  # fmt: skip
            conn.execute(
                events.insert().values(
                    draft_id=draft.id, at=now, actor=change.actor, action=change.action,
                    from_status=draft.status, to_status=change.to_status, reason=change.reason,
                    detail=change.detail, request_id=telemetry.request_id.get(),
                )
            )  # fmt: skip
            return draft_row(updated)

    def claim_send(
        self, draft: StoredDraft, change: Change, token: str, until: dt.datetime
    ) -> StoredDraft:
        """Claim the approved `draft` as read for one send until `until` (see `claims`), with
        its `send_attempt` event; `SendInProgress` while another send holds it, else
        `StaleVersion` when it moved on."""
        now = self.clock()
        with self._write() as conn:
            row = claims.claim(conn, draft, change, token, until, now)
            if row is None:
                if held := claims.refusal(conn, draft, now):
                    raise held
                current = self._one(conn, draft.id)
                raise StaleVersion(draft.id, current.version, current.status)
            return draft_row(row)

    def settle_send(self, draft_id: str, token: str, change: Change) -> StoredDraft | None:
        """Record how the send holding `token` ended (see `claims.settle`)."""
        with self._write() as conn:
            row = claims.settle(conn, draft_id, token, change, self.clock())
            return None if row is None else draft_row(row)
