"""The typer application of `pitchgen`: every command, each module imported when its command
runs (or --help lists it). `pitchgen.cli.main` builds it for any call but the common draft
(`pitchgen.cli.quick`)."""

from __future__ import annotations

import importlib

import typer
from typer.core import TyperCommand, TyperGroup

from pitchgen import __version__

__all__ = ["COMMANDS", "app"]

# Each command by the module that holds it, imported only when the command runs (or --help lists
# it): `pitchgen draft` loads none of the others, nor builds their options.
COMMANDS = {
    "draft": ("pitchgen.cli.draft", "draft_command"),
    "recommend": ("pitchgen.cli.draft", "recommend_command"),
    "check": ("pitchgen.cli.check", "check_command"),
    "serve": ("pitchgen.cli.serve", "serve_command"),
    "worker": ("pitchgen.cli.batch", "worker_command"),
    "review": ("pitchgen.cli.review", "review_app"),
    "db": ("pitchgen.cli.db", "db_app"),
    "fixtures": ("pitchgen.cli.fixtures", "fixtures_app"),
    "partners": ("pitchgen.cli.partners", "partners_app"),
    "follow": ("pitchgen.cli.follow", "follow_app"),
    "batch": ("pitchgen.cli.batch", "batch_app"),
}


class _Commands(TyperGroup):
    def list_commands(self, ctx: typer.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: typer.Context, cmd_name: str) -> TyperCommand | TyperGroup | None:
        return _command(cmd_name)


app = typer.Typer(
    name="pitchgen",
    cls=_Commands,
    help="Draft coalition pitches (email, call script, meeting agenda) from a structured ask.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"pitchgen {__version__}")
        raise typer.Exit


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Draft coalition pitches from a structured ask, check them, and review them."""


def _command(name: str) -> TyperCommand | TyperGroup | None:
    """The command `name`, its module imported now; its options are those it declares."""
    if name not in COMMANDS:
        return None
    module, attribute = COMMANDS[name]
    target = getattr(importlib.import_module(module), attribute)
    holder = typer.Typer()
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    else:
        holder.command(name)(target)
    return typer.main.get_group(holder).commands[name]
