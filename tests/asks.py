"""The shared example asks, for tests that vary one of them."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from pitchgen.ask import Ask, validate_ask

EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "asks"


def make_ask(example: str, **sections: dict) -> Ask:
    """A shared example, with some fields of its top-level sections replaced."""
    text = (EXAMPLES / example).read_text()
    data = json.loads(text) if example.endswith(".json") else yaml.safe_load(text)
    for section, changes in sections.items():
        data[section] = {**data.get(section, {}), **changes}
    return validate_ask(data)
