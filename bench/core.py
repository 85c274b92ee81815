"""Core drafting speed and CLI start-up, printed as figures (not a test).

    .venv/bin/python bench/core.py [--asks 1000] [--runs 20] [--startup | --no-startup]
                                   [--instructions]

1. In process: all three channels (template, checks, text) for one ask, median and p99 over
   `--asks` distinct asks. Target: median <= 2 ms.
   The rubric alone: the checks of the three template drafts of one ask (the ask's own facts
   parsed afresh, as for a new ask), median and p99 over the same asks. Target: median <= 1 ms.
2. Start-up, side by side in one run, the commands taking turns: a bare `python -c pass`; the
   floor of our stack (import PyYAML, pydantic and Jinja2, validate an ask with a pydantic
   model, render three templates); `pitchgen draft EXAMPLE --llm off` piped and with
   `--format json`, without saving and saving. CPU time (the child's user + system time) is
   the figure to quote on a shared machine; wall time is printed beside it.
   Targets: <= 1.3x the floor without saving, <= 2x saving, and <= 10x the bare interpreter.

Wall times move with the machine's other work: `--instructions` also counts the instructions
per ask of both in-process figures under valgrind (bench/instructions.py), which hold under load
(docs/performance.md has the last figures).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "fixtures" / "asks" / "summit-venue.yaml"

FLOOR = """
import yaml, jinja2
from pydantic import BaseModel, ConfigDict
from datetime import date
class Milestone(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: date
    milestone: str
class Ask(BaseModel):
    sender: dict
    partner: dict
    project: dict
    need: dict
    benefits: list[dict]
    timeline: list[Milestone]
    model_config = ConfigDict(extra="allow")
ask = Ask.model_validate(yaml.safe_load(open({path!r})))
env = jinja2.Environment(undefined=jinja2.StrictUndefined)
for source in ("Dear {{{{ a.partner.contact_name }}}},",
               "{{{{ a.project.name }}}}: {{{{ a.need.description }}}}",
               "{{% for m in a.timeline %}}{{{{ m.date }}}} {{{{ m.milestone }}}}{{% endfor %}}"):
    print(env.from_string(source).render(a=ask))
"""


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def variants(n: int):
    """`n` distinct asks: the three shared examples with their names and dates varied."""
    from pitchgen.ask import load_ask

    bases = [
        load_ask(p).model_dump(mode="json") for p in sorted((ROOT / "fixtures/asks").iterdir())
    ]
    from pitchgen.ask import validate_ask

    for i in range(n):
        data = json.loads(json.dumps(bases[i % len(bases)]))
        data["partner"]["organization"] += f" {i}"
        data["project"]["name"] += f" {i}"
        data["timeline"][-1]["milestone"] += f" (round {i})"
        yield validate_ask(data)


def bench_in_process(n: int) -> None:
    from pitchgen.ask import Channel
    from pitchgen.drafting.pipeline import draft
    from pitchgen.settings import Settings

    settings = Settings(llm="off")
    asks = list(variants(n))
    draft(asks[0], list(Channel), settings=settings)  # warm the template cache
    times = []
    for ask in asks:
        start = time.perf_counter()
        draft(ask, list(Channel), settings=settings)
        times.append((time.perf_counter() - start) * 1000)
    print(f"in process, 3 channels per ask, {n} asks:")
    print(
        f"  median {statistics.median(times):.3f} ms   p99 {percentile(times, 99):.3f} ms"
        f"   (target: median <= 2 ms)"
    )


def bench_checks(n: int) -> None:
    from pitchgen.ask import Channel
    from pitchgen.checks.rubric import run_checks
    from pitchgen.content.render import to_text
    from pitchgen.drafting.fallback import render_content

    drafts = []
    for ask in variants(n):
        contents = [render_content(ask, channel) for channel in Channel]
        drafts.append((ask, [(c, to_text(c)) for c in contents]))
    times = []
    for ask, contents in drafts:
        start = time.perf_counter()
        for content, text in contents:
            run_checks(ask, content, text)
        times.append((time.perf_counter() - start) * 1000)
    print(f"checks of the 3 template drafts per ask, {n} asks:")
    print(
        f"  median {statistics.median(times):.3f} ms   p99 {percentile(times, 99):.3f} ms"
        f"   (target: median <= 1 ms)"
    )


def run_once(cmd: list[str], env: dict) -> tuple[float, float]:
    """One run of `cmd`: its CPU time (user + system, from the kernel's accounting of the
    child) and its wall time, in ms."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = (time.perf_counter() - start) * 1000
    err = proc.stderr.read() if proc.stderr else b""
    if status != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {err.decode(errors='replace')[-500:]}")
    return (usage.ru_utime + usage.ru_stime) * 1000, wall


def timed(rows: list[tuple[str, list[str]]], runs: int, env: dict) -> dict[str, tuple]:
    """Median CPU and wall ms of each command, run in turns (A B C, then C B A, ...) so that
    the machine's drift reaches them all alike; one warm-up run each first (page cache)."""
    for _, cmd in rows:
        run_once(cmd, env)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in rows}
    for i in range(runs):
        for name, cmd in rows if i % 2 == 0 else rows[::-1]:
            samples[name].append(run_once(cmd, env))
    return {
        name: (statistics.median(c for c, _ in got), statistics.median(w for _, w in got))
        for name, got in samples.items()
    }


def compile_bytecode() -> None:
    """Write .pyc files for pitchgen and its libraries first, as `pip install` does by default:
    with PYTHONDONTWRITEBYTECODE set (as on this machine) every start would otherwise compile
    the source again, for the floor and for pitchgen alike."""
    import sysconfig

    folders = [str(ROOT / "pitchgen"), sysconfig.get_paths()["purelib"]]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-j", "0", *folders],
        check=False,
        capture_output=True,
    )


def bench_startup(runs: int) -> None:
    compile_bytecode()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PITCHGEN_", "OPENAI_"))}
    with tempfile.TemporaryDirectory() as tmp:
        env["PITCHGEN_DATABASE_URL"] = f"sqlite:///{tmp}/bench.db"
        floor_script = Path(tmp) / "floor.py"
        floor_script.write_text(FLOOR.format(path=str(EXAMPLE)))
        pitchgen = [sys.executable, "-m", "pitchgen", "draft", str(EXAMPLE), "--llm", "off"]
        saved = [*pitchgen, "--format", "json"]
        pitchgen = [*pitchgen, "--no-save"]
        rows = [
            ("python -c pass", [sys.executable, "-c", "pass"]),
            ("floor: yaml+pydantic+jinja2, 3 templates", [sys.executable, str(floor_script)]),
            ("pitchgen draft --llm off (piped text)", pitchgen),
            ("pitchgen draft --llm off --format json", [*pitchgen, "--format", "json"]),
            ("pitchgen draft --llm off --format json (saved)", saved),
            ("pitchgen recommend", [sys.executable, "-m", "pitchgen", "recommend", str(EXAMPLE)]),
        ]
        figures = timed(rows, runs, env)
    bare, floor = figures[rows[0][0]], figures[rows[1][0]]
    print(f"start-up, median of {runs} runs each, in turns; CPU time (user + system), then wall:")
    for name, (cpu, wall) in figures.items():
        print(
            f"  {name:46s} {cpu:6.1f} ms {cpu / floor[0]:5.2f}x floor {cpu / bare[0]:5.1f}x bare"
            f"   wall {wall:6.1f} ms {wall / floor[1]:5.2f}x floor"
        )
    plain = figures["pitchgen draft --llm off (piped text)"][0] / floor[0]
    saving = figures["pitchgen draft --llm off --format json (saved)"][0] / floor[0]
    print(f"  pitchgen draft: {plain:.2f}x the floor (target <= 1.3x)")
    print(f"  pitchgen draft, saving: {saving:.2f}x the floor (target <= 2x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--asks", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--startup", action="store_true", help="Only the start-up figures.")
    parser.add_argument("--no-startup", action="store_true", help="The in-process figures only.")
    parser.add_argument("--instructions", action="store_true", help="Count them (valgrind).")
    args = parser.parse_args()
    if not args.startup:
        bench_in_process(args.asks)
        bench_checks(args.asks)
    if args.instructions and not args.startup:
        from instructions import NAMES, per_ask

        for figure, target in (("checks", "1 ms"), ("draft", "2 ms")):
            print(f"{NAMES[figure]}: {per_ask(figure):.1f} M instructions per ask (callgrind,"
                  f" 20 asks; target: median <= {target})")  # fmt: skip
    if not args.no_startup:
        bench_startup(args.runs)


if __name__ == "__main__":
    main()
