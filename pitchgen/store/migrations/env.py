"""Alembic environment for the draft store.

`Store.upgrade()` runs it with an open connection (in `config.attributes["connection"]`).
With an alembic.ini whose `script_location` is `pitchgen/migrations`, developers may also run
`alembic -x url=... revision --autogenerate -m "..."` against a scratch database, or
`alembic -x url=... upgrade head --sql` to hand a DBA the SQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from pitchgen.store.migrations.schema import include_object, metadata, render_item

config = context.config


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url")
    if url:
        return url
    from pitchgen.settings import get_settings

    return get_settings().store_url()


def _run(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_object=include_object,
        render_item=render_item,
        # SQLite cannot ALTER most things in place; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif (connection := config.attributes.get("connection")) is not None:
    _run(connection)
else:
    engine = sa.create_engine(_url())
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()
