"""How every SQLite connection of the store is set up, whichever writer opens it: the store's
engine (`pitchgen.store.database`) and the short save that writes without SQLAlchemy
(`pitchgen.store.direct`). Nothing here imports SQLAlchemy."""

from __future__ import annotations

__all__ = ["PRAGMAS"]

# WAL: readers never wait for the writer; NORMAL: durable at each checkpoint, as WAL advises;
# foreign keys on, which SQLite leaves off; a writer waits up to 10 s for another to finish.
PRAGMAS = ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON",
           "busy_timeout = 10000")  # fmt: skip
