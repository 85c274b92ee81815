"""The `pitchgen` command line: a thin shell over the library.

Errors become exit codes here and nowhere else: 0 success (template fallback included),
2 invalid input (every problem on stderr), 1 anything else, always with a one-line reason;
`pitchgen check` adds 3, a draft that fails a must check.
Heavy libraries (openai, SQLAlchemy, FastAPI, rich) are imported inside the commands that need
them, so `pitchgen draft --llm off` starts about as fast as the templates allow.
"""

from __future__ import annotations

import os
import sys

import typer

from pitchgen import __version__
from pitchgen.errors import InvalidInput, PitchgenError

__all__ = ["app", "main"]

app = typer.Typer(
    name="pitchgen",
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


def _register() -> None:
    from pitchgen.cli import draft
    from pitchgen.cli.batch import batch_app, worker_command
    from pitchgen.cli.check import check_command
    from pitchgen.cli.db import db_app
    from pitchgen.cli.fixtures import fixtures_app
    from pitchgen.cli.follow import follow_app
    from pitchgen.cli.partners import partners_app
    from pitchgen.cli.review import review_app
    from pitchgen.cli.serve import serve_command

    app.command("draft")(draft.draft_command)
    app.command("recommend")(draft.recommend_command)
    app.command("check")(check_command)
    app.add_typer(review_app, name="review")
    app.add_typer(db_app, name="db")
    app.add_typer(fixtures_app, name="fixtures")
    app.add_typer(partners_app, name="partners")
    app.add_typer(follow_app, name="follow")
    app.command("serve")(serve_command)
    app.add_typer(batch_app, name="batch")
    app.command("worker")(worker_command)


_register()


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
