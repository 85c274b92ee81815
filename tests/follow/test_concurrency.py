"""`follow run` from several processes at once drafts each follow-up, kick-off and reminder
exactly once, on SQLite and PostgreSQL; and a reply recorded while a run drafts is never
followed by a nudge."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
from collections import Counter

from follow_helpers import SUMMIT, at, send_pitch

from pitchgen.ask import load_ask
from pitchgen.errors import Conflict
from pitchgen.service import Service
from pitchgen.settings import Settings
from pitchgen.store.repository import Store

pytest_plugins = ["conftest_store"]

RUNNERS = 4


def _together(store_url: str, work) -> list:
    """Run `work(service)` in RUNNERS threads at once, each over its own engine (as separate
    processes would be), and return what each gave back."""
    barrier = threading.Barrier(RUNNERS)
    results: list = [None] * RUNNERS
    errors: list[BaseException] = []

    def one(i: int) -> None:
        store = Store.from_url(store_url)
        try:
            service = Service(Settings(llm="off"), store=store)
            barrier.wait()
            results[i] = work(service)
        except BaseException as exc:  # reported below, with the thread's own error
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(RUNNERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return results


def test_concurrent_runs_draft_every_follow_up_and_reminder_once(
    store_url: str, store: Store
) -> None:
    service = Service(Settings(llm="off"), store=store)
    ask = load_ask(SUMMIT)
    waiting = [send_pitch(service, ask, sent_at=at("2027-01-04")) for _ in range(3)]
    yes = send_pitch(service, ask, sent_at=at("2027-01-04"))
    service.follow.record_outcome(yes.id, "accepted", "ana", now=at("2027-01-05"))
    # January 7: three first follow-ups are due.
    first = _together(store_url, lambda s: s.follow.run(at("2027-01-07")).drafted)
    made = [m for batch in first for m in batch]
    assert Counter((m.ask_id, m.step) for m in made) == {(p.ask_id, "1"): 1 for p in waiting}
    # March 1: the six commitments due March 4 are within their reminder window.
    later = _together(store_url, lambda s: s.follow.run(at("2027-03-01")).drafted)
    reminders = [m for batch in later for m in batch if m.kind == "reminder"]
    assert len(reminders) == len({m.draft_id for m in reminders}) == 6
    kept = service.follow.of_ask(yes.ask_id).drafts
    assert Counter(d.kind for d in kept) == {"kickoff": 1, "reminder": 6}


def test_a_reply_recorded_while_runs_draft_is_never_followed_by_a_nudge(
    store_url: str, store: Store
) -> None:
    service = Service(Settings(llm="off"), store=store)
    pitches = [send_pitch(service, load_ask(SUMMIT), sent_at=at("2027-01-04")) for _ in range(3)]

    def work(s: Service):
        for p in pitches:
            # Another thread may record it first: the table refuses a second reply.
            with contextlib.suppress(Conflict):
                s.follow.record_outcome(p.id, "replied", "ana", now=at("2027-01-07"))
        return s.follow.run(at("2027-01-07")).drafted

    _together(store_url, work)
    for p in pitches:
        for made in service.follow.of_ask(p.ask_id).drafts:
            assert service.get_draft(made.draft_id).status == "rejected", made


def test_two_cli_processes_at_once_draft_nothing_twice(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    store = Store.from_url(url)
    service = Service(Settings(llm="off"), store=store)
    for _ in range(2):
        send_pitch(service, load_ask(SUMMIT), sent_at=at("2027-01-04"))
    env = {**os.environ, "PITCHGEN_DATABASE_URL": url}
    command = [sys.executable, "-m", "pitchgen", "follow", "run", "--now",
               "2027-01-07T15:00:00+00:00", "-f", "json"]  # fmt: skip
    procs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE) for _ in range(2)]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    drafted = [m for out in outputs for m in json.loads(out)["drafted"]]
    assert len(drafted) == 2 and len({m["ask_id"] for m in drafted}) == 2
    store.close()
