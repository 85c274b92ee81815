"""Opening the store's database (SQLite or PostgreSQL) as a SQLAlchemy engine, and naming it in
messages a person reads without its password or any other secret the URL holds."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from pitchgen.errors import StoreError
from pitchgen.store.sqlite import PRAGMAS

__all__ = ["describe_url", "error_message", "open_engine"]

# libpq and psycopg also take a password as a query parameter: `…/db?password=…`.
_SECRET_QUERY = frozenset({"password", "sslpassword", "passfile", "sslkey"})


def open_engine(url: str) -> sa.Engine:
    """The engine for a SQLAlchemy URL. A malformed URL, a missing driver or an unknown kind
    of database is a `StoreError`; nothing connects yet."""
    try:
        parsed = sa.make_url(url)
    except (sa.exc.ArgumentError, ValueError):
        # Not chained: the parser's own message quotes the whole URL, password and all.
        raise StoreError("the database URL is not a valid SQLAlchemy URL") from None
    if parsed.drivername in ("postgresql", "postgres"):
        # The bare scheme means psycopg2 to SQLAlchemy; pitchgen ships psycopg 3.
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        engine = sa.create_engine(parsed, **_engine_options(parsed))
    except ImportError as exc:
        hint = " (pip install 'psycopg[binary]')" if exc.name == "psycopg" else ""
        raise StoreError(
            f"cannot use the database at {_safe(parsed)}: its driver {exc.name!r} is not"
            f" installed{hint}"
        ) from None
    except sa.exc.ArgumentError:
        raise StoreError(
            f"cannot use the database at {_safe(parsed)}: not a database kind SQLAlchemy knows"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        _configure_sqlite(engine)
    return engine


def _secrets(url: sa.URL) -> list[str]:
    query = [url.query[k] for k in url.query if k.lower() in _SECRET_QUERY]
    values = [v for q in query for v in ([q] if isinstance(q, str) else q)]
    return [str(url.password), *values] if url.password else values


def _safe(url: sa.URL) -> str:
    hidden = {k: "***" for k in url.query if k.lower() in _SECRET_QUERY}
    shown = url.update_query_dict(hidden).render_as_string(hide_password=True)
    return shown.replace("%2A%2A%2A", "***")


def describe_url(url: str | sa.URL) -> str:
    """Where the store is, for a message a person reads: never with a password in it."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"the SQLite database at {parsed.database}"
    return f"the database at {_safe(parsed)}"


def error_message(url: sa.URL, exc: BaseException | None) -> str:
    """What a failed database call says: where, and the driver's reason, secrets hidden."""
    # Only the driver's first line: SQLAlchemy's own text appends the statement and its
    # parameters, which hold draft content.
    reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    for secret in _secrets(url):
        reason = reason.replace(secret, "***")
    return f"cannot read or write {describe_url(url)}: {reason}"


def _engine_options(url: sa.URL) -> dict[str, Any]:
    if url.get_backend_name() == "postgresql":
        connect_args = {} if "connect_timeout" in url.query else {"connect_timeout": 5}
        return {"pool_pre_ping": True, "connect_args": connect_args}
    return {}


def _configure_sqlite(engine: sa.Engine) -> None:
    # pysqlite's own transaction handling is off; the store issues BEGIN itself (`Store._write`,
    # `Store._read`), not from a "begin" event: any connection event listener slows every
    # statement SQLAlchemy runs. A read of one statement needs none: in WAL mode that statement
    # is its own snapshot, and a BEGIN and ROLLBACK around it cost more than the read itself.
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        for pragma in PRAGMAS:
            cur.execute(f"PRAGMA {pragma}")
        cur.close()
