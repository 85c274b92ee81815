"""The live path against a real model: SmolLM2-135M-Instruct served on 127.0.0.1 by
`bench/serve-local-llm`. Whatever the small model writes, every draft that comes out, LLM or
template, passes every must check, and the model was reached (no unavailable fallback).

    bench/serve-local-llm 8765
    PITCHGEN_LOCAL_LLM_URL=http://127.0.0.1:8765/v1 .venv/bin/pytest -m local_llm
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from pitchgen.ask import load_ask
from pitchgen.drafting.pipeline import draft
from pitchgen.settings import Settings

pytestmark = pytest.mark.local_llm

URL = os.environ.get("PITCHGEN_LOCAL_LLM_URL")
MODEL = os.environ.get("PITCHGEN_LOCAL_LLM_MODEL", "SmolLM2-135M-Instruct")
EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "asks").iterdir())


@pytest.fixture(scope="module")
def endpoint() -> str:
    if not URL:
        pytest.skip("no local model: start bench/serve-local-llm, set PITCHGEN_LOCAL_LLM_URL")
    models = httpx.get(f"{URL}/models", timeout=10).json()
    assert [m["id"] for m in models["data"]] == [MODEL]
    return URL


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_draft_from_the_local_model_passes_every_must_check(endpoint, example):
    # A CPU-bound server answers one request at a time: the deadline covers the queue.
    settings = Settings(OPENAI_BASE_URL=endpoint, model=MODEL, llm="live", llm_deadline_seconds=900)
    result = draft(load_ask(example), settings=settings)
    assert result.drafts
    for made in result.drafts:
        assert made.fallback_reason in (None, "llm_invalid_output"), made.fallback_reason
        failed = [c.id for c in made.checks if c.level == "must" and not c.passed]
        assert failed == [], (made.channel, made.source, failed)
        if made.source == "llm":
            assert made.model == MODEL
        else:
            assert made.rejected_llm_output is not None
