"""`pitchgen check`: the rubric on a draft written anywhere, from a file."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from pitchgen.ask import load_ask
from pitchgen.errors import InvalidInput, Problem

__all__ = ["check_command"]

# Every must check passes: 0; one fails: 3 (2 stays invalid input, 1 any other failure).
EXIT_MUST_FAILED = 3


class Format(StrEnum):
    text = "text"
    json = "json"


def _read(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise InvalidInput([Problem("", f"cannot read {source}: {exc.strerror}")]) from None


def _in(error: InvalidInput, where: str) -> InvalidInput:
    """`error`, its message saying which of the two files its problems are in."""
    noun = "problem" if len(error.problems) == 1 else "problems"
    return InvalidInput(error.problems, f"{len(error.problems)} {noun} in {where}")


def check_command(
    ask_file: str = typer.Argument(
        ..., metavar="ASK_FILE", help="The ask as a YAML or JSON file ('-' reads standard input)."
    ),
    draft_file: str = typer.Argument(
        ...,
        metavar="DRAFT_FILE",
        help='The draft: JSON {"channel": …, "content": {…}}, or a plain-text email whose first'
        " line is 'Subject: …' ('-' reads standard input).",
    ),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
) -> None:
    """Run the rubric on a draft. Exit 0 when every must check passes, 3 when one fails."""
    from pitchgen.checks.report import read_draft
    from pitchgen.cli import output
    from pitchgen.service import Service

    if ask_file == "-" and draft_file == "-":
        raise InvalidInput([Problem("", "only one of ASK_FILE and DRAFT_FILE can be '-'")])
    try:
        ask = load_ask(ask_file)
    except InvalidInput as error:
        raise _in(error, f"the ask ({ask_file})") from None
    try:
        channel, content = read_draft(_read(draft_file))
        report = Service.check(ask, channel, content)
    except InvalidInput as error:
        raise _in(error, f"the draft ({draft_file})") from None
    output.write_report(sys.stdout, report, fmt.value)
    if not report.passed:
        raise typer.Exit(EXIT_MUST_FAILED)
