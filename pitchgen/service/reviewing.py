"""The service's use cases on stored drafts: reading them (a page of the list, one draft with
its ask and history, pages of its revisions and audit log), the review steps (edit, decide,
send), the ledger of what their model calls cost, and the export of a draft as a file.

`Reviewing` is mixed into `Service` (`pitchgen.service.core`), whose `store()` and `follow`
these methods use; as there, every part is imported by the method that needs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pitchgen import telemetry
from pitchgen.ask import Ask
from pitchgen.content.ledger import AskUsage, DraftUsage

if TYPE_CHECKING:
    from pitchgen.export.files import Exported, Format
    from pitchgen.store.repository import Listing
    from pitchgen.store.rows import Event, Revision, StoredDraft

__all__ = ["DraftView", "Reviewing"]


@dataclass(frozen=True)
class DraftView:
    """One draft as a reviewer reads it: with its ask, history and the actions it allows."""

    draft: StoredDraft
    ask: Ask
    revisions: list[Revision]
    events: list[Event]
    allowed_actions: list[str]

    @property
    def partner(self) -> str:
        return self.ask.partner.organization


class Reviewing:
    """The methods of `Service` on drafts already stored."""

    # --- reading ------------------------------------------------------------------------------

    def list_drafts(
        self,
        *,
        status: str | None = None,
        channel: str | None = None,
        partner: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
        batch: str | None = None,
    ) -> Listing:
        """A page of drafts, newest first, with their partners' names (one query)."""
        return self.store().list_drafts(
            status=status, channel=channel, partner=partner, limit=limit, cursor=cursor,
            batch=batch,
        )  # fmt: skip

    def get_draft(self, draft_id: str) -> StoredDraft:
        return self.store().get_draft(draft_id)

    def revisions(self, draft_id: str) -> list[Revision]:
        return self.store().revisions(draft_id)

    def events(self, draft_id: str) -> list[Event]:
        return self.store().events(draft_id)

    def revision_page(
        self, draft_id: str, *, limit: int, cursor: str | None = None
    ) -> tuple[list[Revision], str | None]:
        """A page of a draft's revisions, oldest first, and the next page's cursor or None."""
        return self.store().revision_page(draft_id, limit=limit, cursor=cursor)

    def event_page(
        self, draft_id: str, *, limit: int, cursor: str | None = None
    ) -> tuple[list[Event], str | None]:
        """A page of a draft's audit log, oldest first, and the next page's cursor or None."""
        return self.store().event_page(draft_id, limit=limit, cursor=cursor)

    def show(self, draft_id: str) -> DraftView:
        from pitchgen.content.status import allowed_actions

        store = self.store()
        draft = store.get_draft(draft_id)
        return DraftView(
            draft=draft,
            ask=store.get_ask(draft.ask_id),
            revisions=store.revisions(draft_id),
            events=store.events(draft_id),
            allowed_actions=allowed_actions(draft.status),
        )

    # --- review steps -------------------------------------------------------------------------

    def edit(
        self,
        draft_id: str,
        content: dict[str, Any],
        expected_version: int,
        actor: str,
        note: str | None = None,
    ) -> StoredDraft:
        """A person's edit: a new revision with the checks run again (unchanged: no revision)."""
        from pitchgen.review import workflow

        return workflow.edit(self.store(), draft_id, content, expected_version, actor, note)

    def decide(
        self,
        action: str,
        draft_id: str,
        actor: str,
        reason: str | None = None,
        expected_version: int | None = None,
    ) -> StoredDraft:
        """A reviewer's decision: approve (a reason overrides failed must checks), reject (a
        reason is required) or reopen, at the version they read when given."""
        from pitchgen.review import workflow

        return workflow.decide(self.store(), action, draft_id, actor, reason, expected_version)

    def send(self, draft_id: str, actor: str) -> StoredDraft:
        """Send the approved email over SMTP, or mark an approved call or meeting done."""
        from pitchgen.errors import ConfigError, PitchgenError, SendError
        from pitchgen.review.sending import send_draft

        channel, outcome = "unknown", "failed"
        try:
            channel = self.store().get_draft(draft_id).channel.value
            ask = self.follow.addressee(draft_id)
            sent = send_draft(self.store(), draft_id, actor, self.settings, ask=ask)
            outcome = "sent" if channel == "email" else "done"
            return sent
        except (SendError, ConfigError):
            raise
        except PitchgenError:
            outcome = "refused"  # not approved, already sent, stale, unknown
            raise
        finally:
            telemetry.observer().sent(channel=channel, outcome=outcome)

    # --- the ledger ---------------------------------------------------------------------------

    def usage(self, ask_ids: list[str]) -> AskUsage:
        """The model calls behind the drafts of `ask_ids` (one ask, or a batch's), summed, with
        each draft's own: what they cost and how often the model fell back."""
        from pitchgen.content.ledger import usage_of

        ledgers = self.store().ledgers(ask_ids)
        drafts = [
            DraftUsage(
                draft_id=d.draft_id, ask_id=d.ask_id, channel=d.channel, source=d.source,
                fallback_reason=d.fallback_reason,
                usage=usage_of([(d.model_calls, d.fallback_reason)]),
            )
            for d in ledgers
        ]  # fmt: skip
        total = usage_of((d.model_calls, d.fallback_reason) for d in ledgers)
        return AskUsage(ask_ids=ask_ids, total=total, drafts=drafts)

    def export(self, draft_id: str, fmt: Format | None = None) -> Exported:
        """The draft as a file; `fmt` defaults to the channel's natural one (see
        `export.files.default_format`)."""
        from pitchgen.export.files import default_format, export

        store = self.store()
        draft = store.get_draft(draft_id)
        ask = self.follow.addressee(draft_id) or store.get_ask(draft.ask_id)
        return export(draft, ask, fmt if fmt is not None else default_format(draft, ask))
