"""A saving `pitchgen draft` on SQLite writes through sqlite3 (`pitchgen.store.direct`): the
rows it stores are the store's own, value for value, and it writes nothing where the store has
more to do (migrate, guard, report an error)."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pitchgen import telemetry
from pitchgen.ask import Ask
from pitchgen.content.ledger import ModelCall
from pitchgen.store import writes
from pitchgen.store.direct import JSON_COLUMNS, save_new, sqlite_file
from pitchgen.store.migrations import schema
from pitchgen.store.newrows import DRAFT_COLUMNS
from pitchgen.store.repository import Store

pytest_plugins = ["conftest_store"]

NOW = dt.datetime(2026, 3, 4, 5, 6, 7, 89, tzinfo=dt.UTC)
TABLES = ("asks", "drafts", "revisions", "events")
SUMMIT = Path(__file__).resolve().parents[2] / "fixtures" / "asks" / "summit-venue.yaml"


def _migrated(tmp_path: Path, name: str) -> str:
    url = f"sqlite:///{tmp_path / name}"
    Store.from_url(url).close()
    return url


def _rows(url: str) -> dict[str, list[tuple]]:
    with sqlite3.connect(sqlite_file(url)) as conn:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLES}


def test_the_tables_written_are_the_schemas() -> None:
    assert tuple(schema.drafts.c.keys()) == DRAFT_COLUMNS
    for table, columns in JSON_COLUMNS.items():
        typed = {c.name for c in schema.metadata.tables[table].c if isinstance(c.type, schema.Json)}
        assert columns == typed


@pytest.mark.parametrize("ledger", [False, True])
@pytest.mark.parametrize("request_id", [None, "req-1"])
def test_it_stores_the_rows_the_store_stores(
    tmp_path, monkeypatch, summit: Ask, make_set, ledger, request_id
) -> None:
    calls = [ModelCall(attempt=1, reask=False, model="m", outcome="accepted", latency_ms=10)]
    drafts = make_set(model_calls=calls if ledger else [])
    via_store, direct = _migrated(tmp_path, "a.db"), _migrated(tmp_path, "b.db")
    monkeypatch.setattr(writes, "_now", lambda: NOW)
    token = telemetry.request_id.set(request_id)
    try:
        store = Store.from_url(via_store)
        store.save_draft_set(summit, drafts, actor="cli:someone")
        store.close()
        assert save_new(direct, summit, drafts, "cli:someone", now=NOW)
    finally:
        telemetry.request_id.reset(token)

    assert _rows(direct) == _rows(via_store)
    assert len(_rows(direct)["events"]) == 3
    back = Store.from_url(direct)
    assert [back.get_draft(d.id).text for d in drafts.drafts] == [d.text for d in drafts.drafts]
    back.close()


@pytest.mark.parametrize(
    "url",
    ["sqlite://", "sqlite:///:memory:", "sqlite:///x.db?mode=ro", "sqlite:///file:x.db",
     "sqlite:///a%20b.db", "postgresql+psycopg://u@h/db", "sqlite+aiosqlite:///x.db"],
)  # fmt: skip
def test_only_a_plain_sqlite_file_url_is_taken(url) -> None:
    assert sqlite_file(url) is None


def test_a_relative_file_is_where_sqlalchemy_opens_it(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert sqlite_file("sqlite:///sub/x.db") == str(tmp_path / "sub" / "x.db")
    assert sqlite_file("sqlite+pysqlite:////abs/x.db") == "/abs/x.db"


def _partner(url: str) -> None:
    with sqlite3.connect(sqlite_file(url)) as conn:
        conn.execute(
            "INSERT INTO partners (id, identity, organization, can_offer, tags, created_at,"
            " updated_at) VALUES ('p1', 'acme', 'Acme', '[]', '[]', '2026-01-01', '2026-01-01')"
        )


def _behind(url: str) -> None:
    with sqlite3.connect(sqlite_file(url)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0006_batches'")


def _unversioned(url: str) -> None:
    with sqlite3.connect(sqlite_file(url)) as conn:
        conn.execute("DROP TABLE alembic_version")


@pytest.mark.parametrize("change", [_partner, _behind, _unversioned])
def test_it_writes_nothing_where_the_store_has_more_to_do(
    tmp_path, summit: Ask, make_set, change
) -> None:
    url = _migrated(tmp_path, "s.db")
    change(url)

    assert not save_new(url, summit, make_set(), "cli:someone")
    assert all(rows == [] for rows in _rows(url).values())


def test_a_file_another_writer_holds_is_left_to_the_store_at_once(
    tmp_path, summit: Ask, make_set
) -> None:
    # Waiting here too would make a locked file wait twice: this busy timeout, then the store's.
    url = _migrated(tmp_path, "held.db")
    holder = sqlite3.connect(sqlite_file(url), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        began = dt.datetime.now(dt.UTC)
        assert not save_new(url, summit, make_set(), "cli:someone")
        assert (dt.datetime.now(dt.UTC) - began).total_seconds() < 5  # not the 10 s timeout
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert all(rows == [] for rows in _rows(url).values())


def test_it_creates_no_database(tmp_path, summit: Ask, make_set) -> None:
    assert not save_new(f"sqlite:///{tmp_path / 'new.db'}", summit, make_set(), "cli:x")
    assert not (tmp_path / "new.db").exists()


def test_a_saving_draft_on_sqlite_never_loads_sqlalchemy(tmp_path) -> None:
    url = _migrated(tmp_path, "cli.db")
    probe = (
        "import sys\nfrom pitchgen.cli import main\n"
        f"code = main(['draft', {str(SUMMIT)!r}, '--llm', 'off', '-f', 'json'])\n"
        "print(code, 'sqlalchemy' in sys.modules, file=sys.stderr)\n"
    )
    env = {"PITCHGEN_DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False, env=env
    )
    assert done.stderr.splitlines()[-1] == "0 False"
    assert [len(rows) for rows in _rows(url).values()] == [1, 3, 3, 3]
