"""Drafts read by id, kept in memory while their rows stay as they were: `GET /v1/drafts/{id}`
is the API's most frequent call, and reading and validating the row cost more than the rest of
it.

Whether the database changed is SQLite's `PRAGMA data_version`, asked on a connection of the
cache's own: it moves whenever any other connection commits, in this process (the store's own
writes go through its pool) or another (`pitchgen serve --workers N`, the CLI). While it stays,
every kept value is as current as the last commit the probe has seen. Once it moves, a kept
value is served again only after its row, read afresh on the probe's connection, is found equal
to the row it was made from (one indexed read of raw columns, a tenth of loading and validating
a draft): a commit elsewhere, a new draft set or another draft's approval, no longer empties the
whole cache. The row is read before the value is loaded, so a commit between the two leaves the
value newer than its row, never older, and the next look finds them apart and loads it again.
Only for a SQLite file: an in-memory database is another database on another connection, and a
server across the network has no such counter.

Asking `data_version` is a statement and a read lock (two `fcntl` calls) on every read, about
a tenth of a cached `GET /v1/drafts/{id}` in a server. In WAL mode (the store's) every commit,
from any connection, rewrites the WAL-index header at the start of the `-shm` file
(https://www.sqlite.org/walformat.html): while those bytes stay as they were when
`data_version` was last asked, nothing was committed since, and that answer still holds. The
header is read before the question, so a commit in between leaves the header seen older than
the answer, never newer, and the next look asks again. It is read from memory shared with
SQLite (no system call), and only where it is certainly the probe's own: the probe in WAL
mode (which keeps any connection from leaving it while the probe is open) and a path without
symbolic links (SQLite names the file after the resolved path). Anything unexpected in the
header (the copies apart, mid-write; another format) means asking, as before.
"""

from __future__ import annotations

import mmap
import os
import sqlite3
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

__all__ = ["ChangeCache", "cacheable"]

T = TypeVar("T")
MAX_ENTRIES = 4096
# The WAL-index header's two 48-byte copies, and its version and "initialized" flag.
_HEADER = 96
_WAL_INDEX = (3007000).to_bytes(4, "little"), (3007000).to_bytes(4, "big")


def cacheable(url: sa.URL) -> str | None:
    """The SQLite file of `url` when a cache may sit over it, else None."""
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return None
    if database.startswith("file:") or "mode=memory" in str(url.query):
        return None
    return database


class ChangeCache(Generic[T]):
    """Values by key, each with the row it was made from (`row_sql`: the query of one row by
    key) and the `data_version` at which that row was last seen to be the database's."""

    def __init__(self, path: str, row_sql: str, size: int = MAX_ENTRIES) -> None:
        self._path = path
        self._row_sql = row_sql
        self._probe: sqlite3.Connection | None = None
        self._size = size
        self._values: dict[str, tuple[T, Any, int]] = {}
        self._lock = threading.Lock()
        self._header: mmap.mmap | None = None
        # SQLite names the header's file after the resolved path: through a link, always ask.
        self._linked = os.path.realpath(path) != os.path.abspath(path)
        # The header as it was just before `data_version` last answered, and the answer.
        self._seen: tuple[bytes, int] = (b"", 0)

    def get(self, key: str, load: Callable[[], T]) -> T:
        with self._lock:
            try:
                version = self._data_version()
                kept = self._values.get(key)
                if kept is not None and kept[2] == version:
                    return kept[0]
                row = self._row(key)
            except sqlite3.Error:
                return load()  # the store's own read reports what is wrong
            if kept is not None and kept[1] == row:
                self._values[key] = (kept[0], row, version)
                return kept[0]
        # Loaded after its row was read: see the module's docstring.
        value = load()
        with self._lock:
            if len(self._values) >= self._size and key not in self._values:
                del self._values[next(iter(self._values))]
            self._values[key] = (value, row, version)
        return value

    def _row(self, key: str) -> Any:
        assert self._probe is not None  # opened by `_data_version`, asked first
        return self._probe.execute(self._row_sql, (key,)).fetchone()

    def _data_version(self) -> int:
        # Opened on first use: the store's database may not be reachable yet when it is made.
        if self._probe is None:
            self._probe = sqlite3.connect(self._path, check_same_thread=False, isolation_level=None)
        header = self._header[:_HEADER] if self._header is not None else b""
        if header and header == self._seen[0]:
            return self._seen[1]
        version = self._probe.execute("PRAGMA data_version").fetchone()[0]
        if self._header is None and not self._linked:
            self._header = _wal_header(self._path, self._probe)
        elif _whole(header):
            self._seen = (header, version)
        return version

    def close(self) -> None:
        with self._lock:
            if self._header is not None:
                self._header.close()
                self._header = None
            if self._probe is not None:
                self._probe.close()
                self._probe = None


def _wal_header(path: str, probe: sqlite3.Connection) -> mmap.mmap | None:
    """The WAL-index header `probe` shares with every connection to `path`, mapped read-only;
    None where it may not be the probe's own (see the module's docstring)."""
    if probe.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        return None
    try:
        fd = os.open(f"{path}-shm", os.O_RDONLY)
    except OSError:
        return None
    try:
        # No shorter than the header: a read past a file's end would end the process (SIGBUS).
        # SQLite shortens it only when no connection has it open, and the probe has.
        if os.fstat(fd).st_size < _HEADER:
            return None
        return mmap.mmap(fd, _HEADER, mmap.MAP_SHARED, mmap.PROT_READ)
    except OSError:
        return None
    finally:
        os.close(fd)


def _whole(header: bytes) -> bool:
    """Both copies the same (not mid-write), initialized, and of the format this knows."""
    return header[:48] == header[48:] and header[:4] in _WAL_INDEX and header[12] == 1
