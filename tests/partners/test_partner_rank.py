"""Suggestions: measured against the shared graded fits, and each explained by its own score."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pitchgen.ask import load_ask
from pitchgen.partners.files import read_csv
from pitchgen.partners.index import Index
from pitchgen.partners.model import PartnerFields
from pitchgen.partners.quality import ndcg, read_labels, recall
from pitchgen.partners.rank import rank, shortlist

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "partners"
ASKS = ROOT / "fixtures" / "asks"
# The day the labels were graded on (see tests/data/partners/README.md).
GRADED_ON = dt.date(2026, 12, 6)
LABELS = read_labels((DATA / "labels.csv").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def index() -> Index:
    return Index([r.fields for r in read_csv((DATA / "directory.csv").read_bytes())])


def ranked(index: Index, ask_file: str, today: dt.date = GRADED_ON):
    return rank(load_ask(ASKS / ask_file), index, today=today)


def test_the_default_ranking_meets_its_measured_quality(index: Index) -> None:
    # bench/partners.py prints the figures; these floors sit just under them.
    ndcgs, recalls = [], []
    for ask_file, grades in LABELS.items():
        names = [s.partner.organization for s in ranked(index, ask_file)]
        ndcgs.append(ndcg(names, grades, 5))
        recalls.append(recall(names, grades, 10))
    assert sum(ndcgs) / len(ndcgs) >= 0.90
    assert sum(recalls) / len(recalls) >= 0.95
    assert min(ndcgs) >= 0.80


@pytest.mark.parametrize("ask_file", sorted(LABELS))
def test_every_score_is_the_sum_of_the_parts_its_reasons_state(index: Index, ask_file: str) -> None:
    for item in ranked(index, ask_file):
        assert item.score == round(sum(p.points for p in item.parts), 1)
        for part in item.parts:
            shown = f"({part.points:+.1f})"
            assert (shown in part.reason()) == bool(part.points)
        assert len(item.reasons) == len(item.parts) + bool(item.beyond_usual_allies)


@pytest.mark.parametrize("ask_file", sorted(LABELS))
def test_each_shared_ask_gets_a_beyond_the_usual_allies_pick_the_labels_grade_well(
    index: Index, ask_file: str
) -> None:
    top = shortlist(ranked(index, ask_file), 5)
    (pick,) = [s for s in top if s.beyond_usual_allies]
    assert not pick.partner.relationship
    assert LABELS[ask_file].get(pick.partner.organization, 0) >= 2
    assert pick.reasons[0].startswith("beyond the usual allies")


def test_a_recent_ask_counts_against_and_only_within_the_window(index: Index) -> None:
    def recency(today: dt.date) -> list:
        item = next(
            s
            for s in ranked(index, "summit-venue.yaml", today)
            if s.partner.organization == "Americans for Enterprise Opportunity"
        )
        return [p for p in item.parts if p.part == "recency"]

    (part,) = recency(GRADED_ON)
    assert part.points < 0
    assert "2026-11-30" in part.detail and "6 days ago" in part.detail
    assert recency(dt.date(2027, 6, 1)) == []


def test_a_same_named_place_elsewhere_is_not_the_ask_place(index: Index) -> None:
    top = [s.partner.organization for s in ranked(index, "summit-venue.yaml")[:8]]
    assert "Capitol Hill Seattle Neighbors' Hall" not in top


def test_a_room_too_small_for_the_ask_counts_against(index: Index) -> None:
    item = next(
        s for s in ranked(index, "summit-venue.yaml") if s.partner.organization == "Café Liberté"
    )
    (room,) = [p for p in item.parts if p.part == "room"]
    assert room.points < 0 and "holds 25" in room.detail and "needs 80" in room.detail


def test_an_empty_directory_and_one_without_words_rank_without_error() -> None:
    ask = load_ask(ASKS / "summit-venue.yaml")
    assert rank(ask, [], today=GRADED_ON) == []
    (only,) = rank(ask, [PartnerFields(organization="X")], today=GRADED_ON)
    assert only.score == 0


@pytest.mark.parametrize("ask_file", sorted(LABELS))
def test_the_fast_scores_agree_with_the_explained_ones(index: Index, ask_file: str) -> None:
    # Every entry is ranked by array arithmetic and only the returned ones are explained: the
    # two must be the same sum, or the order would not be the order of the scores shown.
    from pitchgen.partners.rank import History

    history = {0: History(asked=((dt.date(2026, 11, 1), "Liberty Policy Forum"),), declined=1)}
    full = rank(load_ask(ASKS / ask_file), index, today=GRADED_ON, history=history)
    top = rank(load_ask(ASKS / ask_file), index, today=GRADED_ON, history=history, limit=5)
    assert [s.score for s in full] == sorted((s.score for s in full), reverse=True)
    assert [s.partner for s in top[:5]] == [s.partner for s in full[:5]]
