"""CPU per `GET /v1/drafts/{id}` in one process, against a bare FastAPI endpoint (not a test).

    .venv/bin/python bench/get_overhead.py [--requests 20000] [--profile] [--vs PATH --rounds 3]
    .venv/bin/python bench/get_overhead.py --instructions [--requests 2000]

Both apps are driven as uvicorn drives them, without sockets: one ASGI call per request on
uvloop, each request its own task (as uvicorn makes one per request), the request's log line
written as `pitchgen serve` writes it (`log_config`, to /dev/null), the store a SQLite file
with the draft in its cache. The bare app is bench/api.py's: a FastAPI route returning the same
bytes. Batches of 500 requests take turns between the two apps; the figure is the median CPU
time per request. `--profile` lists where pitchgen's GET goes; `--vs PATH` runs the figure in
this checkout and in another (a checkout of the revision before a change), by turns in fresh
processes; `--instructions` counts instructions per GET with callgrind (a run with the GETs less
a run without), for pitchgen and the bare app.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import logging.config
import os
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from callgrind import collected

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "fixtures" / "asks" / "summit-venue.yaml"
BATCH = 512
CONNECTIONS = 16


def _scope(method: str, path: str, headers: list) -> dict:
    return {
        "type": "http", "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1", "method": method, "scheme": "http", "path": path,
        "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": headers,
        "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000), "state": {},
    }  # fmt: skip


def _task(app, scope: dict, body: bytes = b"") -> tuple[asyncio.Task, list[dict]]:
    sent: list[dict] = []
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict:
        return messages.pop() if messages else {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    # A scope of its own per request, and a task, as uvicorn makes them.
    task = asyncio.get_running_loop().create_task(app(dict(scope, state={}), receive, send))
    return task, sent


async def _call(app, scope: dict, body: bytes = b"") -> list[dict]:
    task, sent = _task(app, scope, body)
    await task
    return sent


def _bare_app(body: bytes):
    from fastapi import FastAPI, Response

    app = FastAPI()

    @app.get("/v1/drafts/{draft_id}")
    async def get(draft_id: str) -> Response:
        return Response(body, media_type="application/json")

    return app


async def _batch(app, scope: dict, n: int) -> float:
    """CPU per request of `n` requests, `CONNECTIONS` at a time: the requests a server reads
    in one turn of its loop (wrk's 16 connections), answered in the next."""
    start = time.process_time()
    for _ in range(n // CONNECTIONS):
        for task, _sent in [_task(app, scope) for _ in range(CONNECTIONS)]:
            await task
    return (time.process_time() - start) / (n // CONNECTIONS * CONNECTIONS)


async def measure(requests: int, profile: bool, only: str | None) -> None:
    from pitchgen.ask import load_ask
    from pitchgen.server import RateLimit, create_app
    from pitchgen.server.logs import log_config
    from pitchgen.settings import Settings

    ask = load_ask(EXAMPLE).model_dump(mode="json", exclude_none=True)
    body = json.dumps({"ask": ask}).encode()
    with tempfile.TemporaryDirectory(prefix="pitchgen-bench-") as tmp:
        settings = Settings(llm="off", database_url=f"sqlite:///{tmp}/app.db")
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - the log lines' stream, as a server's
        logging.config.dictConfig(log_config(settings))
        # The bench is one client address sending thousands of requests; the limiter still runs.
        app = create_app(settings, rate_limit=RateLimit(per_second=1e9, burst=10**9))
        async with app.router.lifespan_context(app):
            post = _scope("POST", "/v1/drafts", [(b"host", b"127.0.0.1:8000"),
                          (b"content-type", b"application/json")])  # fmt: skip
            answer = await _call(app, post, body)
            draft_id = json.loads(answer[1]["body"])["drafts"][0]["id"]
            # What wrk sends: the Host, nothing else.
            get = _scope("GET", f"/v1/drafts/{draft_id}", [(b"host", b"127.0.0.1:8000")])
            answer = await _call(app, get)
            assert answer[0]["status"] == 200, answer
            bare = _bare_app(answer[1]["body"])
            apps = {"pitchgen": app, "bare": bare}
            if only:
                apps = {only: apps[only]}
                for _ in range(requests):
                    await _call(apps[only], get)
                return
            figures: dict[str, list[float]] = {name: [] for name in apps}
            for each in apps.values():  # warm-up
                await _batch(each, get, BATCH)
            for _ in range(max(1, requests // BATCH)):
                for name, each in apps.items():
                    figures[name].append(await _batch(each, get, BATCH))
            us = {name: statistics.median(f) * 1e6 for name, f in figures.items()}
            print(f"GET in process, CPU per request, median of {len(figures['bare'])} batches")
            print(
                f"of {BATCH} by turns: pitchgen {us['pitchgen']:.1f} us, bare {us['bare']:.1f} us,"
            )
            print(f"  bare/pitchgen {us['bare'] / us['pitchgen']:.2f}")
            if profile:
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(requests):
                    await _call(app, get)
                profiler.disable()
                stats = pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime")
                stats.print_stats(40)


def side_by_side(other: Path, requests: int, rounds: int) -> None:
    """The figure here and in `other`, by turns, each run a fresh process."""
    trees = {"this checkout": ROOT, str(other): other.resolve()}
    found: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
    for _ in range(rounds):
        for name, tree in trees.items():
            out = subprocess.run(
                [sys.executable, __file__, "--requests", str(requests)],
                env={**os.environ, "PYTHONPATH": str(tree)},
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            ours, bare = re.search(r"pitchgen ([\d.]+) us, bare ([\d.]+) us", out).groups()
            found[name].append((float(ours), float(bare)))
    print(f"GET CPU per request in process, us, {rounds} fresh runs by turns:")
    for name, runs in found.items():
        ours = statistics.median(r[0] for r in runs)
        ratio = statistics.median(r[1] / r[0] for r in runs)
        listed = " ".join(f"{r[0]:.1f}/{r[1]:.1f}" for r in runs)
        print(f"  {name:<24} pitchgen {ours:6.1f}  bare/pitchgen {ratio:.2f}  ({listed})")


def instructions(requests: int) -> None:
    """Instructions per GET, pitchgen's and the bare app's: a run less a run without the GETs."""

    def counted(which: str, n: int) -> int:
        return collected([sys.executable, __file__, "--only", which, "--requests", str(n)])

    for which in ("pitchgen", "bare"):
        per = (counted(which, requests) - counted(which, 0)) / requests
        print(f"{which:<10} {per / 1000:7.0f} k instructions per GET ({requests} GETs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--vs", type=Path, help="another checkout, measured by turns")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--instructions", action="store_true")
    parser.add_argument("--only", choices=["pitchgen", "bare"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.vs:
        side_by_side(args.vs, args.requests, args.rounds)
    elif args.instructions:
        instructions(args.requests)
    else:
        import uvloop

        uvloop.run(measure(args.requests, args.profile, args.only))


if __name__ == "__main__":
    main()
