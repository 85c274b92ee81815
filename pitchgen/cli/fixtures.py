"""`pitchgen fixtures record|verify`: refresh the recorded LLM exchanges, and find the stale,
orphaned or missing ones (what those are, and the work: `pitchgen.service.recordings`).
"""

from __future__ import annotations

from pathlib import Path

import typer

from pitchgen.ask import Channel, load_ask

__all__ = ["fixtures_app"]

fixtures_app = typer.Typer(
    name="fixtures",
    help="Recorded LLM exchanges (fixtures/llm): record them again, or find stale ones.",
    no_args_is_help=True,
)

FIXTURES_HELP = "The fixtures folder (default: PITCHGEN_FIXTURES, else fixtures/llm)."


@fixtures_app.command("record")
def record_command(
    ask_files: list[Path] | None = typer.Argument(
        None, metavar="[ASK_FILE]...", help="Asks to draft (default: the shared examples)."
    ),
    channel: list[Channel] | None = typer.Option(
        None, "--channel", "-c", help="Record only this channel (repeatable)."
    ),
    fixtures: Path | None = typer.Option(None, "--fixtures", help=FIXTURES_HELP),
    everything: bool = typer.Option(
        False, "--all", help="Call the endpoint for every exchange, recorded or not."
    ),
) -> None:
    """Draft each ask through the live endpoint (OPENAI_BASE_URL, OPENAI_API_KEY,
    PITCHGEN_MODEL) and write every exchange, re-asks included. Exchanges already recorded
    are reused unless --all, so after a prompt or check change only the new ones are asked."""
    from pitchgen.cli.context import settings as read_settings
    from pitchgen.service import recordings

    settings = read_settings()
    folder = fixtures or settings.fixtures
    paths = ask_files or recordings.example_asks(folder)
    asks = [load_ask(p) for p in paths]
    done = recordings.record(settings, asks, channel, folder, everything=everything)
    for path, result in zip(paths, done.results, strict=True):
        for made in result.drafts:
            outcome = "llm" if made.source == "llm" else f"template ({made.fallback_reason})"
            typer.echo(f"{path.name} {made.channel.value}: {outcome}")
    typer.echo(
        f"wrote {done.written} fixture(s) to {folder}, reused {done.reused}"
        " (run `pitchgen fixtures verify --prune` to drop the ones no draft asks for now)"
    )


@fixtures_app.command("verify")
def verify_command(
    fixtures: Path | None = typer.Option(None, "--fixtures", help=FIXTURES_HELP),
    prune: bool = typer.Option(
        False, "--prune", help="Delete the stale and orphaned recordings (not synthetic ones)."
    ),
) -> None:
    """List stale fixtures (prompt changed), orphans, and the exchanges missing for the shared
    examples and every ask the fixtures hold. Exit 1 when any remains."""
    from pitchgen.cli.context import settings as read_settings
    from pitchgen.service import recordings

    settings = read_settings()
    folder = fixtures or settings.fixtures
    report = recordings.audit(settings, folder)
    typer.echo(f"{folder}: {len(report.fixtures)} fixture(s), {report.in_use} in use")
    found: list[str] = []
    flagged = [("stale", f) for f in report.stale] + [("orphan", f) for f in report.orphans]
    for kind, fixture in flagged:
        line = f"{kind}: {fixture.path.name}"
        if kind == "stale":
            current = recordings.current_version(fixture)
            line += f" (prompt {fixture.prompt_version}, now {current})"
        if prune and not fixture.synthetic:
            fixture.path.unlink()
            typer.echo(f"{line}: deleted")
            continue
        if fixture.synthetic:
            line += " (regenerate with `python tests/synthetic_fixtures.py`)"
        found.append(line)
    found += [f"missing: {message}" for message in report.missing]
    for line in found:
        typer.echo(line)
    if found:
        raise typer.Exit(1)
