"""`pitchgen batch` as a user runs it: the id first, a summary, status, and a run killed or
interrupted mid-batch that resumes to every partner drafted and stored exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from fake_openai import FakeOpenAI, completion

from pitchgen.cli import main
from pitchgen.store.migrations.schema import asks, batch_items, batches, drafts

DATA = Path(__file__).resolve().parents[1] / "data" / "batch"
ASK = str(DATA / "summit-ask.yaml")
PARTNERS = str(DATA / "partners.csv")


def count(db: Path, table: sa.Table, *where) -> int:
    engine = sa.create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table(table.name):
                return 0
            query = sa.select(sa.func.count()).select_from(table)
            return conn.execute(query.where(*where) if where else query).scalar()
    finally:
        engine.dispose()


def test_a_batch_prints_its_id_first_then_a_summary(capsys, tmp_path: Path) -> None:
    code = main(["batch", ASK, PARTNERS, "--channel", "email", "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert code == 0
    first = out.splitlines()[0]
    assert first.startswith("batch ")
    batch_id = first.split()[1]
    assert "5 partners: 5 done; 0 fallbacks" in out
    assert "Riverside Barbers Guild" in out
    written = sorted(p.relative_to(tmp_path / "out").as_posix()
                     for p in (tmp_path / "out").rglob("*.txt"))  # fmt: skip
    assert written[0] == "0001-main-street-business-alliance/email.txt"
    assert len(written) == 5

    assert main(["batch", "status", batch_id, "--format", "json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert (status["id"], status["status"], status["total"], status["done"]) == (
        batch_id, "done", 5, 5,
    )  # fmt: skip
    assert [i["line"] for i in status["items"]] == [2, 3, 4, 5, 6]
    assert all(i["state"] == "done" and len(i["drafts"]) == 1 for i in status["items"])


def test_bad_rows_are_all_reported_and_nothing_is_stored(capsys, tmp_path: Path) -> None:
    bad = tmp_path / "partners.csv"
    bad.write_text("organization,email,focus\nAcme,nope,fine\nBeta,b@beta.org,=cmd|' /C calc'!A0\n")
    assert main(["batch", ASK, str(bad)]) == 2
    err = capsys.readouterr().err
    assert "line 2, column email: not an email address" in err
    assert "line 3, column focus: starts with '='" in err
    db = Path(os.environ["PITCHGEN_DATABASE_URL"].removeprefix("sqlite:///"))
    assert count(db, batches) == 0


def test_resume_and_status_of_an_unknown_batch_fail_with_a_reason(capsys) -> None:
    assert main(["batch", "status", "nope"]) == 1
    assert "no batch with id nope" in capsys.readouterr().err


def _batch_env(tmp_path: Path, base_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PITCHGEN_", "OPENAI_"))}
    return env | {
        "PITCHGEN_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}",
        "PITCHGEN_LLM": "live",
        "OPENAI_BASE_URL": base_url,
        "OPENAI_API_KEY": "sk-test",
        "PITCHGEN_BATCH_CONCURRENCY": "2",
    }


def _start(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pitchgen", "batch", ASK, PARTNERS, "--channel", "email"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _wait_for_done(db: Path, at_least: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while count(db, batch_items, batch_items.c.state == "done") < at_least:
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, "the batch made no progress"
        time.sleep(0.05)


@pytest.mark.parametrize("how", ["SIGKILL", "Ctrl-C"])
def test_a_run_stopped_mid_batch_resumes_to_each_partner_stored_once(
    tmp_path: Path, how: str
) -> None:
    db = tmp_path / "store.db"
    # Slow enough that the stop lands mid-batch: two calls (a reply and its re-ask) per item.
    with FakeOpenAI(lambda body: completion("no draft here"), latency=0.4) as server:
        env = _batch_env(tmp_path, server.base_url)
        proc = _start(env)
        _wait_for_done(db, 1, proc)
        proc.send_signal(signal.SIGKILL if how == "SIGKILL" else signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        batch_id = out.splitlines()[0].split()[1]
        done = count(db, batch_items, batch_items.c.state == "done")
        assert 1 <= done < 5
        if how == "Ctrl-C":
            assert proc.returncode == 130
            assert f"Resume with: pitchgen batch resume {batch_id}" in err
            # Nothing is left claimed by the stopped run.
            assert count(db, batch_items, batch_items.c.state == "running") == 0
        else:
            assert proc.returncode == -signal.SIGKILL
        resumed = subprocess.run(
            [sys.executable, "-m", "pitchgen", "batch", "resume", batch_id],
            env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    assert "5 partners: 5 done" in resumed.stdout
    assert count(db, batch_items, batch_items.c.state == "done") == 5
    assert count(db, asks) == 5 and count(db, drafts) == 5
    # Each partner's draft set is the one its item points to, and no other was kept.
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        pairs = conn.execute(
            sa.select(batch_items.c.partner_name, asks.c.partner).join(
                asks, asks.c.id == batch_items.c.ask_id
            )
        ).all()
    engine.dispose()
    assert all(mine == theirs for mine, theirs in pairs) and len(pairs) == 5


def test_a_worker_needs_a_postgresql_store(capsys) -> None:
    assert main(["worker"]) == 1
    assert "the batch queue needs a PostgreSQL store" in capsys.readouterr().err


def test_status_shows_what_the_batchs_model_calls_cost(capsys, monkeypatch) -> None:
    # Every reply fails the checks: each draft asks, re-asks, then falls back to its template.
    with FakeOpenAI(lambda body: completion("no draft here")) as server:
        monkeypatch.setenv("PITCHGEN_LLM", "live")
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        monkeypatch.setenv("PITCHGEN_PRICES", '{"fake-model": {"prompt": 1, "completion": 2}}')
        assert main(["batch", ASK, PARTNERS, "--channel", "email"]) == 0
    batch_id = capsys.readouterr().out.splitlines()[0].split()[1]

    assert main(["batch", "status", batch_id]) == 0
    # 5 drafts, 2 calls each of 100 prompt and 50 completion tokens, at 1 and 2 a million.
    said = "model calls of its 5 drafts: 10 model calls, 5 re-asks, 0 retries, 1000 / 500 tokens"
    shown = " ".join(capsys.readouterr().out.split())  # as wide as the terminal: any wrapping
    assert f"{said}, about 0.0020 at the operator's prices" in shown
    assert main(["batch", "status", batch_id, "--format", "json"]) == 0
    usage = json.loads(capsys.readouterr().out)["usage"]
    assert (usage["model_calls"], usage["prompt_tokens"], usage["completion_tokens"]) == (
        10, 1000, 500,
    )  # fmt: skip
    assert usage["cost"] == pytest.approx(0.002)
