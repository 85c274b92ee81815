"""`pitchgen draft` and `pitchgen recommend`."""

from __future__ import annotations

from pathlib import Path

import typer

from pitchgen.ask import Channel, load_ask
from pitchgen.cli import drafting
from pitchgen.cli.drafting import Format
from pitchgen.settings import LLMMode

__all__ = ["Format", "draft_command", "recommend_command"]

ASK_HELP = "The ask as a YAML or JSON file ('-' reads standard input)."


def draft_command(
    ask_file: str = typer.Argument(..., metavar="ASK_FILE", help=ASK_HELP),
    channel: list[Channel] | None = typer.Option(
        None, "--channel", "-c", help="Draft only this channel (repeatable)."
    ),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    out: Path | None = typer.Option(
        None, "--out", "-o", file_okay=False, help="Write one file per draft into this folder."
    ),
    llm: LLMMode | None = typer.Option(
        None, "--llm", help="Model mode (default: PITCHGEN_LLM, else auto)."
    ),
    save: bool = typer.Option(
        True, "--save/--no-save", help="Store the drafts for review (PITCHGEN_DATABASE_URL)."
    ),
    partner: str | None = typer.Option(
        None,
        "--partner",
        metavar="ID",
        help="Take the partner block from the directory (see `pitchgen partners list`).",
    ),
) -> None:
    """Draft the ask for each channel, check every draft, print them, and store them."""
    drafting.draft(ask_file, channel, fmt, out, llm, save, partner)


def recommend_command(
    ask_file: str = typer.Argument(..., metavar="ASK_FILE", help=ASK_HELP),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
) -> None:
    """Say which channel to lead with for this ask, and why."""
    from pitchgen.service import Service

    choice = Service.recommend(load_ask(ask_file))
    if fmt is Format.json:
        print(choice.model_dump_json(indent=2))
    else:
        print(f"{choice.channel.value}: {choice.reason}")
