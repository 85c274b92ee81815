"""The ask: pitchgen's input (shared/spec/ask.md), everything else starts from it.

Owns the ask model (`model`), the types of its fields with their limits and checks
(`fieldtypes`), reading a YAML or JSON document from outside safely (`reading`), and the
warnings for an ask that is valid but vague (`model`).
May import: `pitchgen.errors` and `pitchgen.patterns` only. Its names are re-exported here,
as the one public surface every other part uses (`from pitchgen.ask import Ask, Channel`).
"""

from pitchgen.ask.model import (
    ISO_4217,
    LIST_LIMIT,
    NAME_LIMIT,
    TEXT_LIMIT,
    Ask,
    Benefit,
    BenefitType,
    Budget,
    Channel,
    Meeting,
    Milestone,
    Need,
    NeedType,
    Partner,
    Project,
    Sender,
    Tone,
    load_ask,
    parse_ask,
    vagueness_warnings,
    validate_ask,
)
from pitchgen.ask.reading import MAX_DOCUMENT_BYTES, read_document

__all__ = [
    "ISO_4217",
    "LIST_LIMIT",
    "MAX_DOCUMENT_BYTES",
    "NAME_LIMIT",
    "TEXT_LIMIT",
    "Ask",
    "Benefit",
    "BenefitType",
    "Budget",
    "Channel",
    "Meeting",
    "Milestone",
    "Need",
    "NeedType",
    "Partner",
    "Project",
    "Sender",
    "Tone",
    "load_ask",
    "parse_ask",
    "read_document",
    "vagueness_warnings",
    "validate_ask",
]
