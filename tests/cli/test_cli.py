"""The `pitchgen` command line, checked on its exact output and exit codes."""

from __future__ import annotations

import gc
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pitchgen import __version__
from pitchgen.ask import load_ask
from pitchgen.cli import main

SUMMIT = Path(__file__).resolve().parents[2] / "fixtures" / "asks" / "summit-venue.yaml"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_draft_prints_every_channel_as_json_with_the_contract_shape(capsys):
    code, out, _ = run(capsys, "draft", str(SUMMIT), "--format", "json", "--llm", "off")
    result = json.loads(out)
    assert code == 0
    assert set(result) == {"ask_id", "recommended_channel", "warnings", "drafts"}
    assert [d["channel"] for d in result["drafts"]] == ["email", "call_script", "meeting_agenda"]
    for draft in result["drafts"]:
        assert draft["source"] == "template"
        assert draft["fallback_reason"] == "llm_off"
        assert draft["status"] == "draft" and draft["version"] == 1
        assert all(c["passed"] for c in draft["checks"] if c["level"] == "must")
    assert result["recommended_channel"]["channel"] == "email"


def test_without_a_model_configured_auto_mode_says_so(capsys):
    _, out, _ = run(capsys, "draft", str(SUMMIT), "--format", "json")
    assert {d["fallback_reason"] for d in json.loads(out)["drafts"]} == {"llm_not_configured"}


def test_channel_narrows_the_drafts(capsys):
    _, out, _ = run(capsys, "draft", str(SUMMIT), "-f", "json", "--channel", "call_script")
    assert [d["channel"] for d in json.loads(out)["drafts"]] == ["call_script"]


def test_text_output_shows_the_draft_and_its_checks(capsys):
    code, out, _ = run(capsys, "draft", str(SUMMIT), "--channel", "email", "--llm", "off")
    assert code == 0
    assert out.startswith("Lead with the email: ")
    assert "Subject: " in out
    assert "✓ names_partner (must): " in out


def test_markdown_output_has_a_section_per_draft(capsys):
    _, out, _ = run(capsys, "draft", str(SUMMIT), "--format", "markdown", "--llm", "off")
    assert [line for line in out.splitlines() if line.startswith("# ")] == [
        "# Email",
        "# Call script",
        "# Meeting agenda",
    ]


def test_out_writes_one_file_per_draft(capsys, tmp_path: Path):
    code, out, _ = run(capsys, "draft", str(SUMMIT), "--out", str(tmp_path / "d"), "-f", "markdown")
    assert code == 0
    names = sorted(p.name for p in (tmp_path / "d").iterdir())
    assert names == ["call_script.md", "email.md", "meeting_agenda.md"]
    assert out.splitlines() == [
        str(tmp_path / "d" / n) for n in ("email.md", "call_script.md", "meeting_agenda.md")
    ]


def test_invalid_input_exits_2_and_lists_every_problem(capsys, tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SUMMIT.read_text().replace("2027-01-15", "2027-02-30").replace("warm", "loud"))
    code, out, err = run(capsys, "draft", str(bad))
    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        "error: 3 problems in the input",
        "  timeline[0].date: not a date: '2027-02-30' (use YYYY-MM-DD)",
        "  respond_by: not a date: '2027-02-30' (use YYYY-MM-DD)",
        "  tone: must be one of 'formal', 'warm' or 'concise' (got 'loud')",
    ]


def test_a_missing_file_is_invalid_input(capsys, tmp_path: Path):
    code, _, err = run(capsys, "draft", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "cannot read" in err and "No such file" in err


def test_an_unknown_option_is_a_usage_error(capsys):
    code, _, err = run(capsys, "draft", str(SUMMIT), "--channel", "fax")
    assert code == 2
    assert "fax" in err


def test_recommend_prints_the_channel_and_the_reason(capsys):
    code, out, _ = run(capsys, "recommend", str(SUMMIT))
    assert code == 0
    assert out.startswith("email: a small, well-defined ask that costs Main Street")


def test_version(capsys):
    assert run(capsys, "--version")[:2] == (0, f"pitchgen {__version__}\n")


@pytest.mark.parametrize("command", [[], ["draft"], ["recommend"]])
def test_help_everywhere(capsys, command: list[str]):
    code, out, _ = run(capsys, *command, "--help")
    assert code == 0
    assert "Usage: " in out


def test_the_installed_command_reads_stdin_and_never_shows_a_traceback():
    ok = subprocess.run(
        [sys.executable, "-m", "pitchgen", "draft", "-", "-f", "json", "--llm", "off"],
        input=SUMMIT.read_bytes(),
        capture_output=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert len(json.loads(ok.stdout)["drafts"]) == 3
    bad = subprocess.run(
        [sys.executable, "-m", "pitchgen", "draft", "-"],
        input=b"sender: [",
        capture_output=True,
        check=False,
    )
    assert bad.returncode == 2
    assert b"Traceback" not in bad.stderr
    assert bad.stderr.startswith(b"error: 1 problem in the input\n  not valid YAML at line 1")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_at_a_terminal_each_draft_is_a_panel_with_its_checks():
    from pitchgen.cli.output import write
    from pitchgen.drafting.pipeline import draft
    from pitchgen.settings import Settings

    ask = load_ask(SUMMIT)
    hostile = ask.model_copy(
        update={"project": ask.project.model_copy(update={"name": "[bold]Summit[/bold]"})}
    )
    screen = Terminal()
    write(screen, draft(hostile, ["email"], settings=Settings(llm="off")), "text")
    shown = re.sub(r"\x1b\[[0-9;]*m", "", screen.getvalue())  # colours aside
    assert "╭─ Email · template (llm_off)" in shown
    assert "✓ names_partner (must)" in shown
    assert "[bold]Summit[/bold]" in shown  # text from the ask is never read as markup


@pytest.fixture
def collector_at_draft(monkeypatch) -> list[bool]:
    """Whether the collector ran when the service was asked to draft, each time it was (the
    drafts themselves written from the templates)."""
    from pitchgen.service import Service

    seen: list[bool] = []
    real = Service.draft

    def draft(self, ask, channels=None, *, llm=None):
        seen.append(gc.isenabled())
        return real(self, ask, channels, llm="off")

    monkeypatch.setattr(Service, "draft", draft)
    return seen


@pytest.mark.parametrize(("mode", "collecting"), [("off", False), ("replay", True)])
def test_the_collector_waits_while_a_draft_loads_but_not_through_model_calls(
    capsys, collector_at_draft, mode: str, collecting: bool
):
    code, _, _ = run(capsys, "draft", str(SUMMIT), "--llm", mode, "--no-save")
    assert (code, collector_at_draft) == (0, [collecting])
    assert gc.isenabled()


def test_a_collector_the_caller_paused_stays_paused(capsys, collector_at_draft):
    gc.disable()
    try:
        code, _, _ = run(capsys, "draft", str(SUMMIT), "--llm", "replay", "--no-save")
        assert (code, collector_at_draft, gc.isenabled()) == (0, [False], False)
    finally:
        gc.enable()
