"""A draft's review status and the moves between statuses, in one table.

draft → approved → sent, or rejected (and reopened to draft). An edit of an approved draft
returns it to draft: the approval was given to the old text. An approved draft can be
withdrawn (reopen) or rejected when plans change; a sent one is final. A failed send attempt
keeps it approved. The store writes what this table allows; nothing else decides it.
"""

from __future__ import annotations

from typing import Literal, get_args

from pitchgen.errors import Conflict

__all__ = ["STATUSES", "TRANSITIONS", "IllegalTransition", "Status", "allowed_actions", "step_to"]

Status = Literal["draft", "approved", "rejected", "sent"]
STATUSES: tuple[Status, ...] = get_args(Status)

# status → {action: the status it leads to}
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


def step_to(draft_id: str, status: Status, action: str) -> Status:
    """The status `action` leads to from `status`; IllegalTransition when it is not allowed."""
    if action not in TRANSITIONS[status]:
        raise IllegalTransition(draft_id, status, action)
    return TRANSITIONS[status][action]
