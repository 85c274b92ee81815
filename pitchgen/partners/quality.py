"""How good a ranking is against graded fits (shared/partners/labels.csv): NDCG@k with the
grade as the gain (0 for an unlabeled pair; ideal order from the labels) and recall@k of the
pairs graded 2 or 3. One copy for the test and bench/partners.py."""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence

__all__ = ["Labels", "ndcg", "read_labels", "recall"]

Labels = Mapping[str, Mapping[str, int]]  # ask file -> organization -> grade


def read_labels(text: str) -> dict[str, dict[str, int]]:
    labels: dict[str, dict[str, int]] = defaultdict(dict)
    for row in csv.DictReader(io.StringIO(text)):
        labels[row["ask"]][row["organization"]] = int(row["grade"])
    return dict(labels)


def _dcg(gains: Sequence[int]) -> float:
    return sum(g / math.log2(n + 2) for n, g in enumerate(gains))


def ndcg(ranked: Sequence[str], grades: Mapping[str, int], k: int = 5) -> float:
    ideal = _dcg(sorted(grades.values(), reverse=True)[:k])
    return _dcg([grades.get(org, 0) for org in ranked[:k]]) / ideal if ideal else 0.0


def recall(ranked: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float:
    relevant = {org for org, grade in grades.items() if grade >= 2}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0
