"""Which partners fit an ask: every entry scored, the score broken into parts a person can read.

The parts, each in points (their sum is the score, to the tenth):
- **need**: the entry offers the ask's need type (`can_offer`).
- **match**: its focus, tags and name match the project and the need: BM25 (bm25s) over the
  words as the checks compare them (stems, stop words out, common equivalents joined), scaled
  so the directory's best match gets the whole weight; the reason quotes the shared words.
- **room**: for a workspace ask that states a head count, whether the room the focus names
  holds it ("seats 80" against "a room for 35").
- **region**: its region is the ask's place, covers it (a US-wide entry), or neighbours it (the
  same US Census division); for work done in person (a room, volunteers), a partner elsewhere
  counts against. An ask that names no place is remote work: region is not weighed.
- **history**: shared history with the sender (a relationship note naming them, earlier asks in
  the store) counts for; a declined ask counts against.
- **recency**: asked within the window (90 days by default) before `today`: counts against,
  never drops the entry.

Beyond the usual allies: the best entry that offers the need, has no history with anyone in
the directory or the store, and is of a kind (its first tag) none of the sender's allies is;
it is flagged, and kept in a short list when it scores at least half the best score.
Weights were chosen on shared/partners/labels.csv (bench/partners.py says how).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from pitchgen.ask import Ask, NeedType
from pitchgen.checks.wordstems import stem, words
from pitchgen.partners.index import Index, document, seats, terms
from pitchgen.partners.model import History, PartnerFields, identity
from pitchgen.partners.places import Reach, ask_places, reach

__all__ = [
    "DEFAULT_WEIGHTS",
    "History",
    "Index",
    "Part",
    "Scored",
    "Weights",
    "rank",
    "shortlist",
]

# Advice travels (a review, judging essays); a room, canvassers or a local sponsor do not.
_TRAVELS = {NeedType.expertise}


@dataclass(frozen=True)
class Weights:
    need: float = 40.0
    match: float = 30.0
    room: float = 10.0
    region: float = 20.0
    history: float = 10.0
    recency: float = 15.0
    window_days: int = 90


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class Part:
    part: str
    points: float
    detail: str

    def reason(self) -> str:
        return f"{self.detail} ({self.points:+.1f})" if self.points else self.detail


@dataclass(frozen=True)
class Scored:
    partner: PartnerFields
    parts: tuple[Part, ...]
    beyond_usual_allies: bool = False
    note: str | None = field(default=None, compare=False)

    @property
    def score(self) -> float:
        return round(sum(p.points for p in self.parts), 1)

    @property
    def reasons(self) -> list[str]:
        out = [p.reason() for p in self.parts]
        return [self.note, *out] if self.note else out


def _shared_words(partner: PartnerFields, query: set[str]) -> list[str]:
    # The entry's own words, as a person wrote them, whose stems the ask shares.
    seen: dict[str, str] = {}
    for word in words(document(partner)):
        term = stem(word)
        if term in query and term not in seen:
            seen[term] = word.casefold()
    return list(seen.values())


def _query(ask: Ask) -> str:
    need = [ask.need.description, *ask.need.deliverables]
    return " ".join([ask.project.name, ask.project.summary, *need])


@dataclass(frozen=True)
class _Context:
    """What every entry is scored against: the ask, read once."""

    ask: Ask
    index: Index
    history: Mapping[int, History]
    today: dt.date
    weights: Weights
    bm25: np.ndarray
    best: float
    query: frozenset[str]
    places: tuple[tuple[str, str], ...]
    seats: int | None
    sender: str

    def past(self, n: int) -> History:
        return self.history.get(n, _NONE)

    def with_sender(self, n: int) -> bool:
        return bool(self.index.notes[n]) and self.sender in self.index.notes[n]


_NONE = History()


def rank(
    ask: Ask,
    partners: Sequence[PartnerFields] | Index,
    *,
    today: dt.date,
    history: Mapping[int, History] | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
    limit: int | None = None,
    similarity: np.ndarray | None = None,
) -> list[Scored]:
    """Entries scored for `ask`, best first (ties: by name): all of them, or the best `limit`
    and the beyond-the-usual-allies pick. `history` is by position in `partners`; `today` pins
    the recency window (a parameter, so results are reproducible). `similarity`, one number per
    entry, replaces BM25 in the match part (the optional embeddings: bench/partners.py).

    Every entry is scored at once over arrays (`_totals`); those returned are scored again part
    by part, explained in words, and ordered by that score, which is the one shown."""
    index = partners if isinstance(partners, Index) else Index(partners)
    query = terms(_query(ask))
    bm25 = index.scores(query) if similarity is None else np.clip(similarity, 0.0, None)
    workspace = ask.need.type is NeedType.workspace
    sender = identity(ask.sender.organization)
    ctx = _Context(
        ask=ask,
        index=index,
        history=history or {},
        today=today,
        weights=weights,
        bm25=bm25,
        best=float(bm25.max(initial=0.0)) or 1.0,
        query=frozenset(query),
        places=tuple(ask_places(ask).items()),
        seats=seats(ask.need.description) if workspace else None,
        # Too short a name to look for in a note ("AB"): never found.
        sender=sender if len(sender) >= 3 else "\x00",
    )
    totals = _totals(ctx)
    order = index.by_name[np.argsort(-totals[index.by_name], kind="stable")]
    pick = _beyond(ctx, order)
    # A margin over `limit`: the arrays' rounding may differ from the parts' in the last place.
    chosen = [int(n) for n in (order if limit is None else order[: limit + 20])]
    scored = [_explained(ctx, n, beyond=n == pick) for n in chosen]
    scored.sort(key=lambda s: (-s.score, s.partner.organization.casefold()))
    if limit is not None:
        scored = scored[:limit]
        if pick is not None and all(not s.beyond_usual_allies for s in scored):
            scored.append(_explained(ctx, pick, beyond=True))
    return scored


def _totals(ctx: _Context) -> np.ndarray:
    """Every entry's score, the sum of the same parts `_parts` gives, over arrays."""
    index, w, ask = ctx.index, ctx.weights, ctx.ask
    total = np.where(index.offers[ask.need.type], w.need, 0.0)
    total += np.round(w.match * ctx.bm25 / ctx.best, 1)
    if ctx.seats is not None:
        room = np.where(index.seats >= ctx.seats, w.room, -w.room)
        total += np.where(index.seats >= 0, room, 0.0)
    region = [_region(ask, reach(r or None, ctx.places, g), w).points for r, g in index.places]
    total += np.asarray(region, dtype=float)[index.place_of]
    last = index.last_asked.copy()
    for n in set(index.noted) | set(ctx.history):
        total[n] += _history(ctx, n, False).points
        if (day := ctx.past(n).last()) is not None:
            last[n] = max(last[n], day.toordinal())
    ago = ctx.today.toordinal() - last
    total -= np.where((ago >= 0) & (ago <= w.window_days), w.recency, 0.0)
    return np.round(total, 1)


def _explained(ctx: _Context, n: int, *, beyond: bool) -> Scored:
    partner = ctx.index.partners[n]
    note = (
        f"beyond the usual allies: a {partner.tags[0]}, no prior relationship" if beyond else None
    )
    return Scored(partner, _parts(ctx, n, True), beyond_usual_allies=beyond, note=note)


def _parts(ctx: _Context, n: int, explain: bool) -> tuple[Part, ...]:
    partner = ctx.index.partners[n]
    w = ctx.weights
    where = reach(partner.region, ctx.places, ctx.index.groups[n])
    return (
        _need(ctx.ask, partner, w),
        _match(float(ctx.bm25[n]) / ctx.best, partner, ctx.query, w, explain),
        *_room(ctx.seats, _known(int(ctx.index.seats[n])), w),
        _region(ctx.ask, where, w),
        _history(ctx, n, explain),
        *_recency(partner, ctx.past(n), ctx.today, w),
    )


def _known(value: int) -> int | None:
    return None if value < 0 else value


def _need(ask: Ask, partner: PartnerFields, w: Weights) -> Part:
    need = ask.need.type.value
    if ask.need.type in partner.can_offer:
        return Part("need", w.need, f"offers {need}")
    offers = ", ".join(t.value for t in partner.can_offer) or "nothing listed"
    return Part("need", 0.0, f"does not list {need} among what it offers ({offers})")


def _match(
    share: float, partner: PartnerFields, query: frozenset[str], w: Weights, explain: bool
) -> Part:
    points = round(w.match * share, 1)
    if not points:
        return Part("match", 0.0, "its focus and tags share no words with the project or need")
    shared = _shared_words(partner, query) if explain else []
    quoted = ", ".join(f"'{t}'" for t in shared[:6])
    return Part("match", points, f"focus and tags match the project and need: {quoted}")


def _room(seats: int | None, has: int | None, w: Weights) -> list[Part]:
    if seats is None or has is None:
        return []
    points = w.room if has >= seats else -w.room
    return [Part("room", points, f"its room holds {has}; the ask needs {seats}")]


def _region(ask: Ask, where: Reach, w: Weights) -> Part:
    share = {"exact": 1.0, "national": 0.6, "neighbour": 0.4}.get(where.kind, 0.0)
    if where.kind == "none" and ask.need.type not in _TRAVELS:
        need = ask.need.type.value
        return Part("region", round(-0.5 * w.region, 1), f"{where.detail}: too far for {need}")
    if where.kind == "unknown":
        return Part("region", 0.0, f"region not weighed: {where.detail}")
    return Part("region", round(share * w.region, 1), where.detail)


def _history(ctx: _Context, n: int, explain: bool) -> Part:
    partner, past, w = ctx.index.partners[n], ctx.past(n), ctx.weights
    sender = ctx.ask.sender.organization
    points, said = 0.0, []
    if ctx.with_sender(n):
        points += w.history
        said.append(f"history with {sender}: {partner.relationship}")
    if past.asked and (asks := past.by(sender)):
        points += min(asks, 3) * 0.2 * w.history
        said.append(f"{asks} earlier ask{'s' if asks > 1 else ''} from {sender} in the store")
    if past.accepted:
        points += w.history
        said.append(f"accepted {past.accepted} before")
    if past.declined:
        points -= 0.5 * w.history
        said.append(f"declined {past.declined} before")
    if not said:
        if not explain:
            return Part("history", 0.0, "")
        other = f" (another member's: {partner.relationship})" if partner.relationship else ""
        return Part("history", 0.0, f"no history with {sender}{other}")
    return Part("history", round(points, 1), "; ".join(said))


def _last_asked(partner: PartnerFields, past: History) -> dt.date | None:
    days = [d for d in (partner.last_asked, past.last()) if d is not None]
    return max(days, default=None)


def _recency(partner: PartnerFields, past: History, today: dt.date, w: Weights) -> list[Part]:
    last = _last_asked(partner, past)
    if last is None:
        return []
    ago = (today - last).days
    if 0 <= ago <= w.window_days:
        detail = f"asked on {last.isoformat()}, {ago} days ago (within {w.window_days})"
        return [Part("recency", -w.recency, detail)]
    return []


def _beyond(ctx: _Context, order: np.ndarray) -> int | None:
    """The best entry beyond the usual allies (see the module's docstring), if one qualifies:
    it offers the need, has no history with anyone, and is of a kind the sender's allies (or,
    with none, the three best entries) are not."""
    index = ctx.index
    sender = ctx.ask.sender.organization
    allied = [n for n in index.noted if ctx.with_sender(n)]
    allied += [n for n, past in ctx.history.items() if past.by(sender)]
    allies = {int(index.kind_of[n]) for n in allied} or {int(k) for k in index.kind_of[order[:3]]}
    allies.add(-1)  # an entry of no stated kind is no kind apart
    known = index.known.copy()
    for n, past in ctx.history.items():
        known[n] |= bool(past.asked)
    qualifies = index.offers[ctx.ask.need.type] & ~known & ~np.isin(index.kind_of, list(allies))
    ranked = qualifies[order]
    return int(order[int(np.argmax(ranked))]) if ranked.any() else None


def shortlist(scored: list[Scored], top: int) -> list[Scored]:
    """The `top` best, keeping the beyond-the-usual-allies pick in place of the last when it
    scores at least half the best (a pick far below is no pick)."""
    head = scored[:top]
    if any(s.beyond_usual_allies for s in head) or not head:
        return head
    pick = next((s for s in scored[top:] if s.beyond_usual_allies), None)
    if pick is None or pick.score < 0.5 * head[0].score:
        return head
    return [*head[:-1], pick]
