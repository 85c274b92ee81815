"""A new draft set written to a SQLite file with the standard library's sqlite3, without
SQLAlchemy: what a saving `pitchgen draft` does in the common case. Importing SQLAlchemy (and
the asyncio and ssl it loads whatever the database) and the store's tables costs that command
about as much as drafting itself.

The rows are those `Store.save_draft_set` writes (`pitchgen.store.writes`;
`pitchgen.store.newrows` builds them for both), each value stored as SQLAlchemy's SQLite types
store it: JSON as `json.dumps` writes it, a time as `YYYY-MM-DD HH:MM:SS.ffffff` in UTC.
The connection is set up as the store's are (`pitchgen.store.sqlite`), but for waiting on a
lock: that is left to the store.
tests/store/test_direct.py holds the two writes equal.

Only the plain case is taken here: a `sqlite:///FILE` URL with no query, the file already
there and at the newest schema, an empty partner directory (else the over-asking guard has
work to do) and no partner named. Anything else, or any error of the database, leaves nothing
written and answers False: the caller then saves through the store, which migrates, guards
and reports errors its own way.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
from typing import Any

from pitchgen.ask import Ask
from pitchgen.content.models import DraftSet
from pitchgen.store.newrows import SCHEMA_REVISION, Row, ask_row, draft_rows
from pitchgen.store.sqlite import PRAGMAS

__all__ = ["JSON_COLUMNS", "save_new", "sqlite_file"]

# The columns of type `Json` in the schema, by table; a `DateTime` is any datetime value.
JSON_COLUMNS = {
    "asks": frozenset({"ask"}),
    "drafts": frozenset({"content", "checks", "rejected_llm_output", "model_calls"}),
    "revisions": frozenset({"content", "checks"}),
    "events": frozenset({"detail"}),
}
# A URL whose file SQLAlchemy reads as the text after `///` with nothing to unquote.
_PLAIN_URL = re.compile(r"sqlite(?:\+pysqlite)?:///([^?#%@]+)")
_TIME = "%Y-%m-%d %H:%M:%S.%f"


def sqlite_file(url: str) -> str | None:
    """The absolute path of the SQLite file of a plain `url` (as SQLAlchemy's pysqlite opens
    it), or None for any other URL."""
    plain = _PLAIN_URL.fullmatch(url)
    if plain is None or plain[1] == ":memory:" or plain[1].startswith("file:"):
        return None
    return os.path.abspath(plain[1])


def save_new(
    url: str, ask: Ask, draft_set: DraftSet, actor: str, now: dt.datetime | None = None
) -> bool:
    """Store the ask and its drafts as `Store.save_draft_set` does, in one transaction; False,
    with nothing written, when this is not the plain case or the database refuses. `now`:
    the time written (the current time unless given)."""
    path = sqlite_file(url)
    if path is None or not os.path.isfile(path):
        return False
    now = now or dt.datetime.now(dt.UTC)
    tables = zip(
        ("asks", "drafts", "revisions", "events"),
        ([ask_row(ask, draft_set, now, None)],
         *draft_rows(draft_set.ask_id, draft_set.drafts, actor, now)),
        strict=True,
    )  # fmt: skip
    try:
        # timeout=0 and busy_timeout 0 below: a file another writer holds is left to the store,
        # which waits its own busy timeout once and reports the lock its own way.
        conn = sqlite3.connect(path, isolation_level=None, timeout=0)
    except sqlite3.Error:
        return False
    try:
        return _write(conn, list(tables))
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def _write(conn: sqlite3.Connection, tables: list[tuple[str, list[Row]]]) -> bool:
    for pragma in PRAGMAS:
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("PRAGMA busy_timeout = 0")
    # IMMEDIATE, as the store's writes: the checks below and the rows are one transaction.
    conn.execute("BEGIN IMMEDIATE")
    try:
        if not _plain_case(conn):
            conn.execute("ROLLBACK")
            return False
        for table, rows in tables:
            _insert(conn, table, rows)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return True


def _plain_case(conn: sqlite3.Connection) -> bool:
    # A database without the table, or behind, is migrated by the store (its "no such table"
    # error ends up as False too).
    version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    if version is None or version[0] != SCHEMA_REVISION:
        return False
    return conn.execute("SELECT id FROM partners LIMIT 1").fetchone() is None


def _insert(conn: sqlite3.Connection, table: str, rows: list[Row]) -> None:
    if not rows:
        return
    names = list(rows[0])
    as_json = JSON_COLUMNS[table]
    # The table and column names are the schema's own (`newrows`), the values bound.
    sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"  # noqa: S608
    conn.executemany(sql, [[_value(r[n], n in as_json) for n in names] for r in rows])


def _value(value: Any, as_json: bool) -> Any:
    if as_json:
        return json.dumps(value)
    if isinstance(value, dt.datetime):
        # SQLAlchemy's SQLite DATETIME: the wall time as given (UTC here), without its zone.
        return value.strftime(_TIME)
    return value
