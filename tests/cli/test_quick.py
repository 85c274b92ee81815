"""The common `pitchgen draft` call read without typer (`pitchgen.cli.quick`) reads as typer
reads it, and leaves every other call to typer."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from pitchgen.cli import drafting
from pitchgen.cli.quick import FLAGS, VALUED, draft_arguments

ROOT = Path(__file__).resolve().parents[2]
ASK = "fixtures/asks/summit-venue.yaml"

READ_HERE = [
    ["draft", ASK],
    ["draft", "-"],
    ["draft", ASK, "--llm", "off", "--no-save"],
    ["draft", "--llm", "off", ASK, "--format", "json"],
    ["draft", ASK, "-f", "markdown", "--save"],
    ["draft", ASK, "-c", "email", "--channel", "meeting_agenda", "-c", "email"],
    ["draft", ASK, "--partner", "p-1", "--llm", "replay"],
]
LEFT_TO_TYPER = [
    ["draft"],
    ["draft", "--help"],
    ["draft", ASK, "-h"],
    ["draft", ASK, "--llm=off"],
    ["draft", ASK, "--out", "drafts"],
    ["draft", ASK, "--llm", "OFF"],
    ["draft", ASK, "--llm"],
    ["draft", ASK, "--format", "html"],
    ["draft", ASK, "--channel", "fax"],
    ["draft", ASK, "--llm", "off", "--llm", "auto"],
    ["draft", ASK, "--save", "--no-save"],
    ["draft", ASK, "--partner", "--no-save"],
    ["draft", ASK, "other.yaml"],
    ["draft", ASK, "--"],
    ["draft", ASK, "-cemail"],
    ["draft", ASK, "--no-such-option"],
    ["recommend", ASK],
    ["--version"],
    [],
]


def typer_reading(argv: list[str], monkeypatch) -> dict:
    """The arguments typer hands `drafting.draft` for `argv`."""
    from pitchgen.cli.app import app

    seen: dict = {}
    parameters = list(inspect.signature(drafting.draft).parameters)
    monkeypatch.setattr(drafting, "draft", lambda *a: seen.update(zip(parameters, a, strict=True)))
    app(args=argv, standalone_mode=False)
    return seen


@pytest.mark.parametrize("argv", READ_HERE, ids=" ".join)
def test_a_common_call_reads_as_typer_reads_it(argv, monkeypatch):
    assert draft_arguments(argv) == typer_reading(argv, monkeypatch)


@pytest.mark.parametrize("argv", LEFT_TO_TYPER, ids=" ".join)
def test_any_other_call_is_left_to_typer(argv):
    assert draft_arguments(argv) is None


def test_the_options_read_here_are_those_draft_declares():
    from pitchgen.cli.draft import draft_command

    declared = {}
    for name, default in inspect.signature(draft_command).parameters.items():
        for flag in default.default.param_decls or ():
            for part in flag.split("/"):
                declared[part] = name
    read = {flag: name for flag, (name, _) in VALUED.items()}
    read |= {flag: name for flag, (name, _) in FLAGS.items()}
    assert read == {flag: name for flag, name in declared.items() if flag not in ("--out", "-o")}


def test_a_common_draft_loads_neither_typer_nor_click():
    script = (
        "import sys\nfrom pitchgen.cli import main\n"
        f"assert main(['draft', {ASK!r}, '--llm', 'off', '--no-save', '-c', 'email']) == 0\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'typer', 'click'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert "Subject: " in done.stdout
    assert done.stdout.rstrip().endswith("[]")
