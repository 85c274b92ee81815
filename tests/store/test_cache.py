"""The cache of drafts read by id over a SQLite file: never older than the last commit it has
seen, and not emptied by commits that leave a kept value's row as it was."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pitchgen.ask import Ask
from pitchgen.store.cache import ChangeCache
from pitchgen.store.repository import Store
from pitchgen.store.rows import Change

pytest_plugins = ["conftest_store"]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(tmp_path / "rows.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE rows (id TEXT PRIMARY KEY, value TEXT)")
    conn.executemany("INSERT INTO rows VALUES (?, ?)", [("a", "one"), ("b", "two")])
    yield conn
    conn.close()


@pytest.fixture
def cache(tmp_path: Path, db: sqlite3.Connection) -> Iterator[ChangeCache[str]]:
    made = ChangeCache(str(tmp_path / "rows.db"), "SELECT * FROM rows WHERE id = ?")
    yield made
    made.close()


def loader(db: sqlite3.Connection, key: str, loads: list[str]) -> Callable[[], str]:
    def load() -> str:
        loads.append(key)
        return db.execute("SELECT value FROM rows WHERE id = ?", (key,)).fetchone()[0]

    return load


def test_a_value_is_loaded_once_while_nothing_changes(cache, db) -> None:
    loads: list[str] = []
    assert [cache.get("a", loader(db, "a", loads)) for _ in range(3)] == ["one"] * 3
    assert loads == ["a"]


def test_a_commit_to_another_row_keeps_the_value(cache, db) -> None:
    loads: list[str] = []
    cache.get("a", loader(db, "a", loads))
    db.execute("UPDATE rows SET value = 'deux' WHERE id = 'b'")
    db.execute("INSERT INTO rows VALUES ('c', 'three')")
    assert cache.get("a", loader(db, "a", loads)) == "one"
    assert cache.get("b", loader(db, "b", loads)) == "deux"
    assert loads == ["a", "b"]


def test_a_changed_row_is_loaded_again(cache, db) -> None:
    loads: list[str] = []
    cache.get("a", loader(db, "a", loads))
    db.execute("UPDATE rows SET value = 'uno' WHERE id = 'a'")
    assert cache.get("a", loader(db, "a", loads)) == "uno"
    db.execute("DELETE FROM rows WHERE id = 'a'")
    with pytest.raises(TypeError):  # the loader finds no row: the cache never answers for it
        cache.get("a", loader(db, "a", loads))
    assert loads == ["a", "a", "a"]


def test_a_commit_while_loading_is_seen_at_the_next_read(cache, db) -> None:
    loads: list[str] = []

    def racing() -> str:
        db.execute("UPDATE rows SET value = 'uno' WHERE id = 'a'")  # after the cache read the row
        return loader(db, "a", loads)()

    assert cache.get("a", racing) == "uno"
    db.execute("UPDATE rows SET value = 'eins' WHERE id = 'a'")
    assert cache.get("a", loader(db, "a", loads)) == "eins"


def test_the_store_reads_a_draft_again_only_when_its_row_changed(
    tmp_path: Path, summit: Ask, make_set, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store, other = Store.from_url(url), Store.from_url(url)
    first, second = make_set(), make_set()
    store.save_draft_set(summit, first, actor="ava")
    reads: list[str] = []
    read = store._read_draft
    monkeypatch.setattr(store, "_read_draft", lambda i: reads.append(i) or read(i))
    draft = first.drafts[0]
    store.get_draft(draft.id)
    other.save_draft_set(summit, second, actor="ben")  # another process's commit
    assert store.get_draft(draft.id).status == "draft"
    assert reads == [draft.id]
    other.apply(other.get_draft(draft.id), Change(action="reject", actor="ben",
                                                  to_status="rejected", reason="no"))  # fmt: skip
    assert store.get_draft(draft.id).status == "rejected"
    assert reads == [draft.id, draft.id]
    store.close()
    other.close()


def asked(cache: ChangeCache[str]) -> list[str]:
    """The statements the cache's probe runs from now on."""
    statements: list[str] = []
    assert cache._probe is not None
    cache._probe.set_trace_callback(statements.append)
    return statements


def test_while_nothing_is_committed_a_read_asks_sqlite_nothing(cache, db) -> None:
    loads: list[str] = []
    cache.get("a", loader(db, "a", loads))
    cache.get("a", loader(db, "a", loads))  # the WAL-index header is mapped after a first look
    statements = asked(cache)
    assert [cache.get("a", loader(db, "a", loads)) for _ in range(3)] == ["one"] * 3
    assert statements == []
    db.execute("UPDATE rows SET value = 'uno' WHERE id = 'a'")
    assert cache.get("a", loader(db, "a", loads)) == "uno"
    assert "PRAGMA data_version" in statements
    statements.clear()
    assert cache.get("a", loader(db, "a", loads)) == "uno" and statements == []


def test_through_a_symbolic_link_every_read_asks_and_sees_each_commit(tmp_path: Path, db) -> None:
    (tmp_path / "linked").symlink_to(tmp_path, target_is_directory=True)
    cache = ChangeCache(str(tmp_path / "linked" / "rows.db"), "SELECT * FROM rows WHERE id = ?")
    loads: list[str] = []
    cache.get("a", loader(db, "a", loads))
    statements = asked(cache)
    assert cache.get("a", loader(db, "a", loads)) == "one"
    db.execute("UPDATE rows SET value = 'uno' WHERE id = 'a'")
    assert cache.get("a", loader(db, "a", loads)) == "uno"
    assert statements.count("PRAGMA data_version") == 2
    cache.close()
