"""`follow run` at a coalition's scale, printed as figures (not a test).

    .venv/bin/python bench/follow.py [--asks 100]

A SQLite store with ASKS sent email pitches of the summit ask, a fifth of them accepted: the
first run drafts a follow-up for every ask still waiting, the second at the same moment drafts
nothing (the cost of idempotence is one read of the follow-through tables); then a run in the
reminder window, twice; then the numbers. Per-draft time is mostly the rubric's checks.
Target: a run that drafts nothing costs under a tenth of one that drafts.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from follow_helpers import SUMMIT, at, send_pitch

from pitchgen.ask import load_ask
from pitchgen.service import Service
from pitchgen.settings import Settings
from pitchgen.store.repository import Store


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--asks", type=int, default=100)
    n = parser.parse_args().asks
    with tempfile.TemporaryDirectory() as folder:
        store = Store.from_url(f"sqlite:///{folder}/bench.db")
        service = Service(Settings(llm="off"), store=store)
        ask = load_ask(SUMMIT)
        pitches = [send_pitch(service, ask, sent_at=at("2027-01-04")) for _ in range(n)]
        for pitch in pitches[: n // 5]:
            service.follow.record_outcome(pitch.id, "accepted", "bench", now=at("2027-01-05"))
        figures = []
        for label, day in (
            ("follow-ups due", "2027-01-07"),
            ("same moment again", "2027-01-07"),
            ("reminders due", "2027-03-01"),
            ("same moment again", "2027-03-01"),
        ):
            start = time.perf_counter()
            drafted = len(service.follow.run(at(day)).drafted)
            figures.append((label, drafted, time.perf_counter() - start))
        start = time.perf_counter()
        service.follow.stats(now=at("2027-03-10"))
        stats_seconds = time.perf_counter() - start
        store.close()
    print(f"{n} asks, {n // 5} accepted")
    for label, drafted, seconds in figures:
        each = f", {seconds / drafted * 1000:.0f} ms a draft" if drafted else ""
        print(f"  {label:<18} {drafted:>4} drafted in {seconds:6.2f} s{each}")
    print(f"  stats              {stats_seconds:6.2f} s")
    idle, busy = figures[1][2], figures[0][2]
    print(f"  idle run / drafting run: {idle / busy:.2f} (target < 0.10)")


if __name__ == "__main__":
    main()
