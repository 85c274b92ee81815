"""`Service`: the use cases, each one method that takes plain values and returns the domain's
models. Settings come in once, from the face's edge (the CLI's entry, the app factory).
Importing this module costs nearly nothing: `pitchgen recommend` and `pitchgen check` use it
without reading settings, and every part is imported by the method that needs it.

The store and the model client are opened on first use and shared by every call: a server
whose database is still starting comes up anyway (its readiness probe says so), and one model
client means one circuit breaker, so once the model is down drafts fall back at once.

Here: what the service holds and the drafting use cases (draft, save, check, recommend). The
use cases on stored drafts (list, show, edit, decide, send, usage, export) are in
`pitchgen.service.reviewing`, mixed into `Service`.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from pitchgen.ask import Ask, Channel
from pitchgen.content.models import DraftSet, Recommendation
from pitchgen.service.reviewing import DraftView, Reviewing
from pitchgen.service.threads import in_thread

if TYPE_CHECKING:
    from pitchgen.checks.report import CheckReport
    from pitchgen.llm.client import LLMClient
    from pitchgen.service.batches import Batches
    from pitchgen.service.follow import Follow
    from pitchgen.service.partners import Partners
    from pitchgen.settings import LLMMode, Settings
    from pitchgen.store.idempotency import InFlight
    from pitchgen.store.repository import Store
    from pitchgen.store.rows import IdempotencyRecord

    # Makes the idempotency record of a new draft set from its JSON (None: no key was sent).
    Record: TypeAlias = Callable[[str], IdempotencyRecord] | None

__all__ = ["DraftView", "Saved", "Service"]


@dataclass(frozen=True)
class Saved:
    """A new draft set as `POST /v1/drafts` answers it: the JSON body and status, and whether
    it is a kept response replayed for a retry. A new set's body is its UTF-8 bytes as pydantic
    writes them (a set's JSON is about 20 kB, seldom ASCII: decoding it to text and encoding it
    again for the response cost about 0.1 ms a POST); a kept one's is the text stored."""

    body: str | bytes
    status: int
    replayed: bool = False


class Service(Reviewing):
    """Every use case of pitchgen, over one settings object. `store` is for a caller that
    already holds one open (tests, the review pages' own test app)."""

    def __init__(self, settings: Settings, *, store: Store | None = None) -> None:
        self.settings = settings
        self._store = store
        self._llm: LLMClient | None = None
        self._lock = threading.Lock()
        self._in_flight: InFlight | None = None
        self._window = dt.timedelta(hours=settings.idempotency_window_hours)
        self._partners: Partners | None = None
        self._batches: Batches | None = None

    # --- what the service holds ---------------------------------------------------------------

    def store(self) -> Store:
        """The draft store, opened (and migrated) on first use; a `StoreError` until it can be."""
        with self._lock:
            if self._store is None:
                from pitchgen.store.repository import Store

                self._store = Store.from_url(self.settings.store_url())
            return self._store

    @property
    def partners(self) -> Partners:
        """The partner directory's use cases (service/partners.py)."""
        if self._partners is None:
            from pitchgen.service.partners import Partners

            self._partners = Partners(self)
        return self._partners

    @property
    def opened(self) -> Store | None:
        """The store if it is open already, without waiting for it."""
        return self._store

    @property
    def follow(self) -> Follow:
        """The follow-through use cases (outcomes, commitments, follow-ups): service/follow.py."""
        from pitchgen.service.follow import Follow

        return Follow(self)

    def llm(self) -> LLMClient | None:
        """The model client every draft of this service shares; None for template drafting."""
        from pitchgen.drafting.pipeline import llm_fallback_reason, open_client

        if self._llm is None and llm_fallback_reason(self.settings.llm, self.settings) is None:
            self._llm = open_client(self.settings, self.settings.llm, self.settings.llm_concurrency)
        return self._llm

    @property
    def batches(self) -> Batches:
        """One ask to many partners (`service.batches`)."""
        if self._batches is None:
            from pitchgen.service.batches import Batches

            self._batches = Batches(self)
        return self._batches

    async def aclose(self) -> None:
        if self._batches is not None:
            await self._batches.aclose()
        if self._llm is not None:
            await self._llm.aclose()
        self.close()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

    # --- drafting -----------------------------------------------------------------------------

    async def adraft(self, ask: Ask, channels: Iterable[Channel | str] | None = None) -> DraftSet:
        """Draft `ask` for `channels` (default: the ask's own) with the shared model client."""
        from pitchgen.drafting.pipeline import adraft

        return await adraft(ask, channels, settings=self.settings, client=self.llm())

    def draft(
        self,
        ask: Ask,
        channels: Iterable[Channel | str] | None = None,
        *,
        llm: LLMMode | None = None,
    ) -> DraftSet:
        """Draft `ask` for a synchronous caller (the CLI), in model mode `llm` (default: the
        settings')."""
        from pitchgen.drafting.pipeline import draft

        return draft(ask, channels, settings=self.settings, llm=llm)

    def asks_model(self, llm: LLMMode | None = None) -> bool:
        """Whether drafting in model mode `llm` (default: the settings') asks a model at all,
        rather than writing every draft from the templates."""
        from pitchgen.drafting.pipeline import llm_fallback_reason

        return llm_fallback_reason(llm or self.settings.llm, self.settings) is None

    def save(
        self,
        ask: Ask,
        draft_set: DraftSet,
        actor: str,
        idempotency: IdempotencyRecord | None = None,
        partner_id: str | None = None,
    ) -> bool:
        """Store the drafts for review (and their idempotency record, in one transaction);
        False if another request kept a record under the same key first. `partner_id`: the
        directory entry the ask was drafted for."""
        return self.store().save_draft_set(
            ask, draft_set, actor=actor, idempotency=idempotency, partner_id=partner_id
        )

    def save_plain(self, ask: Ask, draft_set: DraftSet, actor: str) -> bool:
        """`save` without opening the store, where it has nothing else to do (`store.direct`
        says when); False, with nothing written, else."""
        from pitchgen.store.direct import save_new

        url = self.settings.store_url()
        return self._store is None and save_new(url, ask, draft_set, actor)

    def has_partners(self) -> bool:
        """Whether the partner directory has an entry (without loading the directory's code)."""
        from pitchgen.store.directory import has_entries

        return has_entries(self.store())

    def guarded(self, ask: Ask, draft_set: DraftSet, partner_id: str | None) -> DraftSet:
        """`draft_set` with the over-asking guard's warnings added (see `Partners.guard`)."""
        from pitchgen.content.models import AskWarning

        found = self.partners.guard(ask, partner_id)
        if not found:
            return draft_set
        extra = [AskWarning(path=p.path, message=p.message) for p in found]
        return draft_set.model_copy(update={"warnings": [*draft_set.warnings, *extra]})

    async def adraft_and_save(
        self,
        ask: Ask,
        channels: Iterable[Channel | str] | None,
        actor: str,
        *,
        idempotency_key: str | None = None,
        fingerprint: str = "",
        partner_id: str | None = None,
    ) -> Saved:
        """Draft and store, as `POST /v1/drafts` does. With `idempotency_key`, a retry with the
        same `fingerprint` (of its body) gets the first response back and drafts nothing; a
        different body is refused. Keys are scoped by `actor`, so one client cannot replay
        another's drafts. `partner_id`: the directory entry `ask` was filled from."""
        if idempotency_key is None:
            body = await self._adraft_kept(ask, channels, actor, None, partner_id)
            assert body is not None  # without a key there is no record to lose to another
            return Saved(body, 201)
        from pitchgen.store.idempotency import InFlight, replayable
        from pitchgen.store.rows import IdempotencyRecord

        store = await in_thread(self.store)
        # Made on first use: with no await in between, two requests cannot both make one.
        self._in_flight = self._in_flight or InFlight()
        with self._in_flight.claim(actor, idempotency_key):
            kept = await in_thread(store.kept_response, actor, idempotency_key, self._window)
            if kept is None:

                def record(body: str) -> IdempotencyRecord:
                    return IdempotencyRecord(actor, idempotency_key, fingerprint, 201, body)

                body = await self._adraft_kept(ask, channels, actor, record, partner_id)
                if body is not None:
                    return Saved(body, 201)
                # Another server process stored this key's drafts first: theirs is the answer.
                kept = await in_thread(store.kept_response, actor, idempotency_key, self._window)
            kept = replayable(kept, fingerprint)
        return Saved(kept.body, kept.status, replayed=True)

    async def _adraft_kept(
        self, ask: Ask, channels: Iterable[Channel | str] | None, actor: str, record: Record,
        partner_id: str | None,
    ) -> bytes | None:  # fmt: skip
        """Draft, add the guard's warnings and store, with one hop to a thread: the set's JSON,
        or None when another request kept a record under the same key first. Template drafts
        are written in that thread too, which leaves the event loop free meanwhile: a hop costs
        more CPU than its own work shows (about 0.25 ms each in bench/post_overhead.py)."""
        if self.llm() is None:

            def drafted() -> bytes | None:
                return self._kept(ask, self.draft(ask, channels), actor, record, partner_id)

            return await in_thread(drafted)
        draft_set = await self.adraft(ask, channels)
        return await in_thread(self._kept, ask, draft_set, actor, record, partner_id)

    def _kept(
        self, ask: Ask, draft_set: DraftSet, actor: str, record: Record, partner_id: str | None
    ) -> bytes | None:
        draft_set = self.guarded(ask, draft_set, partner_id)
        body = draft_set.__pydantic_serializer__.to_json(draft_set)  # `model_dump_json`, undecoded
        kept = self.save(
            ask, draft_set, actor, record(body.decode()) if record else None, partner_id
        )
        return body if kept else None

    @staticmethod
    def check(ask: Ask, channel: Channel | str, content: Any) -> CheckReport:
        """The rubric on a draft written anywhere (validated as an edit is); nothing is stored."""
        from pitchgen.checks.report import check_draft

        return check_draft(ask, channel, content)

    @staticmethod
    def recommend(ask: Ask) -> Recommendation:
        from pitchgen.drafting.recommend import recommend

        return recommend(ask)
