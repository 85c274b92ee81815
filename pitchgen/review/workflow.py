"""The review workflow: draft → approved → sent, or rejected (and reopened to draft).

The rules are the `TRANSITIONS` table; each function reads the draft, applies the rules, and
hands the store one `Change`, which it writes only if nobody changed the draft in between.
Every step leaves an event (who, when, what, why); nothing is ever deleted.
"""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationError

from pitchgen.ask import Channel
from pitchgen.checks.rubric import run_checks
from pitchgen.content.models import CONTENT_MODELS, Status
from pitchgen.content.render import to_text
from pitchgen.errors import Conflict, InvalidInput, Problem, problems_from
from pitchgen.store.repository import Change, NewRevision, StaleVersion, Store, StoredDraft

__all__ = [
    "TRANSITIONS",
    "IllegalTransition",
    "allowed_actions",
    "approve",
    "edit",
    "mark_sent",
    "record_send_error",
    "reject",
    "reopen",
]

# status → {action: the status it leads to}. An edit of an approved draft returns it to draft:
# the approval was given to the old text. An approved draft can be withdrawn (reopen) or
# rejected when plans change; a sent one is final. A failed send attempt keeps it approved.
TRANSITIONS: dict[Status, dict[str, Status]] = {
    "draft": {"edit": "draft", "approve": "approved", "reject": "rejected"},
    "approved": {"edit": "draft", "send": "sent", "reopen": "draft", "reject": "rejected"},
    "rejected": {"reopen": "draft"},
    "sent": {},
}


class IllegalTransition(Conflict):
    """An action the draft's status does not allow; `allowed` lists what it does allow."""

    def __init__(self, draft_id: str, status: Status, action: str) -> None:
        self.draft_status = status
        self.action = action
        self.allowed = allowed_actions(status)
        options = (
            f"allowed from {status}: {', '.join(self.allowed)}"
            if self.allowed
            else f"a {status} draft is final; nothing is allowed"
        )
        super().__init__(f"cannot {action} draft {draft_id}: it is {status}; {options}")


def allowed_actions(status: Status) -> list[str]:
    return list(TRANSITIONS[status])


def edit(
    store: Store,
    draft_id: str,
    content: dict,
    expected_version: int,
    author: str,
    note: str | None = None,
) -> StoredDraft:
    """A person's edit: the content is validated, rendered and re-checked, and becomes a new
    revision (version + 1). Content equal to the current one changes nothing."""
    author = _required(author, "author")
    draft = _current(store, draft_id, "edit", expected_version)
    model = CONTENT_MODELS[Channel(draft.channel)]
    try:
        parsed = model.model_validate(content)
    except ValidationError as exc:
        problems = [Problem(_under("content", p.path), p.message) for p in problems_from(exc)]
        raise InvalidInput(problems) from None
    normalized = parsed.model_dump(mode="json")
    if normalized == draft.content:
        return draft
    ask = store.get_ask(draft.ask_id)
    text = to_text(parsed)
    revision = NewRevision(normalized, text, run_checks(ask, parsed, text), _optional(note))
    change = Change(
        action="edit",
        actor=author,
        to_status=TRANSITIONS[draft.status]["edit"],
        reason=revision.note,
        detail={"version": draft.version + 1},
        revision=revision,
    )
    return store.apply(draft, change)


def approve(
    store: Store,
    draft_id: str,
    actor: str,
    override_reason: str | None = None,
    expected_version: int | None = None,
) -> StoredDraft:
    """Approve the draft as it stands; refused while a must check fails, unless the reviewer
    gives a reason to override, which the audit log keeps with the checks it overrode."""
    actor = _required(actor, "actor")
    draft = _current(store, draft_id, "approve", expected_version)
    override_reason = _optional(override_reason)
    failing = [c.id for c in draft.must_failures]
    if failing and override_reason is None:
        raise Conflict(
            f"cannot approve draft {draft_id}: must checks fail ({', '.join(failing)});"
            " edit the draft, or approve with an override reason"
        )
    detail = {"overridden_checks": failing} if failing else None
    return store.apply(draft, _step(draft, "approve", actor, override_reason, detail))


def reject(
    store: Store, draft_id: str, actor: str, reason: str, expected_version: int | None = None
) -> StoredDraft:
    actor = _required(actor, "actor")
    reason = _required(reason, "reason")
    draft = _current(store, draft_id, "reject", expected_version)
    return store.apply(draft, _step(draft, "reject", actor, reason))


def reopen(
    store: Store,
    draft_id: str,
    actor: str,
    reason: str | None = None,
    expected_version: int | None = None,
) -> StoredDraft:
    """Back to draft: a rejected draft gets another chance, an approval is withdrawn."""
    actor = _required(actor, "actor")
    draft = _current(store, draft_id, "reopen", expected_version)
    return store.apply(draft, _step(draft, "reopen", actor, _optional(reason)))


def mark_sent(
    store: Store,
    draft_id: str,
    actor: str,
    message_id: str | None = None,
    expected_version: int | None = None,
) -> StoredDraft:
    """The approved draft went out (an email's Message-ID), or the call or meeting took place."""
    actor = _required(actor, "actor")
    draft = _current(store, draft_id, "send", expected_version)
    change = Change(
        action="send",
        actor=actor,
        to_status=TRANSITIONS[draft.status]["send"],
        detail={"message_id": message_id} if message_id else None,
        sent_at=dt.datetime.now(dt.UTC),
        message_id=message_id,
    )
    return store.apply(draft, change)


def record_send_error(store: Store, draft_id: str, actor: str, error: str) -> StoredDraft:
    """A send attempt failed: the draft stays approved and shows why until a step clears it.
    `error` is shown to reviewers as is, so it must not carry a secret."""
    actor = _required(actor, "actor")
    error = _required(error, "error")
    draft = _current(store, draft_id, "send", None)
    change = Change(
        action="send_failed",
        actor=actor,
        to_status=draft.status,
        reason=error,
        send_error=error,
    )
    return store.apply(draft, change)


def _current(store: Store, draft_id: str, action: str, expected_version: int | None) -> StoredDraft:
    draft = store.get_draft(draft_id)
    if expected_version is not None and expected_version != draft.version:
        raise StaleVersion(draft.id, draft.version, draft.status)
    if action not in TRANSITIONS[draft.status]:
        raise IllegalTransition(draft.id, draft.status, action)
    return draft


def _step(
    draft: StoredDraft, action: str, actor: str, reason: str | None, detail: dict | None = None
) -> Change:
    to_status = TRANSITIONS[draft.status][action]
    return Change(action=action, actor=actor, to_status=to_status, reason=reason, detail=detail)


def _under(prefix: str, path: str) -> str:
    return f"{prefix}.{path}" if path and not path.startswith("[") else prefix + path


def _optional(text: str | None) -> str | None:
    return text.strip() or None if text is not None else None


def _required(text: str | None, path: str) -> str:
    value = _optional(text)
    if value is None:
        raise InvalidInput([Problem(path, "required: must not be empty")])
    return value
