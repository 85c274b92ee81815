"""Drafts read by id, kept in memory until the database changes: `GET /v1/drafts/{id}` is the
API's most frequent call, and reading and validating the row cost more than the rest of it.

Whether the database changed is SQLite's `PRAGMA data_version`, asked on a connection of the
cache's own: it moves whenever any other connection commits, in this process (the store's own
writes go through its pool) or another (`pitchgen serve --workers N`, the CLI). Every commit
empties the cache, so a cached draft is never older than the last commit the probe has seen,
and a read checks that first. Only for a SQLite file: an in-memory database is another
database on another connection, and a server across the network has no such counter.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

import sqlalchemy as sa

__all__ = ["ChangeCache", "cacheable"]

T = TypeVar("T")
MAX_ENTRIES = 4096


def cacheable(url: sa.URL) -> str | None:
    """The SQLite file of `url` when a cache may sit over it, else None."""
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return None
    if database.startswith("file:") or "mode=memory" in str(url.query):
        return None
    return database


class ChangeCache(Generic[T]):
    """Values by key, valid while the database's `data_version` stays where it was."""

    def __init__(self, path: str, size: int = MAX_ENTRIES) -> None:
        self._path = path
        self._probe: sqlite3.Connection | None = None
        self._size = size
        self._version: int | None = None
        self._values: dict[str, T] = {}
        self._lock = threading.Lock()

    def get(self, key: str, load: Callable[[], T]) -> T:
        with self._lock:
            try:
                version = self._data_version()
            except sqlite3.Error:
                return load()  # the store's own read reports what is wrong
            if version != self._version:
                self._values.clear()
                self._version = version
            elif (hit := self._values.get(key)) is not None:
                return hit
        # Loaded after the probe: a commit in between is seen by the next probe, which then
        # drops what this read keeps.
        value = load()
        with self._lock:
            if self._version == version:
                if len(self._values) >= self._size:
                    del self._values[next(iter(self._values))]
                self._values[key] = value
        return value

    def _data_version(self) -> int:
        # Opened on first use: the store's database may not be reachable yet when it is made.
        if self._probe is None:
            self._probe = sqlite3.connect(self._path, check_same_thread=False, isolation_level=None)
        return self._probe.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            if self._probe is not None:
                self._probe.close()
                self._probe = None
