"""The review workflow: draft → approved → sent, or rejected (and reopened to draft).

The rules are the `TRANSITIONS` table (`pitchgen.content.status`) and, for a reviewer's
decision, the `DECISIONS` table here; each step reads the draft, applies the rules, and
hands the store one `Change`, which it writes only if nobody changed the draft in between.
Every step leaves an event (who, when, what, why); nothing is ever deleted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import ValidationError

from pitchgen.ask import Channel
from pitchgen.ask.text import text_problem
from pitchgen.checks.rubric import run_checks
from pitchgen.content.models import CONTENT_MODELS
from pitchgen.content.render import to_text
from pitchgen.content.status import TRANSITIONS, step_to
from pitchgen.errors import Conflict, InvalidInput, Problem, problems_from
from pitchgen.store.repository import StaleVersion, Store
from pitchgen.store.rows import Change, NewRevision, StoredDraft

__all__ = [
    "DECISIONS",
    "approve",
    "check_override_reason",
    "decide",
    "edit",
    "mark_sent",
    "record_send_error",
    "reject",
    "reopen",
]


OVERRIDE_MIN_CHARS = 10


@dataclass(frozen=True)
class Decision:
    """What a reviewer's decision needs: whether a reason is required, and what the audit log
    keeps beside it (for an approval, the must checks it overrode)."""

    reason_required: bool = False
    reason_path: str = "reason"
    detail: Callable[[StoredDraft, str | None], dict | None] = lambda draft, reason: None


def _approval(draft: StoredDraft, override_reason: str | None) -> dict | None:
    # Refused while a must check fails, unless the reviewer gives a reason to override, which
    # the audit log keeps with the checks it overrode.
    failing = [c.id for c in draft.must_failures]
    if failing and override_reason is None:
        raise Conflict(
            f"cannot approve draft {draft.id}: must checks fail ({', '.join(failing)});"
            " edit the draft, or approve with an override reason"
        )
    if failing:
        check_override_reason(override_reason)
    return {"overridden_checks": failing} if failing else None


DECISIONS: dict[str, Decision] = {
    "approve": Decision(reason_path="override_reason", detail=_approval),
    "reject": Decision(reason_required=True),
    "reopen": Decision(),
}


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
    if parsed == draft.content:
        return draft
    ask = store.get_ask(draft.ask_id)
    text = to_text(parsed)
    checks = run_checks(ask, parsed, text)
    revision = NewRevision(parsed.model_dump(mode="json"), text, checks, _optional(note))
    change = Change(
        action="edit",
        actor=author,
        to_status=TRANSITIONS[draft.status]["edit"],
        reason=revision.note,
        detail={"version": draft.version + 1},
        revision=revision,
    )
    return store.apply(draft, change)


def decide(
    store: Store,
    action: str,
    draft_id: str,
    actor: str,
    reason: str | None = None,
    expected_version: int | None = None,
) -> StoredDraft:
    """A reviewer's decision (`DECISIONS`: approve, reject, reopen) on the draft as it stands,
    at the version they read when given."""
    rule = DECISIONS[action]
    actor = _required(actor, "actor")
    path = rule.reason_path
    reason = _required(reason, path) if rule.reason_required else _optional(reason, path)
    draft = _current(store, draft_id, action, expected_version)
    change = Change(
        action=action,
        actor=actor,
        to_status=TRANSITIONS[draft.status][action],
        reason=reason,
        detail=rule.detail(draft, reason),
    )
    return store.apply(draft, change)


def approve(
    store: Store,
    draft_id: str,
    actor: str,
    override_reason: str | None = None,
    expected_version: int | None = None,
) -> StoredDraft:
    """Approve; refused while a must check fails, unless `override_reason` says why."""
    return decide(store, "approve", draft_id, actor, override_reason, expected_version)


def check_override_reason(reason: str) -> str:
    """The reason, if it says why in words; else InvalidInput. The one rule for the API, the
    CLI and the page: a "." or "ok" must not wave seven must checks through unread."""
    reason = reason.strip()
    if len(reason) < OVERRIDE_MIN_CHARS or len(re.findall(r"[^\W_]{2,}", reason)) < 2:
        rule = (
            f"say why it is safe to send despite the failing checks, in at least"
            f" {OVERRIDE_MIN_CHARS} characters and two words"
        )
        raise InvalidInput([Problem("override_reason", rule)], f"Not approved: {rule}.")
    return reason


def reject(
    store: Store, draft_id: str, actor: str, reason: str, expected_version: int | None = None
) -> StoredDraft:
    return decide(store, "reject", draft_id, actor, reason, expected_version)


def reopen(
    store: Store,
    draft_id: str,
    actor: str,
    reason: str | None = None,
    expected_version: int | None = None,
) -> StoredDraft:
    """Back to draft: a rejected draft gets another chance, an approval is withdrawn."""
    return decide(store, "reopen", draft_id, actor, reason, expected_version)


def mark_sent(
    store: Store,
    draft_id: str,
    actor: str,
    message_id: str | None = None,
    expected_version: int | None = None,
    *,
    done: str | None = None,
) -> StoredDraft:
    """The approved draft went out (an email's Message-ID), or the call or meeting took place
    (`done` says so in the audit log: nothing was emailed)."""
    actor = _required(actor, "actor")
    draft = _current(store, draft_id, "send", expected_version)
    detail = {"message_id": message_id} if message_id else {"done": done} if done else None
    change = Change(
        action="send",
        actor=actor,
        to_status=TRANSITIONS[draft.status]["send"],
        detail=detail,
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
    step_to(draft.id, draft.status, action)
    return draft


def _under(prefix: str, path: str) -> str:
    return f"{prefix}.{path}" if path and not path.startswith("[") else prefix + path


def _optional(text: str | None, path: str = "note") -> str | None:
    """Audit text (actors, reasons, notes) as stored: refused with a control character in it,
    whichever face it came through (the API's models check it first, with the same words)."""
    if text is not None and (problem := text_problem(text)):
        raise InvalidInput([Problem(path, problem)])
    return text.strip() or None if text is not None else None


def _required(text: str | None, path: str) -> str:
    value = _optional(text, path)
    if value is None:
        raise InvalidInput([Problem(path, "required: must not be empty")])
    return value
