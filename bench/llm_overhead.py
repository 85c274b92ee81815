"""LLM path speed, printed as figures (not a test).

    .venv/bin/python bench/llm_overhead.py [--latency 0.2] [--calls 300]

Against a fake OpenAI-compatible server on loopback that answers every request after a fixed
latency L (with the template draft's content, which passes every must check, so no re-ask):

1. One ask, three channels: wall time. Target <= 1.2 x L (the channels run concurrently).
2. 50 asks x 3 channels at concurrency 16: wall time. Target <= 1.2 x ceil(150/16) x L.
3. Our own overhead per call, per channel (prompt, client, retry loop, parsing, rubric checks,
   guards, text, the draft set), against a bare SDK `chat.completions.create` of the same body
   to an in-process mock transport with no latency. Target < 1 ms.
4. Prompt and completion tokens per channel, from the recorded SmolLM2 fixtures (a real
   tokenizer) in fixtures/llm.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import httpx2  # noqa: E402
import openai  # noqa: E402
from fake_openai import Answer, FakeOpenAI, Recorder, completion, mock_http_client  # noqa: E402

from pitchgen.ask import Channel, load_ask  # noqa: E402
from pitchgen.drafting import fallback  # noqa: E402
from pitchgen.drafting.pipeline import adraft  # noqa: E402
from pitchgen.llm.client import LLMClient  # noqa: E402
from pitchgen.llm.prompts import build_prompt  # noqa: E402
from pitchgen.llm.recordings import FixtureStore  # noqa: E402
from pitchgen.settings import Settings  # noqa: E402

ASK = load_ask(ROOT / "fixtures" / "asks" / "summit-venue.yaml")
CONTENT = {ch.value: fallback.render_content(ASK, ch).model_dump(mode="json") for ch in Channel}


def answer(body: dict) -> Answer:
    channel = body["response_format"]["json_schema"]["name"]
    return Answer(body=completion(CONTENT[channel]))


def settings(base_url: str) -> Settings:
    return Settings(OPENAI_API_KEY="sk-bench", OPENAI_BASE_URL=base_url, model="bench")


def check_sources(results) -> None:
    sources = {d.fallback_reason or d.source for r in results for d in r.drafts}
    if sources != {"llm"}:
        raise SystemExit(f"expected only LLM drafts, got {sources}")


def serve(latency: float, ports: multiprocessing.Queue, stop: multiprocessing.Event) -> None:
    with FakeOpenAI(answer, latency=latency) as server:
        ports.put(server.port)
        stop.wait()


def walls(latency: float) -> None:
    # The server runs in its own process, as a real endpoint would: in this one, its thread
    # would compete with the client for the GIL and bill us for its own work.
    ports: multiprocessing.Queue = multiprocessing.Queue()
    stop = multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(latency, ports, stop), daemon=True)
    server.start()
    try:
        conf = settings(f"http://127.0.0.1:{ports.get(timeout=30)}/v1")

        async def one() -> float:
            async with LLMClient(conf) as client:
                await adraft(ASK, settings=conf, client=client)  # warm the connection pool
                start = time.perf_counter()
                check_sources([await adraft(ASK, settings=conf, client=client)])
                return time.perf_counter() - start

        async def many() -> float:
            async with LLMClient(conf, concurrency=16) as client:
                start = time.perf_counter()
                made = [adraft(ASK, settings=conf, client=client) for _ in range(50)]
                check_sources(await asyncio.gather(*made))
                return time.perf_counter() - start

        single = asyncio.run(one())
        bulk = asyncio.run(many())
    finally:
        stop.set()
        server.join(timeout=10)
    bound = 1.2 * latency
    print(f"1. one ask, 3 channels: {single * 1000:.0f} ms (target <= {bound * 1000:.0f} ms)")
    bound = 1.2 * math.ceil(150 / 16) * latency
    print(
        f"2. 50 asks x 3 channels, concurrency 16: {bulk * 1000:.0f} ms"
        f" (target <= {bound * 1000:.0f} ms; floor {math.ceil(150 / 16) * latency * 1000:.0f} ms)"
    )


async def overhead(calls: int) -> None:
    conf = settings("http://127.0.0.1:9/v1")
    print(f"3. per call, median of {calls} (bare SDK `chat.completions.create` vs pitchgen):")
    for channel in Channel:
        body = LLMClient.body_for(build_prompt(ASK, channel), "json_schema", conf)
        bare_sdk = openai.AsyncOpenAI(
            api_key="sk-bench",
            base_url=conf.openai_base_url,
            max_retries=0,
            http_client=mock_http_client(Recorder(answer)),
        )

        async def bare(sdk=bare_sdk, body=body) -> None:
            raw = await sdk.chat.completions.with_raw_response.create(**body)
            raw.http_response.json()

        client = LLMClient(conf, http_client=mock_http_client(Recorder(answer)))

        async def ours(client=client, channel=channel) -> None:
            await adraft(ASK, [channel], settings=conf, client=client)

        bare_ms = statistics.median(await _timed(bare, calls)) * 1000
        our_ms = statistics.median(await _timed(ours, calls)) * 1000
        await client.aclose()
        await bare_sdk.close()
        print(
            f"   {channel.value}: bare SDK {bare_ms:.2f} ms, pitchgen {our_ms:.2f} ms,"
            f" our overhead {our_ms - bare_ms:.2f} ms (target < 1 ms)"
        )


async def _timed(call, calls: int) -> list[float]:
    for _ in range(20):
        await call()
    out = []
    for _ in range(calls):
        start = time.perf_counter()
        await call()
        out.append(time.perf_counter() - start)
    return out


def tokens() -> None:
    per_channel: dict[str, list[tuple[int, int]]] = {}
    for fixture in FixtureStore(ROOT / "fixtures" / "llm").all():
        usage = fixture.response.get("usage") or {}
        if fixture.synthetic or not usage:
            continue
        per_channel.setdefault(fixture.channel, []).append(
            (usage["prompt_tokens"], usage["completion_tokens"])
        )
    print("4. tokens per call, recorded from SmolLM2 (prompt / completion, median [max]):")
    for channel, pairs in sorted(per_channel.items()):
        prompts, completions = zip(*pairs, strict=True)
        print(
            f"   {channel}: {statistics.median(prompts):.0f} [{max(prompts)}] /"
            f" {statistics.median(completions):.0f} [{max(completions)}] over {len(pairs)} calls"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--latency", type=float, default=0.2, help="L, seconds")
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args()
    walls(args.latency)
    asyncio.run(overhead(args.calls))
    tokens()
    print(f"(fake server latency L = {args.latency * 1000:.0f} ms; httpx2 {httpx2.__version__})")


if __name__ == "__main__":
    main()
