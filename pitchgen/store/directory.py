"""Whether the partner directory has any entry, asked without loading the directory's code
(`pitchgen.store.partners`, `pitchgen.partners`, `pitchgen.service.partners`): a saved draft
runs the over-asking guard, which finds nothing to warn of while the directory is empty, and
those modules cost a saving `pitchgen draft` about 8 ms to import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from pitchgen.store.migrations.schema import partners

if TYPE_CHECKING:
    from pitchgen.store.repository import Store

__all__ = ["has_entries"]

_ANY_ENTRY = sa.select(partners.c.id).limit(1)


def has_entries(store: Store) -> bool:
    with store._read() as conn:
        return conn.execute(_ANY_ENTRY).first() is not None
