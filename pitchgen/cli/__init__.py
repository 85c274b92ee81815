"""The `pitchgen` command line: a thin shell over the library.

Errors become exit codes here and nowhere else: 0 success (template fallback included),
2 invalid input (every problem on stderr), 1 anything else, always with a one-line reason;
`pitchgen check` adds 3, a draft that fails a must check.
Each command's module is imported when that command runs, and heavy libraries (openai,
SQLAlchemy, FastAPI, rich) inside the commands that need them, so `pitchgen draft --llm off`
starts about as fast as the templates allow.
"""

from __future__ import annotations

import importlib
import os
import sys

import typer
from typer.core import TyperCommand, TyperGroup

from pitchgen import __version__
from pitchgen.errors import InvalidInput, PitchgenError

__all__ = ["app", "main"]

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


def report(error: PitchgenError) -> int:
    """Print `error` for a person (one line, then every input problem); return its exit code."""
    if isinstance(error, InvalidInput):
        print(f"error: {error.message}", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
    else:
        print(f"error: {error.message}", file=sys.stderr)
    return error.exit_code


def main(argv: list[str] | None = None) -> int:
    try:
        # Outside standalone mode, click hands back a command's exit code instead of exiting.
        code = app(args=argv, standalone_mode=False)
    except PitchgenError as error:
        return report(error)
    except typer.Exit as done:
        return done.exit_code
    except typer.TyperException as exc:  # usage errors: a bad option or a missing argument
        print(f"error: {exc.format_message()}", file=sys.stderr)
        return exc.exit_code
    except typer.Abort:
        print("error: aborted", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: a reason, never a traceback
        if os.environ.get("PITCHGEN_DEBUG"):
            raise
        print(f"error: unexpected {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return code if isinstance(code, int) else 0
