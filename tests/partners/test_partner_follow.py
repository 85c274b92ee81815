"""What came of the asks to a partner and what we owe them (the follow-through, issue 14), as
the partner's page, the suggestions and the over-asking guard read them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pitchgen.ask import load_ask, read_document
from pitchgen.service import Service
from pitchgen.settings import Settings

pytest_plugins = ["conftest_store"]

ROOT = Path(__file__).resolve().parents[2]
DIRECTORY = (ROOT / "tests" / "data" / "partners" / "directory.csv").read_bytes()
SUMMIT = ROOT / "fixtures" / "asks" / "summit-venue.yaml"
NIRF = "National Independent Retailers Federation"


@pytest.fixture
def service(store) -> Service:
    service = Service(Settings(llm="off"), store=store)
    service.partners.import_file(DIRECTORY)
    return service


def accepted_ask(service: Service, name: str) -> tuple[str, str]:
    """Draft the summit ask to `name`, and record that they accepted it; (entry, draft) ids."""
    entry_id = next(e.id for e in service.partners.list() if e.organization == name)
    ask = service.partners.ask_for(read_document(SUMMIT.read_bytes()), entry_id)
    result = service.draft(ask, ["call_script"])
    service.save(ask, result, "test", partner_id=entry_id)
    draft_id = result.drafts[0].id
    service.decide("approve", draft_id, "test", reason="test: checks not under test here")
    service.send(draft_id, "test")  # a call: marked done
    service.follow.record_outcome(draft_id, "accepted", "test")
    return entry_id, draft_id


def test_the_partner_page_shows_the_outcome_and_what_we_owe_them(service: Service) -> None:
    entry_id, _ = accepted_ask(service, NIRF)
    page = service.partners.page(entry_id, today=dt.date(2027, 3, 10))
    (made,) = page.asks
    assert page.outcomes[made.ask_id].outcome == "accepted"
    assert page.owed, "an accepted ask opens our promises (the benefits, the plan)"
    assert all(c.owner == "us" for c in page.owed)
    assert all(c.owner == "them" for c in page.owing)


def test_the_guard_names_each_overdue_promise_of_ours_with_its_date(service: Service) -> None:
    entry_id, _ = accepted_ask(service, NIRF)
    ask = load_ask(SUMMIT)
    late_day = dt.date(2027, 6, 1)
    page = service.partners.page(entry_id, today=late_day)
    overdue = page.overdue()
    assert overdue
    warnings = service.partners.guard(ask, entry_id, today=late_day)
    for promise in overdue:
        assert any(
            promise.due.isoformat() in w.message and "overdue" in w.message for w in warnings
        )


def test_an_accepted_ask_counts_for_the_partner_in_suggestions(service: Service) -> None:
    entry_id, _ = accepted_ask(service, NIRF)
    found = service.partners.suggest(load_ask(SUMMIT), 30, dt.date(2027, 6, 1))
    item = next(s for s in found.suggestions if s.partner_id == entry_id)
    (history,) = [p for p in item.parts if p.part == "history"]
    assert history.points > 0 and "accepted 1 before" in history.detail
