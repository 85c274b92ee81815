"""`pitchgen fixtures record|verify`: refresh the recorded LLM exchanges, and find the stale,
orphaned or missing ones.

A fixture is *stale* when the prompt templates changed since it was recorded, an *orphan*
when no current draft of its ask would send its request (the ask, a check's wording or a
request parameter changed), and *missing* when a current draft sends a request nothing
answers.
"""

from __future__ import annotations

from pathlib import Path

import typer

from pitchgen.ask import Ask, Channel, load_ask, validate_ask
from pitchgen.errors import ConfigError

__all__ = ["fixtures_app"]

fixtures_app = typer.Typer(
    name="fixtures",
    help="Recorded LLM exchanges (fixtures/llm): record them again, or find stale ones.",
    no_args_is_help=True,
)

FIXTURES_HELP = "The fixtures folder (default: PITCHGEN_FIXTURES, else fixtures/llm)."


def _default_asks(folder: Path) -> list[Path]:
    return sorted(p for p in (folder.parent / "asks").glob("*") if p.suffix in (".yaml", ".json"))


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
    import asyncio

    from pitchgen.cli.context import settings as read_settings
    from pitchgen.drafting.pipeline import adraft
    from pitchgen.llm.client import LLMClient
    from pitchgen.llm.recordings import FixtureStore

    settings = read_settings()
    if not settings.llm_configured:
        raise ConfigError("recording needs a live endpoint: set OPENAI_BASE_URL or OPENAI_API_KEY")
    folder = fixtures or settings.fixtures
    paths = ask_files or _default_asks(folder)
    asks = [load_ask(p) for p in paths]
    store = FixtureStore(folder)

    async def run():
        client = LLMClient(
            settings, mode="record", store=store, concurrency=4, reuse_recorded=not everything
        )
        async with client:
            return await asyncio.gather(
                *(adraft(a, channel or None, settings=settings, client=client) for a in asks)
            )

    for path, result in zip(paths, asyncio.run(run()), strict=True):
        for made in result.drafts:
            outcome = "llm" if made.source == "llm" else f"template ({made.fallback_reason})"
            typer.echo(f"{path.name} {made.channel.value}: {outcome}")
    typer.echo(
        f"wrote {len(store.written)} fixture(s) to {folder}, reused {len(store.served)}"
        " (run `pitchgen fixtures verify --prune` to drop the ones no draft asks for now)"
    )


def _fixture_asks(store, examples: list[Path]) -> dict[str, tuple[Ask, set[Channel]]]:

    from pitchgen.llm.recordings import ask_in_request

    found: dict[str, tuple[Ask, set[Channel]]] = {}
    for path in examples:
        ask = load_ask(path)
        found[ask.model_dump_json()] = (ask, set(ask.channels))
    for fixture in store.all():
        data = ask_in_request(fixture.request)
        if data is None:
            continue
        ask = validate_ask(data)
        found.setdefault(ask.model_dump_json(), (ask, set()))[1].add(Channel(fixture.channel))
    return found


@fixtures_app.command("verify")
def verify_command(
    fixtures: Path | None = typer.Option(None, "--fixtures", help=FIXTURES_HELP),
    prune: bool = typer.Option(
        False, "--prune", help="Delete the stale and orphaned recordings (not synthetic ones)."
    ),
) -> None:
    """List stale fixtures (prompt changed), orphans, and the exchanges missing for the shared
    examples and every ask the fixtures hold. Exit 1 when any remains."""
    import asyncio

    from pitchgen.cli.context import settings as read_settings
    from pitchgen.drafting.pipeline import adraft
    from pitchgen.llm.client import LLMClient
    from pitchgen.llm.prompts import prompt_version
    from pitchgen.llm.recordings import FixtureStore, miss_message

    settings = read_settings()
    folder = fixtures or settings.fixtures
    store = FixtureStore(folder)
    fixtures_now = store.all()
    stale = [f for f in fixtures_now if f.prompt_version != prompt_version(Channel(f.channel))]
    asks = _fixture_asks(store, _default_asks(folder))

    async def replay_all() -> None:
        async with LLMClient(settings, mode="replay", store=store) as client:
            for ask, channels in asks.values():
                await adraft(ask, channels, settings=settings, client=client)

    asyncio.run(replay_all())
    stale_paths = {f.path for f in stale}
    orphans = [f for f in fixtures_now if f.key not in store.served and f.path not in stale_paths]
    typer.echo(f"{folder}: {len(fixtures_now)} fixture(s), {len(store.served)} in use")
    found: list[str] = []
    for kind, fixture in [("stale", f) for f in stale] + [("orphan", f) for f in orphans]:
        line = f"{kind}: {fixture.path.name}"
        if kind == "stale":
            current = prompt_version(Channel(fixture.channel))
            line += f" (prompt {fixture.prompt_version}, now {current})"
        if prune and not fixture.synthetic:
            fixture.path.unlink()
            typer.echo(f"{line}: deleted")
            continue
        if fixture.synthetic:
            line += " (regenerate with `python tests/synthetic_fixtures.py`)"
        found.append(line)
    found += [f"missing: {miss_message(ch, key)}" for ch, key in sorted(store.missed)]
    for line in found:
        typer.echo(line)
    if found:
        raise typer.Exit(1)
