"""`pitchgen db`: migrate the draft store, and say which schema it is at.

Every other command migrates on open too; `upgrade` is for doing it ahead of time (a deploy
step, before starting several servers), and `current` for checking without changing anything.
"""

from __future__ import annotations

import typer

from pitchgen.errors import StoreError

__all__ = ["db_app"]

db_app = typer.Typer(
    help="The draft store's schema: apply migrations, or show where it stands.",
    no_args_is_help=True,
)


def _open(*, upgrade: bool) -> tuple[str | None, str]:
    """The store's schema revision before anything was done, and where the store is."""
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy.exc import SQLAlchemyError

    from pitchgen.cli.context import settings
    from pitchgen.store.repository import Store, describe_url

    url = settings().store_url()
    store = Store.from_url(url, upgrade=False)
    try:
        store.ping()  # an unreachable server is a StoreError with the driver's reason
        try:
            with store.engine.connect() as conn:
                revision = MigrationContext.configure(conn).get_current_revision()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the schema revision: {type(exc).__name__}") from None
        if upgrade:
            store.upgrade()
    finally:
        store.close()
    return revision, describe_url(url)


@db_app.command("upgrade")
def upgrade_command() -> None:
    """Apply every pending migration to the store PITCHGEN_DATABASE_URL names."""
    from pitchgen.store.repository import SCHEMA_REVISION

    before, where = _open(upgrade=True)
    if before == SCHEMA_REVISION:
        print(f"{where} is already at schema {SCHEMA_REVISION}")
    else:
        print(f"upgraded {where} from schema {before or 'none'} to {SCHEMA_REVISION}")


@db_app.command("current")
def current_command() -> None:
    """Show the store's schema revision and whether migrations are pending (changes nothing)."""
    from pitchgen.store.repository import SCHEMA_REVISION

    revision, where = _open(upgrade=False)
    if revision == SCHEMA_REVISION:
        print(f"{where} is at schema {revision}, the newest")
    elif revision is None:
        print(f"{where} has no schema yet; run `pitchgen db upgrade` (or any command) to create it")
    elif revision < SCHEMA_REVISION:  # revisions are zero-padded sequence numbers
        print(f"{where} is at schema {revision}; run `pitchgen db upgrade` for {SCHEMA_REVISION}")
    else:
        print(
            f"{where} is at schema {revision}, newer than this pitchgen knows"
            f" ({SCHEMA_REVISION}); upgrade pitchgen"
        )
