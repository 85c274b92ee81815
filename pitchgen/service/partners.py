"""The partner directory's use cases, once for the three faces: import and export, list, show,
create and change entries, suggest partners for an ask, fill an ask's partner block from the
directory, and the over-asking guard.

The lexical index of the directory is built once per directory version and kept, so a server
suggests from 10,000 entries in a few milliseconds after the first call; the ranker (bm25s,
numpy) is imported only here, on first use, so `pitchgen draft --llm off` never loads it.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from pitchgen.errors import InvalidInput, Problem, problems_from
from pitchgen.partners.model import DirectoryPartner, PartnerFields, identity

if TYPE_CHECKING:
    from pitchgen.ask import Ask
    from pitchgen.ask.roster import PartnerRow
    from pitchgen.partners.index import Index
    from pitchgen.partners.rank import Scored
    from pitchgen.service.core import Service
    from pitchgen.store.followrows import Commitment, Outcome
    from pitchgen.store.partners import AskedOf, ImportResult, PartnerStore

__all__ = ["PartnerPage", "Partners", "Suggestion", "SuggestionPart", "Suggestions"]

MAX_TOP = 100
# A directory's index, its entries' ids by identity, and their positions in it by id.
_Indexed = tuple["Index", dict[str, str], dict[str, int]]


class SuggestionPart(BaseModel):
    part: str
    points: float
    detail: str


class Suggestion(BaseModel):
    """One partner for the ask: `score` is the sum of `parts`; `reasons` say each in words."""

    partner_id: str
    organization: str
    score: float
    reasons: list[str]
    parts: list[SuggestionPart]
    beyond_usual_allies: bool = False


class Suggestions(BaseModel):
    suggestions: list[Suggestion]
    today: dt.date
    directory_size: int


@dataclass(frozen=True)
class PartnerPage:
    """One entry as a person reads it: who they are, what we asked, what came of it (each
    ask's standing outcome, by ask id), and the commitments not yet kept both ways."""

    partner: DirectoryPartner
    asks: list[AskedOf]
    last_asked: dt.date | None
    outcomes: dict[str, Outcome]
    owed: list[Commitment]
    owing: list[Commitment]
    today: dt.date

    def overdue(self) -> list[Commitment]:
        """What we owe them that is past its date."""
        return [c for c in self.owed if c.due is not None and c.due < self.today]


def _suggestion(item: Scored) -> Suggestion:
    partner: DirectoryPartner = item.partner  # type: ignore[assignment]
    return Suggestion(
        partner_id=partner.id,
        organization=partner.organization,
        score=item.score,
        reasons=item.reasons,
        parts=[SuggestionPart(part=p.part, points=p.points, detail=p.detail) for p in item.parts],
        beyond_usual_allies=item.beyond_usual_allies,
    )


def validate_fields(data: Any, path: str = "") -> PartnerFields:
    """A directory entry from a request body or a form, every problem by its path."""
    if not isinstance(data, dict):
        raise InvalidInput([Problem(path, "must be a mapping of the partner's fields")])
    try:
        return PartnerFields.model_validate(data)
    except ValidationError as exc:
        prefix = f"{path}." if path else ""
        problems = [Problem(prefix + p.path, p.message) for p in problems_from(exc)]
        raise InvalidInput(problems) from None


class Partners:
    """The directory's use cases over one `Service` (its settings, its store)."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self._lock = threading.Lock()
        self._index: tuple[tuple[int, str], _Indexed] | None = None

    def directory(self) -> PartnerStore:
        from pitchgen.store.partners import PartnerStore

        return PartnerStore(self.service.store())

    # --- the directory ------------------------------------------------------------------------

    def import_file(
        self,
        raw: bytes,
        fmt: str = "csv",
        header_map: dict[str, str] | None = None,
        *,
        encoding: str = "utf-8",
    ) -> ImportResult:
        """Import a CSV or YAML file: all of it, or nothing and every problem by line."""
        from pitchgen.partners.files import read_partners

        return self.directory().import_rows(read_partners(raw, fmt, header_map, encoding=encoding))

    def export(self, fmt: str = "csv") -> str:
        from pitchgen.partners.files import write_csv, write_yaml

        entries = self.directory().all()
        return write_yaml(entries) if fmt == "yaml" else write_csv(entries)

    def list(self, query: str | None = None, need: str | None = None) -> list[DirectoryPartner]:
        """Entries by name; `query` matches the name, focus or tags (any case), `need` what
        they offer."""
        entries = self.directory().all()
        if query:
            q = identity(query)
            entries = [e for e in entries if q in identity(" ".join(_searchable(e)))]
        if need:
            entries = [e for e in entries if need in {t.value for t in e.can_offer}]
        return entries

    def get(self, partner_id: str) -> DirectoryPartner:
        return self.directory().get(partner_id)

    def create(self, data: Any) -> DirectoryPartner:
        return self.directory().create(validate_fields(data))

    def update(self, partner_id: str, changes: Any) -> DirectoryPartner:
        """Change the fields given (an empty value clears an optional one)."""
        if not isinstance(changes, dict):
            raise InvalidInput([Problem("", "must be a mapping of the fields to change")])
        directory = self.directory()
        current = directory.get(partner_id).model_dump(include=set(PartnerFields.model_fields))
        return directory.replace(partner_id, validate_fields(current | changes))

    def page(self, partner_id: str, today: dt.date | None = None) -> PartnerPage:
        directory = self.directory()
        entry = directory.get(partner_id)
        asks = directory.asked_of(entry)
        stored = max((a.created_at.date() for a in asks), default=None)
        days = [d for d in (entry.last_asked, stored) if d is not None]
        follow = self.service.follow
        standing = {a.ask_id: follow.outcomes(a.ask_id)[-1:] for a in asks}
        ledger = [c for a in asks for c in follow.commitments(ask_id=a.ask_id)]
        open_ = [c for c in ledger if c.status != "done"]
        return PartnerPage(
            partner=entry,
            asks=asks,
            last_asked=max(days, default=None),
            outcomes={ask_id: found[0] for ask_id, found in standing.items() if found},
            owed=[c for c in open_ if c.owner == "us"],
            owing=[c for c in open_ if c.owner == "them"],
            today=today or dt.datetime.now(dt.UTC).date(),
        )

    # --- suggestions --------------------------------------------------------------------------

    def suggest(self, ask: Ask, top: int = 10, today: dt.date | None = None) -> Suggestions:
        """The `top` partners for `ask`, best first, each with its score's parts, keeping the
        beyond-the-usual-allies pick when one qualifies. `today` pins the recency window."""
        from pitchgen.partners.rank import rank, shortlist

        if not 1 <= top <= MAX_TOP:
            raise InvalidInput([Problem("top", f"must be between 1 and {MAX_TOP} (got {top})")])
        today = today or dt.datetime.now(dt.UTC).date()
        directory = self.directory()
        index, by_key, position = self._current_index(directory)
        stored = directory.histories(by_key)
        history = {position[entry]: past for entry, past in stored.items() if entry in position}
        scored = rank(ask, index, today=today, history=history, limit=top)
        chosen = shortlist(scored, top)
        return Suggestions(
            suggestions=[_suggestion(s) for s in chosen],
            today=today,
            directory_size=len(index.partners),
        )

    def _current_index(self, directory: PartnerStore) -> _Indexed:
        """The directory's index with each entry's identity and position, rebuilt only when
        the directory changed."""
        from pitchgen.partners.index import Index

        version = directory.version()
        with self._lock:
            if self._index is not None and self._index[0] == version:
                return self._index[1]
        entries = directory.all()
        indexed = (
            Index(entries),
            {e.key: e.id for e in entries},
            {e.id: n for n, e in enumerate(entries)},
        )
        with self._lock:
            self._index = (version, indexed)
        return indexed

    # --- drafting to an entry -----------------------------------------------------------------

    def ask_for(self, data: Any, partner_id: str) -> Ask:
        """The ask `data` with the partner block of entry `partner_id`."""
        from pitchgen.partners.asking import for_partner

        return for_partner(data, self.get(partner_id))

    def fill_rows(self, ask: Any, rows: list[PartnerRow]) -> list[PartnerRow]:
        """A batch's partners: a row naming a directory entry (`partner_id`) gets its block
        (the history note only when it names our sender), the row's own fields on top; an
        unknown id is a problem by line."""
        import dataclasses

        from pitchgen.ask import Partner
        from pitchgen.ask.roster import FROM_DIRECTORY
        from pitchgen.errors import NotFound

        if not any(row.partner_id for row in rows):
            return rows
        sender = ask.get("sender") if isinstance(ask, dict) else None
        by = sender.get("organization") if isinstance(sender, dict) else None
        problems, out = [], []
        for index, row in enumerate(rows):
            if not row.partner_id:
                out.append(row)
                continue
            where = f"line {row.line}" if row.line is not None else f"partners[{index}]"
            try:
                entry = self.get(row.partner_id)
            except NotFound as exc:
                problems.append(Problem(f"{where}, partner_id", exc.message))
                continue
            own = row.partner.model_dump(mode="json", exclude_none=True)
            if own.get("organization") == FROM_DIRECTORY:
                del own["organization"]
            block = entry.block(by if isinstance(by, str) else None).model_dump(exclude_none=True)
            out.append(dataclasses.replace(row, partner=Partner.model_validate(block | own)))
        if problems:
            raise InvalidInput(problems, f"{len(problems)} unknown partners; nothing was drafted")
        return out

    def guard(
        self, ask: Ask, partner_id: str | None = None, today: dt.date | None = None
    ) -> list[Problem]:
        """The over-asking guard: a warning, with the dates, when the partner (by id, else by
        the ask's organization) was asked within the configured window, and one for each
        commitment of ours to them that is overdue."""
        window = self.service.settings.partner_ask_window_days
        directory = self.directory()
        entry_id = partner_id or directory.find(ask.partner.organization)
        if entry_id is None:
            return []
        page = self.page(entry_id, today)
        name = page.partner.organization
        found = [
            Problem(
                "partner",
                f"we owe {name} {c.what!r}, due {c.due.isoformat()}"  # type: ignore[union-attr]
                f" ({(page.today - c.due).days} days overdue): keep it before asking again",  # type: ignore[operator]
            )
            for c in page.overdue()
        ]
        last = page.last_asked
        if window and last is not None and 0 <= (page.today - last).days <= window:
            earlier = ", ".join(a.created_at.date().isoformat() for a in page.asks[:3])
            where = f" (asks in pitchgen: {earlier})" if earlier else ""
            found.insert(
                0,
                Problem(
                    "partner",
                    f"{name} was last asked on {last.isoformat()}, {(page.today - last).days}"
                    f" days ago{where}: within the {window}-day window. Consider waiting, or"
                    " combining this with what is open.",
                ),
            )
        return found


def _searchable(entry: DirectoryPartner) -> list[str]:
    return [entry.organization, entry.focus or "", *entry.tags, entry.region or ""]
