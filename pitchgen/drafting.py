"""Drafting: one ask in, a checked draft per channel out.

Every channel is drafted from the templates unless a model is configured; a model's draft
that fails replaces itself with the template draft and says why (`fallback_reason`), so a
draft always comes out.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from pitchgen import fallback, render
from pitchgen.ask import Ask, Channel, vagueness_warnings
from pitchgen.checks import run_checks
from pitchgen.models import Draft, DraftSet, FallbackReason, Warning
from pitchgen.recommend import recommend
from pitchgen.settings import LLMMode, Settings
from pitchgen.templating import template_hash

__all__ = ["draft", "new_id", "ordered_channels", "template_draft"]


def new_id() -> str:
    return str(uuid.uuid4())


def ordered_channels(ask: Ask, channels: Iterable[Channel | str] | None = None) -> list[Channel]:
    """The channels to draft, in the contract's order, each once."""
    wanted = {Channel(c) for c in channels} if channels else set(ask.channels)
    return [c for c in Channel if c in wanted]


def template_draft(ask: Ask, channel: Channel, reason: FallbackReason) -> Draft:
    content = fallback.render_content(ask, channel)
    text = render.to_text(content)
    return Draft(
        id=new_id(),
        channel=channel,
        source="template",
        fallback_reason=reason,
        model=None,
        prompt_version=template_hash(*fallback.template_names(channel)),
        content=content.model_dump(mode="json"),
        text=text,
        checks=run_checks(ask, content, text),
    )


def _template_reason(mode: LLMMode, settings: Settings) -> FallbackReason:
    if mode == "off":
        return "llm_off"
    return "llm_not_configured"


def draft(
    ask: Ask,
    channels: Iterable[Channel | str] | None = None,
    *,
    settings: Settings,
    llm: LLMMode | None = None,
) -> DraftSet:
    """Draft `ask` for `channels` (default: the ask's own), checked, ready for review."""
    mode = llm or settings.llm
    reason = _template_reason(mode, settings)
    return DraftSet(
        ask_id=new_id(),
        recommended_channel=recommend(ask),
        warnings=[Warning(path=w.path, message=w.message) for w in vagueness_warnings(ask)],
        drafts=[template_draft(ask, ch, reason) for ch in ordered_channels(ask, channels)],
    )
