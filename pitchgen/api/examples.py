"""Request examples for the OpenAPI schema: the shared example asks, as a client would send them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pitchgen.ask import Channel, load_ask, validate_ask
from pitchgen.drafting.fallback import render_content

__all__ = ["ASK_EXAMPLES", "CHECK_EXAMPLES", "EDIT_EXAMPLES"]

_PACKAGE = Path(__file__).resolve().parent.parent
# A wheel carries them as pitchgen/_examples; a source checkout as fixtures/asks.
_FOLDERS = (_PACKAGE / "_examples", _PACKAGE.parent / "fixtures" / "asks")


def _asks() -> dict[str, Any]:
    folder = next((f for f in _FOLDERS if f.is_dir()), None)
    if folder is None:
        return {}
    examples = {}
    for path in sorted(folder.glob("*.*")):
        ask = load_ask(path).model_dump(mode="json", exclude_none=True)
        examples[path.stem] = {
            "summary": f"{ask['need']['type']}: {ask['project']['name']}",
            "value": {"ask": ask},
        }
    return examples


def _checks(asks: dict[str, Any]) -> dict[str, Any]:
    # The template's own email for the first example ask: a draft every check passes, shaped
    # as a client sends one it wrote.
    if not asks:
        return {}
    name, example = next(iter(asks.items()))
    ask = example["value"]["ask"]
    content = render_content(validate_ask(ask), Channel.email).model_dump(mode="json")
    return {
        name: {
            "summary": f"An email for {example['summary']}",
            "value": {"ask": ask, "channel": "email", "content": content},
        }
    }


ASK_EXAMPLES = _asks()
CHECK_EXAMPLES = _checks(ASK_EXAMPLES)
EDIT_EXAMPLES = {
    "email": {
        "summary": "An edited email, against the version read",
        "value": {
            "content": {
                "subject": "A room for the Main Street Licensing Summit on March 4",
                "body": "Dear Marcus, …",
            },
            "version": 1,
            "note": "Shorter subject",
            "author": "Ava Thompson",
        },
    }
}
