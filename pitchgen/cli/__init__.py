"""The `pitchgen` command line: a thin shell over the library.

Errors become exit codes here and nowhere else: 0 success (template fallback included),
2 invalid input (every problem on stderr), 1 anything else, always with a one-line reason;
`pitchgen check` adds 3, a draft that fails a must check.
Each command's module is imported when that command runs, and heavy libraries (openai,
SQLAlchemy, FastAPI, rich) inside the commands that need them, so `pitchgen draft --llm off`
starts about as fast as the templates allow. The common draft call is read without typer
(`quick`); every other call, help and usage errors included, goes through typer (`app`).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from pitchgen.errors import InvalidInput, PitchgenError

__all__ = ["app", "main"]


def __getattr__(name: str) -> Any:
    # `app`, the typer application, is built only when a call needs it (pitchgen.cli.app).
    if name == "app":
        from pitchgen.cli.app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
        code = _run(sys.argv[1:] if argv is None else list(argv))
    except PitchgenError as error:
        return report(error)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        return _failed(exc)
    return code if isinstance(code, int) else 0


def _run(argv: list[str]) -> Any:
    """Run the call: the common draft without typer (`quick`), any other through typer."""
    from pitchgen.cli.quick import draft_arguments

    arguments = draft_arguments(argv)
    if arguments is not None:
        from pitchgen.cli.drafting import draft
        from pitchgen.loading import lasting

        # One draft, then the process ends: the collector waits, as while the CLI loads.
        with lasting():
            return draft(**arguments)
    from pitchgen.cli.app import app

    # Outside standalone mode, click hands back a command's exit code instead of exiting.
    return app(args=argv, standalone_mode=False)


def _failed(exc: Exception) -> int:
    """The exit code for what a command raised; typer's own exceptions exist only once a call
    went through typer."""
    typer = sys.modules.get("typer")
    if typer is not None and isinstance(exc, typer.Exit):
        return exc.exit_code
    if typer is not None and isinstance(exc, typer.TyperException):
        # Usage errors: a bad option or a missing argument.
        print(f"error: {exc.format_message()}", file=sys.stderr)
        return exc.exit_code
    if typer is not None and isinstance(exc, typer.Abort):
        print("error: aborted", file=sys.stderr)
        return 1
    # The last line of defence: a reason, never a traceback.
    if os.environ.get("PITCHGEN_DEBUG"):
        raise exc
    print(f"error: unexpected {type(exc).__name__}: {exc}", file=sys.stderr)
    return 1
