"""`pitchgen fixtures record|verify`: re-recording through a live endpoint, and a report of the
stale, orphaned and missing exchanges."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fake_openai import FakeOpenAI, completion
from typer.testing import CliRunner

from pitchgen.cli.fixtures import fixtures_app
from pitchgen.llm.recordings import FixtureStore

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "llm"
ASKS = ROOT / "fixtures" / "asks"
runner = CliRunner()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three synthetic exchanges: a one-shot email, and an email fixed on its re-ask."""
    out = tmp_path / "llm"
    out.mkdir()
    for path in FIXTURES.glob("synthetic-happy-email-*.json"):
        shutil.copy(path, out)
    for path in FIXTURES.glob("synthetic-reask-fixed-*.json"):
        shutil.copy(path, out)
    assert len(list(out.iterdir())) == 3
    return out


def verify(folder: Path):
    return runner.invoke(fixtures_app, ["verify", "--fixtures", str(folder)])


def test_verify_passes_when_every_fixture_is_in_use(folder):
    result = verify(folder)
    assert result.exit_code == 0, result.output
    assert "3 fixture(s), 3 in use" in result.output


def test_verify_names_a_fixture_recorded_under_another_prompt(folder):
    path = next(folder.glob("synthetic-happy-email-*.json"))
    data = json.loads(path.read_text())
    data["prompt_version"] = "0123456789ab"
    path.write_text(json.dumps(data))
    result = verify(folder)
    assert result.exit_code == 1
    assert f"stale: {path.name} (prompt 0123456789ab, now " in result.output


def orphan_of_happy_email(folder):
    """The happy email's fixture, and a recording beside it that no request of ours makes."""
    store = FixtureStore(folder)
    (kept,) = [f for f in store.all() if f.path.name.startswith("synthetic-happy-email")]
    orphan = store.write(
        prefix="email",
        channel="email",
        prompt_version=kept.prompt_version,
        note="recorded at another temperature",
        request=kept.request | {"temperature": 0.7},
        status=200,
        response=kept.response,
    )
    return kept, orphan


def test_verify_names_orphans_and_missing_exchanges(folder):
    _, orphan = orphan_of_happy_email(folder)
    reask = max(folder.glob("synthetic-reask-fixed-*.json"), key=lambda p: len(p.read_text()))
    reask.unlink()
    result = verify(folder)
    assert result.exit_code == 1
    assert f"orphan: {orphan.name}" in result.output
    assert "missing: no recorded LLM exchange for email (key " in result.output
    assert "pitchgen fixtures record ASK_FILE --channel email" in result.output


def test_record_needs_a_live_endpoint(tmp_path):
    result = runner.invoke(fixtures_app, ["record", "--fixtures", str(tmp_path)])
    assert result.exit_code != 0
    assert "OPENAI_BASE_URL" in str(result.exception)


def test_record_writes_every_exchange_of_the_asks_given(tmp_path, monkeypatch):
    with FakeOpenAI(lambda body: completion("not json", model="local-model")) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        result = runner.invoke(
            fixtures_app,
            ["record", str(ASKS / "summit-venue.yaml"), "-c", "email", "--fixtures", str(tmp_path)],
        )
    assert result.exit_code == 0, result.output
    assert "summit-venue.yaml email: template (llm_invalid_output)" in result.output
    written = sorted(tmp_path.glob("email-*.json"))
    assert len(written) == 2  # the draft and its re-ask
    assert "wrote 2 fixture(s)" in result.output
    assert all(json.loads(p.read_text())["note"] == "recorded from local-model" for p in written)


def test_verify_prune_deletes_orphaned_recordings_but_never_synthetic_ones(folder):
    kept, orphan = orphan_of_happy_email(folder)
    data = json.loads(kept.path.read_text())
    data["prompt_version"] = "0123456789ab"
    kept.path.write_text(json.dumps(data))
    result = runner.invoke(fixtures_app, ["verify", "--prune", "--fixtures", str(folder)])
    assert result.exit_code == 1
    assert f"orphan: {orphan.name}: deleted" in result.output
    assert not orphan.exists()
    assert kept.path.exists()
    assert "regenerate with `python tests/synthetic_fixtures.py`" in result.output


def test_record_reuses_what_is_recorded_unless_told_to_call_for_everything(tmp_path, monkeypatch):
    args = ["record", str(ASKS / "summit-venue.yaml"), "-c", "email", "--fixtures", str(tmp_path)]
    with FakeOpenAI(lambda body: completion("not json")) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        runner.invoke(fixtures_app, args)
        calls = len(server.recorder.bodies)
        again = runner.invoke(fixtures_app, args)
        assert len(server.recorder.bodies) == calls
        assert "wrote 0 fixture(s)" in again.output
        runner.invoke(fixtures_app, [*args, "--all"])
        assert len(server.recorder.bodies) == 2 * calls
