"""Not clones: how alike a batch's emails are, printed as figures (not a test).

    .venv/bin/python bench/batch_similarity.py

One ask (tests/data/batch/summit-ask.yaml) to the partners of tests/data/batch/partners.csv,
drafted three ways, and the mean pairwise similarity of the email bodies within each set:

- a mail merge: one email (the first partner's) with only the greeting name and the
  organization swapped in, as advocacy mailers send;
- pitchgen's templates (`pitchgen batch` with no model);
- model drafts replayed through the real pipeline (client, checks, store): hand-written
  stand-ins named synthetic (tests/synthetic_batch.py), since no model runs here.

Similarity is the Jaccard index of the bodies' word 3-shingles (what near-duplicate and spam
filters compare) and, beside it, difflib's ratio over the words. 1.0 is identical.
"""

from __future__ import annotations

import asyncio
import difflib
import itertools
import re
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fake_openai import Recorder, completion, mock_http_client  # noqa: E402
from synthetic_batch import SYNTHETIC_BATCH_EMAILS, SYNTHETIC_MODEL  # noqa: E402

from pitchgen.ask.reading import read_document  # noqa: E402
from pitchgen.ask.roster import read_partners  # noqa: E402
from pitchgen.llm.client import LLMClient  # noqa: E402
from pitchgen.service import Service  # noqa: E402
from pitchgen.settings import Settings  # noqa: E402

DATA = ROOT / "tests" / "data" / "batch"
ASK = read_document((DATA / "summit-ask.yaml").read_bytes(), "yaml")
PARTNERS = read_partners((DATA / "partners.csv").read_bytes(), "partners.csv")
_WORD = re.compile(r"[a-z0-9$.,:']+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def shingles(text: str, k: int = 3) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + k]) for i in range(len(w) - k + 1)}


def jaccard(a: str, b: str) -> float:
    x, y = shingles(a), shingles(b)
    return len(x & y) / len(x | y)


def ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, words(a), words(b), autojunk=False).ratio()


def mean_pairwise(bodies: list[str], measure) -> float:
    return statistics.mean(measure(a, b) for a, b in itertools.combinations(bodies, 2))


def mail_merge() -> list[str]:
    first = PARTNERS[0].partner
    letter = SYNTHETIC_BATCH_EMAILS[first.organization]["body"]
    given = first.contact_name.split()[0]
    merged = []
    for row in PARTNERS:
        p = row.partner
        name = p.contact_name.split()[0] if p.contact_name else f"{p.organization} team"
        merged.append(letter.replace(given, name).replace(first.organization, p.organization))
    return merged


def batch_bodies(settings: Settings, client: LLMClient | None = None) -> list[str]:
    service = Service(settings)
    if client is not None:
        service._llm = client
    created = service.batches.create(ASK, PARTNERS, ["email"], "bench")
    asyncio.run(service.batches.run(created.batch_id))
    bodies, sources = [], set()
    for item in service.batches.items(created.batch_id):
        draft = service.get_draft(item.outcome["drafts"][0]["id"])
        bodies.append(draft.content.body)
        sources.add(draft.source if draft.source == "template" else draft.model)
    service.close()
    print(f"  ({len(bodies)} emails; written by {', '.join(sorted(sources))})")
    return bodies


def replayed(body: dict) -> dict:
    organization = next(o for o in SYNTHETIC_BATCH_EMAILS if o in body["messages"][1]["content"])
    return completion(SYNTHETIC_BATCH_EMAILS[organization], model=SYNTHETIC_MODEL)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        templates = batch_bodies(Settings(database_url=url, llm="off"))
        live = Settings(database_url=url, llm="live", OPENAI_API_KEY="sk-bench",
                        OPENAI_BASE_URL="http://127.0.0.1:9/v1")  # fmt: skip
        client = LLMClient(live, http_client=mock_http_client(Recorder(replayed)))
        model = batch_bodies(live, client)
    rows = [
        ("mail merge (names swapped)", mail_merge()),
        ("pitchgen templates", templates),
        ("model drafts (synthetic, replayed)", model),
    ]
    print(f"\nmean pairwise similarity of email bodies within a batch of {len(PARTNERS)}")
    print(f"{'':<36} {'3-shingle Jaccard':>18} {'difflib ratio':>14}")
    for name, bodies in rows:
        print(
            f"{name:<36} {mean_pairwise(bodies, jaccard):>18.3f}"
            f" {mean_pairwise(bodies, ratio):>14.3f}"
        )


if __name__ == "__main__":
    main()
