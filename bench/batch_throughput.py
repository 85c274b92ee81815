"""Batch throughput, printed as figures (not a test).

    .venv/bin/python bench/batch_throughput.py [--partners 1000] [--latency 0.05] [--rate 100]
        [--concurrency 8] [--runner local|queue|both] [--workers 2]

N partners (email only) against a fake OpenAI-compatible endpoint on loopback that answers
after latency L and admits R requests a second (beyond that: 429 with Retry-After, as a real
provider does). Its reply is the template email for the partner it is asked about, so every
reply passes the checks: one call per partner. Runs:

- `local`: SQLite, the in-process runner (`pitchgen batch`), `--concurrency` partners at once;
- `queue`: PostgreSQL (PITCHGEN_TEST_POSTGRES_URL, a schema of its own, dropped after), the
  Procrastinate queue with `--workers` `pitchgen worker` processes, each `--concurrency` wide.

For each: the wall time against the floor max(N/R, N*L/concurrency) (concurrency in all
processes together), the 429s the endpoint sent, fallbacks, and the store's size per item.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fake_openai import Answer, FakeOpenAI, completion  # noqa: E402

import pitchgen.llm.client  # noqa: E402, F401 - imported before the clock starts
from pitchgen.ask import Ask, Channel  # noqa: E402
from pitchgen.ask.model import Partner  # noqa: E402
from pitchgen.ask.reading import read_document  # noqa: E402
from pitchgen.ask.roster import validate_partners  # noqa: E402
from pitchgen.drafting import fallback  # noqa: E402
from pitchgen.service import Service  # noqa: E402
from pitchgen.settings import Settings  # noqa: E402

ASK = read_document((ROOT / "tests" / "data" / "batch" / "summit-ask.yaml").read_bytes(), "yaml")
FIRST = ("Alex", "Sam", "Jordan", "Priya", "Luis", "Dana", "Mei", "Omar", "Grace", "Tomasz")
LAST = ("Rivera", "Chen", "Okafor", "Nowak", "Haddad", "Larsen", "Silva", "Kim", "Adeyemi")
FOCUS = (
    "barber licensing",
    "food truck permits",
    "occupational licensing for nurses",
    "small retailers downtown",
    "home-based businesses",
    "skilled trades apprenticeships",
)


def partners(n: int) -> list[dict[str, str]]:
    return [
        {
            "organization": f"{LAST[i % len(LAST)]} County Business Council {i}",
            "contact_name": f"{FIRST[i % len(FIRST)]} {LAST[(i // 3) % len(LAST)]}",
            "email": f"contact{i}@council{i}.org",
            "focus": FOCUS[i % len(FOCUS)],
        }
        for i in range(n)
    ]


class RateLimited:
    """The endpoint's handler: R requests a second (a token bucket of one second's worth),
    429 with Retry-After past it; a valid email for the partner it is asked about (written
    before the clock starts, so the endpoint takes no CPU from the batch it serves)."""

    def __init__(self, rate: float, n: int) -> None:
        shared = Ask.model_validate({**ASK, "partner": partners(1)[0]})
        self.replies = {
            p["organization"]: completion(
                fallback.render_content(
                    shared.model_copy(update={"partner": Partner(**p)}), Channel.email
                ).model_dump(mode="json")
            )
            for p in partners(n)
        }
        self.rate = rate
        self.tokens = rate
        self.stamp = time.monotonic()
        self.lock = threading.Lock()
        self.limited = 0
        self.served = 0

    def __call__(self, body: dict) -> Answer:
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.rate, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
            if self.tokens < 1:
                self.limited += 1
                wait = (1 - self.tokens) / self.rate
                return Answer(429, {"error": {"message": "rate limited"}},
                              {"retry-after-ms": f"{wait * 1000:.0f}"})  # fmt: skip
            self.tokens -= 1
            self.served += 1
        text = body["messages"][1]["content"]
        data = json.loads(text[text.index("<ask_data>") + 10 : text.rindex("</ask_data>")])
        return Answer(body=self.replies[data["ask"]["partner"]["organization"]])


def _env(url: str, base_url: str, concurrency: int) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("PITCHGEN_", "OPENAI_"))}
    return keep | {
        "PITCHGEN_DATABASE_URL": url,
        "OPENAI_BASE_URL": base_url,
        "OPENAI_API_KEY": "sk-bench",
        "PITCHGEN_LLM": "live",
        "PITCHGEN_BATCH_CONCURRENCY": str(concurrency),
        "PITCHGEN_LLM_CONCURRENCY": str(concurrency),
        "PITCHGEN_LLM_RETRY_AFTER_CAP_SECONDS": "30",
        "PITCHGEN_LLM_DEADLINE_SECONDS": "120",
        "PITCHGEN_BATCH_STALLED_SECONDS": "30",
    }


def _settings(env: dict[str, str]) -> Settings:
    old = dict(os.environ)
    os.environ.update(env)
    try:
        return Settings()
    finally:
        os.environ.clear()
        os.environ.update(old)


def run_local(n: int, args: argparse.Namespace, base_url: str, folder: Path) -> dict:
    db = folder / "bench.db"
    settings = _settings(_env(f"sqlite:///{db}", base_url, args.concurrency))
    service = Service(settings)
    rows = validate_partners([(None, p) for p in partners(n)])
    created = service.batches.create(ASK, rows, ["email"], "bench")
    started = time.perf_counter()
    batch = asyncio.run(service.batches.run(created.batch_id))
    wall = time.perf_counter() - started
    with service.store().engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    service.close()
    return {"wall": wall, "batch": batch, "bytes": db.stat().st_size, "width": args.concurrency}


def run_queue(n: int, args: argparse.Namespace, base_url: str) -> dict:
    import sqlalchemy as sa

    admin_url = os.environ.get(
        "PITCHGEN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = (
        sa.make_url(admin_url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    env = _env(url, base_url, args.concurrency)
    workers: list[subprocess.Popen] = []
    try:
        service = Service(_settings(env))
        rows = validate_partners([(None, p) for p in partners(n)])
        created = service.batches.create(ASK, rows, ["email"], "bench")
        started = time.perf_counter()
        workers = [
            subprocess.Popen(
                [sys.executable, "-m", "pitchgen", "worker"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(args.workers)
        ]
        while not (batch := service.batches.get(created.batch_id)).finished:
            time.sleep(0.1)
        wall = time.perf_counter() - started
        with service.store().engine.connect() as conn:
            size = conn.execute(
                sa.text(
                    "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN"
                    " pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :s AND"
                    " c.relkind = 'r' AND c.relname NOT LIKE 'procrastinate%'"
                ),
                {"s": schema},
            ).scalar()
        service.close()
        return {
            "wall": wall, "batch": batch, "bytes": int(size),
            "width": args.concurrency * args.workers,
        }  # fmt: skip
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partners", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runner", choices=("local", "queue", "both"), default="both")
    args = parser.parse_args()
    n = args.partners
    print(f"{n} partners, email only; endpoint latency {args.latency * 1000:.0f} ms,"
          f" rate limit {args.rate:g}/s")  # fmt: skip
    print(f"{'runner':<28} {'wall s':>7} {'floor s':>7} {'ratio':>6} {'items/s':>8}"
          f" {'429s':>6} {'fallbacks':>9} {'bytes/item':>10}")  # fmt: skip
    runners = ("local", "queue") if args.runner == "both" else (args.runner,)
    for runner in runners:
        handler = RateLimited(args.rate, n)
        with (
            FakeOpenAI(handler, latency=args.latency) as server,
            tempfile.TemporaryDirectory() as folder,
        ):
            if runner == "local":
                result = run_local(n, args, server.base_url, Path(folder))
                name = f"SQLite, in process x{args.concurrency}"
            else:
                result = run_queue(n, args, server.base_url)
                name = f"PostgreSQL, {args.workers} workers x{args.concurrency}"
        floor = max(n / args.rate, n * args.latency / result["width"])
        batch = result["batch"]
        print(
            f"{name:<28} {result['wall']:>7.1f} {floor:>7.1f} {result['wall'] / floor:>6.2f}"
            f" {n / result['wall']:>8.1f} {handler.limited:>6} {batch.fallbacks:>9}"
            f" {result['bytes'] / n:>10,.0f}"
        )
        assert batch.counts.get("done") == n, batch.counts


if __name__ == "__main__":
    main()
