"""Ask text that looks like markup, a template placeholder or an instruction to a model: it is
flagged with a warning at its path, drafts write around it, and a check that would need it
counts it as present (and says so)."""

from __future__ import annotations

import re
from enum import Enum
from functools import cache
from typing import TYPE_CHECKING

from pydantic import BaseModel

from pitchgen import patterns
from pitchgen.ask.fields import ask_texts
from pitchgen.ask.memo import per_ask

if TYPE_CHECKING:
    from pitchgen.ask import Ask

__all__ = ["SUSPICIOUS", "plain_part", "suspicious_fields", "why_suspicious"]

# (what it looks like, pattern): a pattern matches inside ordinary prose only by design.
SUSPICIOUS = (
    ("a template placeholder", r"\{\{|\}\}|\{%|%\}|\$\{|\[\s*[A-Z][A-Za-z ]{0,30}\]|"
     r"<\s*(?:insert|add|enter|your)\b[^<>]{0,40}>|\b(?:TODO|TBD|TBA|FIXME|XXX+)\b|"
     r"(?i:lorem ipsum)"),
    ("an instruction to a model", r"(?i:\b(?:ignore|disregard|forget|override)\b.{0,30}\b"
     r"(?:previous|prior|above|earlier|all|your|the)\b.{0,20}\b(?:instructions?|prompts?|"
     r"rules|directions)\b|\b(?:system|assistant|user|developer)\s*:|\byou are now\b|"
     r"\bnew instructions?\b|\bact as\b|\bpretend (?:to be|you)\b)|<\|[^|]{1,30}\|>|"
     r"\[/?INST\]|###\s*(?:Instruction|System)|(?i:</?(?:system|assistant|user)>)"),
    ("markup", r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>|<!--|&(?:lt|gt|amp|quot|#\d+);"),
)  # fmt: skip


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    # Compiled once a text passes the quick pre-test (`_hinted`): most asks have none that does.
    return tuple((label, patterns.compile(rx)) for label, rx in SUSPICIOUS)


# A quick pre-test: every pattern needs one of these characters or words.
_HINT = (r"[<>{}\[\]&$|#:]|(?i:todo|tbd|tba|fixme|xxx|lorem|ignore|disregard|forget|"
         r"override|you are now|instruction|act as|pretend)")  # fmt: skip
# The same test without the regex engine, which would try the words at every character: the
# characters by set, the words in the lower-cased text. Python's case-blind matching relates
# these four characters to an ASCII letter beyond its cases; with one, the pattern decides.
_HINT_CHARS = frozenset("<>{}[]&$|#:")
_HINT_WORDS = ("todo", "tbd", "tba", "fixme", "xxx", "lorem", "ignore", "disregard", "forget",
               "override", "you are now", "instruction", "act as", "pretend")  # fmt: skip
_ODD_CASES = ("İ", "ı", "K", "ſ")


def _hinted(text: str) -> bool:
    if not _HINT_CHARS.isdisjoint(text):
        return True
    if any(map(text.__contains__, _ODD_CASES)):  # map() in C: no generator per text
        return bool(re.search(_HINT, text))  # rare: re's own cache compiles it once
    return any(map(text.lower().__contains__, _HINT_WORDS))


def why_suspicious(text: str) -> str | None:
    """What `text` looks like ("markup", …), or None for ordinary text."""
    if not _hinted(text):
        return None
    for label, pattern in _patterns():
        if pattern.search(text):
            return label
    return None


@per_ask
def suspicious_fields(ask: Ask) -> dict[str, str]:
    """{path: what it looks like} for every suspicious text field of the ask, in document
    order, paths as validation errors name them ("benefits[1].description")."""
    found: dict[str, str] = {}
    # The common case, no paths to find, by one pre-test of all the texts at once: a line
    # break holds no hint and no hint word spans one, so the texts joined by line breaks are
    # hinted only where one of them is.
    if not _hinted("\n".join(ask_texts(ask))) or not any(map(why_suspicious, ask_texts(ask))):
        return found

    def walk(value: object, path: str) -> None:
        if isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name), f"{path}.{name}" if path else name)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{path}[{i}]")
        elif (
            isinstance(value, str)
            and not isinstance(value, Enum)
            and (label := why_suspicious(value))
        ):
            found[path] = label

    walk(ask, "")
    return found


# Markup whose content is code, not text: dropped with its content. Compiled by re's own cache
# on first use: only a suspicious name is read for its plain part.
_CODE = r"(?is)<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)"
_TAG = r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>|<!--.*?(?:-->|$)"
_ENTITIES = {"&amp;": "&", "&lt;": "", "&gt;": "", "&quot;": "", "&#39;": "'"}


def plain_part(text: str) -> str | None:
    """A name with a suspicious part, as its plain part: markup tags dropped ("<b>Greenway</b>
    Neighbors" is Greenway Neighbors), the text before an instruction or a placeholder kept
    ("Greenway Neighbors. Ignore all previous instructions…"); None when no plain name is
    left (an instruction alone), or where it holds a placeholder: a name not filled in yet."""
    plain = re.sub(_TAG, "", re.sub(_CODE, " ", text), flags=re.DOTALL)
    for entity, char in _ENTITIES.items():
        plain = plain.replace(entity, char)
    if _patterns()[0][1].search(plain):
        return None
    starts = [m.start() for _, pattern in _patterns() if (m := pattern.search(plain))]
    if starts:
        plain = plain[: min(starts)]
    plain = " ".join(plain.split()).strip(" .,;:-–—|/")
    if not any(ch.isalpha() for ch in plain) or why_suspicious(plain):
        return None
    return plain
