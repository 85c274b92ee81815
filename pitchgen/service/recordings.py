"""The recorded model exchanges (`fixtures/llm/`) as use cases: record them again from a live
endpoint, and audit them.

A recording is *stale* when the prompt templates changed since it was recorded, an *orphan*
when no current draft of its ask would send its request (the ask, a check's wording or a
request parameter changed), and *missing* when a current draft sends a request nothing
answers. `pitchgen fixtures` presents these; the logic lives here, beside the drafting it
replays.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pitchgen.ask import Ask, Channel, load_ask, validate_ask
from pitchgen.content.models import DraftSet
from pitchgen.drafting.pipeline import adraft
from pitchgen.errors import ConfigError
from pitchgen.llm.client import LLMClient
from pitchgen.llm.prompts import prompt_version
from pitchgen.llm.recordings import Fixture, FixtureStore, ask_in_request, miss_message
from pitchgen.settings import Settings

__all__ = ["Audit", "Recorded", "audit", "current_version", "example_asks", "record"]


def example_asks(folder: Path) -> list[Path]:
    """The shared example asks beside a fixtures folder (`fixtures/asks` for `fixtures/llm`)."""
    return sorted(p for p in (folder.parent / "asks").glob("*") if p.suffix in (".yaml", ".json"))


@dataclass(frozen=True)
class Recorded:
    results: list[DraftSet]
    written: int
    reused: int


def record(
    settings: Settings,
    asks: Sequence[Ask],
    channels: Sequence[Channel] | None,
    folder: Path,
    *,
    everything: bool = False,
) -> Recorded:
    """Draft each ask through the live endpoint and write every exchange, re-asks included;
    those already recorded are reused unless `everything`."""
    if not settings.llm_configured:
        raise ConfigError("recording needs a live endpoint: set OPENAI_BASE_URL or OPENAI_API_KEY")
    store = FixtureStore(folder)

    async def run() -> list[DraftSet]:
        client = LLMClient(
            settings, mode="record", store=store, concurrency=4, reuse_recorded=not everything
        )
        async with client:
            made = (adraft(a, channels or None, settings=settings, client=client) for a in asks)
            return list(await asyncio.gather(*made))

    results = asyncio.run(run())
    return Recorded(results, written=len(store.written), reused=len(store.served))


def current_version(fixture: Fixture) -> str:
    """The prompt version its channel's requests carry now (stale when it differs)."""
    return prompt_version(Channel(fixture.channel))


@dataclass
class Audit:
    fixtures: list[Fixture]
    in_use: int
    stale: list[Fixture] = field(default_factory=list)
    orphans: list[Fixture] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def audit(settings: Settings, folder: Path) -> Audit:
    """Replay every draft of the shared examples and of every ask the recordings hold, and say
    which recordings are stale, orphaned or missing."""
    store = FixtureStore(folder)
    fixtures = store.all()
    stale = [f for f in fixtures if f.prompt_version != current_version(f)]
    asks = _recorded_asks(store, example_asks(folder))

    async def replay_all() -> None:
        async with LLMClient(settings, mode="replay", store=store) as client:
            for ask, channels in asks.values():
                await adraft(ask, channels, settings=settings, client=client)

    asyncio.run(replay_all())
    stale_paths = {f.path for f in stale}
    orphans = [f for f in fixtures if f.key not in store.served and f.path not in stale_paths]
    missing = [miss_message(ch, key) for ch, key in sorted(store.missed)]
    return Audit(fixtures, len(store.served), stale, orphans, missing)


AsksByText = dict[str, tuple[Ask, set[Channel]]]


def _recorded_asks(store: FixtureStore, examples: list[Path]) -> AsksByText:
    found: AsksByText = {}
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
