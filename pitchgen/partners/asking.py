"""An ask whose partner block comes from the directory: `pitchgen draft ASK --partner ID` and
`POST /v1/drafts` with a `partner_id` take the ask without one (or with one to replace)."""

from __future__ import annotations

from typing import Any

from pitchgen.ask import Ask, Partner, validate_ask
from pitchgen.partners.model import PartnerFields, identity

__all__ = ["PLACEHOLDER", "for_partner", "for_ranking"]

# Stands in for the partner while an ask is only ranked, or until the directory's block is put in.
PLACEHOLDER = {"organization": "Partner from the directory"}
# How a draft addresses the partner: the ask's own choice, kept for the same organization.
_OWN = ("greet_as", "short_name")


def _with_partner(data: Any, block: dict) -> Any:
    if not isinstance(data, dict):
        return data  # validate_ask names the problem
    return {**data, "partner": block}


def for_ranking(data: Any) -> Ask:
    """The ask to rank partners for: its partner block, if any, is not needed."""
    if isinstance(data, dict) and data.get("partner") is None:
        data = _with_partner(data, PLACEHOLDER)
    return validate_ask(data)


def for_partner(data: Any, entry: PartnerFields) -> Ask:
    """The ask with `entry`'s partner block; `greet_as` and `short_name` the ask gives for the
    same organization are kept."""
    sender = data.get("sender") if isinstance(data, dict) else None
    sender_org = sender.get("organization") if isinstance(sender, dict) else None
    block = entry.block(sender_org if isinstance(sender_org, str) else None)
    fields = block.model_dump(mode="json", exclude_none=True)
    own = data.get("partner") if isinstance(data, dict) else None
    if isinstance(own, dict) and identity(str(own.get("organization", ""))) == entry.key:
        fields |= {k: own[k] for k in _OWN if own.get(k)}
    return validate_ask(_with_partner(data, fields))


def is_placeholder(partner: Partner) -> bool:
    return partner.organization == PLACEHOLDER["organization"]
