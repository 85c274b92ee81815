"""The common `pitchgen draft` call read without typer: `draft ASK_FILE` with any of `--channel`
(`-c`), `--format` (`-f`), `--llm`, `--save`/`--no-save` and `--partner`, each value a whole
token. Typer and the click inside it cost a draft about a sixth of its start-up (its import,
and a pydantic adapter built per option), for what this reading does in a loop.

Anything else — help, `--out`, `--opt=value`, a repeated option, a value that is not one of
the choices, a value or a second argument starting with `-` — is not read here: typer reads it,
with its own messages. tests/cli/test_quick.py checks that both readings agree, and that the
options here are the ones `pitchgen.cli.draft` declares.
"""

from __future__ import annotations

from typing import Any, get_args

from pitchgen.ask import Channel
from pitchgen.cli.drafting import Format
from pitchgen.settings import LLMMode

__all__ = ["FLAGS", "VALUED", "draft_arguments"]

_CHANNEL = ("channel", lambda v: Channel(v) if v in Channel._value2member_map_ else None)
_FORMAT = ("fmt", lambda v: Format(v) if v in Format._value2member_map_ else None)
# Each option taking a value: its parameter and how a token becomes that value (None: not one).
VALUED: dict[str, tuple[str, Any]] = {
    "--channel": _CHANNEL, "-c": _CHANNEL, "--format": _FORMAT, "-f": _FORMAT,
    "--llm": ("llm", lambda v: v if v in get_args(LLMMode) else None),
    "--partner": ("partner", lambda v: v),
}  # fmt: skip
FLAGS = {"--save": ("save", True), "--no-save": ("save", False)}
_DEFAULTS = {"fmt": Format.text, "out": None, "llm": None, "save": True, "partner": None}


def draft_arguments(argv: list[str]) -> dict[str, Any] | None:
    """The arguments of `pitchgen.cli.drafting.draft` for `argv`, or None: typer reads it."""
    if len(argv) < 2 or argv[0] != "draft":
        return None
    given: dict[str, Any] = {}
    channels: list[Channel] = []
    files: list[str] = []
    tokens = iter(argv[1:])
    for word in tokens:
        if word in FLAGS:
            name, value = FLAGS[word]
        elif word in VALUED:
            name, read = VALUED[word]
            raw = next(tokens, None)
            value = None if raw is None or raw.startswith("-") else read(raw)
            if value is None:
                return None
            if name == "channel":
                channels.append(value)
                continue
        elif word == "-" or not word.startswith("-"):
            files.append(word)
            continue
        else:
            return None
        if name in given:
            return None
        given[name] = value
    if len(files) != 1:
        return None
    return {"ask_file": files[0], "channel": channels or None, **_DEFAULTS, **given}
