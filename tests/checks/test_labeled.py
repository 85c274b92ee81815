"""The labeled drafts as the rubric's specification (shared/spec/rubric.md): every good draft
passes every must check, and every defective draft fails at least one. The sets live in
tests/data/labeled/: `public` (the shared set), `extra` (written independently of the checker,
held out), `own` (cases found while building the checks). bench/labeled.py prints how often the
check a label names is the one that fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pitchgen.ask import load_ask
from pitchgen.checks.rubric import must_failures, run_checks
from pitchgen.content.models import CONTENT_MODELS
from pitchgen.content.render import to_text

ROOT = Path(__file__).resolve().parents[2]
LABELED = Path(__file__).resolve().parents[1] / "data" / "labeled"
FILES = sorted(LABELED.glob("*/*.json"))


def _ask_path(path: Path, name: str) -> Path:
    own = path.parent / "asks" / name
    return own if own.exists() else ROOT / "fixtures" / "asks" / name


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.stem}" for p in FILES])
def test_good_drafts_pass_every_must_check_and_defects_fail_one(path: Path) -> None:
    data = json.loads(path.read_text())
    ask = load_ask(_ask_path(path, data["ask"]))
    content = CONTENT_MODELS[data["channel"]].model_validate(data["content"])
    failed = must_failures(run_checks(ask, content, to_text(content)))
    if data["label"] == "good":
        assert failed == [], "\n".join(f"{r.id}: {r.detail}" for r in failed)
    else:
        assert failed, f"nothing catches: {data['defect']['what']}"


def test_the_public_set_is_the_shared_examples() -> None:
    """The public labels refer to the shared example asks, which the repo keeps as fixtures."""
    names = {json.loads(p.read_text())["ask"] for p in (LABELED / "public").glob("*.json")}
    assert names <= {p.name for p in (ROOT / "fixtures" / "asks").iterdir()}
