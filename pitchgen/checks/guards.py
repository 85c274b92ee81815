"""Output guards: what no draft may carry whoever wrote it, a model or a person, beside the
rubric: markup that would run, render or fetch something once the draft reaches an email, a
page or a reviewer's screen. The ask's own words are data, reproduced faithfully, so a finding
is confirmed on the text with them blanked out (the common, clean case never pays for that).
"""

from __future__ import annotations

import re
from functools import cache

from pitchgen import patterns
from pitchgen.ask import Ask
from pitchgen.checks.grounding import blank_ask_text

__all__ = ["unsafe_markup"]


# Any HTML tag (the channels are plain text), a javascript: link, a markdown image (a remote
# fetch when rendered). Compiled on first use: only a text with "<", "![" or "javascript" in it
# is searched, and few are.
@cache
def _unsafe() -> re.Pattern[str]:
    return patterns.compile(
        r"<\s*/?\s*[a-z][a-z0-9-]*(?:\s[^<>]*)?/?\s*>|javascript\s*:|!\[[^\]]*\]\(",
        re.IGNORECASE,
    )


_JAVASCRIPT = patterns.compile("javascript", re.IGNORECASE)


def _markup(text: str) -> re.Match[str] | None:
    if "<" not in text and "![" not in text and not _JAVASCRIPT.search(text):
        return None
    return _unsafe().search(text)


def unsafe_markup(ask: Ask, text: str) -> str | None:
    """The first piece of unsafe markup the draft itself writes, or None."""
    if _markup(text) and (found := _markup(blank_ask_text(ask, text))):
        return found.group(0)
    return None
