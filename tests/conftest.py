"""Shared test fixtures: no test reads the developer's own environment or data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from pitchgen.ask import Ask, load_ask
from pitchgen.settings import get_settings

# The SMTP test server's fixtures, for every test that sends mail.
pytest_plugins = ["conftest_smtp"]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "fixtures" / "asks").iterdir())

settings.register_profile(
    "ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith(("PITCHGEN_", "OPENAI_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PITCHGEN_DATABASE_URL", f"sqlite:///{tmp_path / 'pitchgen.db'}")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(params=EXAMPLES, ids=[p.name for p in EXAMPLES])
def example_path(request: pytest.FixtureRequest) -> Path:
    return request.param


@pytest.fixture
def example(example_path: Path) -> Ask:
    return load_ask(example_path)


@pytest.fixture
def examples_dir() -> Path:
    return ROOT / "fixtures" / "asks"
