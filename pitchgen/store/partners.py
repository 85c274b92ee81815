"""The partner directory in the store: entries, imports (all or nothing), and each entry's
history read from the asks drafted for it.

An import is one transaction: every row is matched to an entry first (by `id` when the row
names one, else by identity), every problem is collected, and only a clean file writes. An
ask counts as made to an entry when it was drafted for it (`asks.partner_id`) or, for asks
typed by hand, when its partner block names the entry's organization (same identity).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from pitchgen.ask import NeedType
from pitchgen.errors import Conflict, InvalidInput, NotFound, Problem
from pitchgen.partners.files import ImportRow
from pitchgen.partners.model import DirectoryPartner, History, PartnerFields, identity
from pitchgen.store.migrations.schema import asks, drafts, outcomes, partners
from pitchgen.store.pages import known_form
from pitchgen.store.repository import Store
from pitchgen.store.rows import utc

__all__ = ["AskedOf", "ImportResult", "PartnerStore"]

_FIELDS = tuple(PartnerFields.model_fields)


@dataclass(frozen=True)
class ImportResult:
    created: list[str]
    updated: list[str]
    unchanged: list[str]


@dataclass(frozen=True)
class AskedOf:
    """One ask made to an entry, with its drafts (id, channel, status)."""

    ask_id: str
    created_at: dt.datetime
    sender: str
    project: str
    need_type: str
    need: str
    drafts: list[tuple[str, str, str]]


def _entry(row: sa.Row) -> DirectoryPartner:
    # Validated when written: built without validating again, so 10,000 entries load fast.
    values = row._asdict()
    values.pop("identity", None)
    values["can_offer"] = [NeedType(v) for v in values["can_offer"]]
    values["created_at"] = utc(values["created_at"])
    values["updated_at"] = utc(values["updated_at"])
    return DirectoryPartner.model_construct(**values)


def _values(fields: PartnerFields) -> dict:
    data = fields.model_dump(mode="json")
    data["last_asked"] = fields.last_asked
    return data | {"identity": fields.key}


class PartnerStore:
    """The directory over an open `Store` (its engine, its transactions, its errors)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --- writes -------------------------------------------------------------------------------

    def import_rows(self, rows: Sequence[ImportRow]) -> ImportResult:
        """Create or update every entry `rows` give, or nothing (`InvalidInput` by line)."""
        now = self.store.clock()
        created, updated, unchanged, problems = [], [], [], []
        with self.store._write() as conn:
            existing = {r.id: r for r in conn.execute(partners.select()).all()}
            by_key = {r.identity: r.id for r in existing.values()}
            plan: list[tuple[str, str | None, dict]] = []
            for row in rows:
                values = _values(row.fields)
                target = row.id or by_key.get(values["identity"])
                if row.id and row.id not in existing:
                    problems.append(Problem(f"line {row.line}", f"no partner with id {row.id}"))
                    continue
                owner = by_key.get(values["identity"])
                if owner is not None and owner != target:
                    problems.append(
                        Problem(
                            f"line {row.line}",
                            f"{row.fields.organization!r} is already partner {owner}",
                        )
                    )
                    continue
                if target is not None and row.given is not None:
                    values = {k: v for k, v in values.items() if k in row.given or k == "identity"}
                plan.append((row.fields.organization, target, values))
            if problems:
                raise InvalidInput(problems, f"{len(problems)} problems; nothing imported")
            for _, target, values in plan:
                if target is None:
                    new_id = str(uuid.uuid4())
                    conn.execute(
                        partners.insert().values(
                            id=new_id, created_at=now, updated_at=now, **values
                        )
                    )
                    created.append(new_id)
                elif all(getattr(existing[target], k) == v for k, v in values.items()):
                    unchanged.append(target)
                else:
                    conn.execute(
                        partners.update()
                        .where(partners.c.id == target)
                        .values(updated_at=now, **values)
                    )
                    updated.append(target)
        return ImportResult(created, updated, unchanged)

    def create(self, fields: PartnerFields) -> DirectoryPartner:
        """A new entry; `Conflict` when the organization is in the directory already."""
        if owner := self.find(fields.organization):
            raise Conflict(f"{fields.organization!r} is already in the directory as {owner}")
        return self.get(self.import_rows([ImportRow(0, fields)]).created[0])

    def replace(self, partner_id: str, fields: PartnerFields) -> DirectoryPartner:
        """Write `fields` over the entry (its identity may change, to a name not taken)."""
        self.get(partner_id)
        try:
            self.import_rows([ImportRow(0, fields, partner_id)])
        except InvalidInput as exc:
            raise Conflict(exc.problems[0].message) from None
        return self.get(partner_id)

    # --- reads --------------------------------------------------------------------------------

    def get(self, partner_id: str) -> DirectoryPartner:
        known_form(partner_id, "partner")
        with self.store._read() as conn:
            row = conn.execute(partners.select().where(partners.c.id == partner_id)).first()
        if row is None:
            raise NotFound(f"no partner with id {partner_id}")
        return _entry(row)

    def find(self, organization: str) -> str | None:
        with self.store._read() as conn:
            return conn.execute(
                sa.select(partners.c.id).where(partners.c.identity == identity(organization))
            ).scalar()

    def all(self) -> list[DirectoryPartner]:
        """Every entry, by organization name."""
        with self.store._read() as conn:
            rows = conn.execute(partners.select().order_by(partners.c.identity)).all()
        return [_entry(r) for r in rows]

    def version(self) -> tuple[int, str]:
        """Changes whenever the directory does: a ranker's index is rebuilt only then."""
        with self.store._read() as conn:
            count, last = conn.execute(
                sa.select(sa.func.count(), sa.func.max(partners.c.updated_at))
            ).one()
        return count, str(last)

    def histories(self, by_key: Mapping[str, str]) -> dict[str, History]:
        """Every entry's asks in the store (when, by whom), by entry id; `by_key`: the entries'
        ids by identity, for asks typed by hand that name an entry's organization."""
        query = sa.select(
            asks.c.partner_id,
            asks.c.partner,
            asks.c.created_at,
            asks.c.ask["sender"]["organization"].as_string().label("sender"),
        )
        asked: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
        standing: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        with self.store._read(snapshot=True) as conn:
            owner: dict[str, str] = {}
            for row in conn.execute(query.add_columns(asks.c.id)):
                entry = row.partner_id or by_key.get(identity(row.partner))
                if entry is not None:
                    asked[entry].append((utc(row.created_at).date(), row.sender or ""))
                    owner[row.id] = entry
            # The standing (newest) outcome of each ask made to an entry counts once.
            newest: dict[str, str] = {}
            for row in conn.execute(
                sa.select(outcomes.c.ask_id, outcomes.c.outcome).order_by(outcomes.c.seq)
            ):
                newest[row.ask_id] = row.outcome
        for ask_id, outcome in newest.items():
            if ask_id in owner:
                standing[owner[ask_id]][outcome] += 1
        return {
            entry: History(
                asked=tuple(days),
                accepted=standing[entry]["accepted"],
                declined=standing[entry]["declined"],
            )
            for entry, days in asked.items()
        }

    def asked_of(self, entry: DirectoryPartner) -> list[AskedOf]:
        """The asks made to `entry`, newest first, each with its drafts."""
        mine = sa.or_(
            asks.c.partner_id == entry.id,
            sa.and_(asks.c.partner_id.is_(None), sa.func.lower(asks.c.partner) == entry.key),
        )
        query = (
            sa.select(asks.c.id, asks.c.ask, asks.c.created_at, drafts.c.id.label("draft_id"))
            .add_columns(drafts.c.channel, drafts.c.status)
            .outerjoin(drafts, drafts.c.ask_id == asks.c.id)
            .where(mine)
            .order_by(asks.c.created_at.desc(), drafts.c.seq)
        )
        with self.store._read() as conn:
            rows = conn.execute(query).all()
        out: dict[str, AskedOf] = {}
        for row in rows:
            if row.id not in out:
                ask = row.ask
                out[row.id] = AskedOf(
                    ask_id=row.id,
                    created_at=utc(row.created_at),
                    sender=ask["sender"]["organization"],
                    project=ask["project"]["name"],
                    need_type=ask["need"]["type"],
                    need=ask["need"]["description"],
                    drafts=[],
                )
            if row.draft_id:
                out[row.id].drafts.append((row.draft_id, row.channel, row.status))
        return list(out.values())
