"""The directory in the store, through the service: identity and updates, all-or-nothing
imports, the history of asks, drafting to an entry, and the over-asking guard."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pitchgen.ask import load_ask, read_document
from pitchgen.errors import Conflict, InvalidInput
from pitchgen.service import Service
from pitchgen.settings import Settings

pytest_plugins = ["conftest_store"]

ROOT = Path(__file__).resolve().parents[2]
DIRECTORY = (ROOT / "tests" / "data" / "partners" / "directory.csv").read_bytes()
ASKS = ROOT / "fixtures" / "asks"
HEADER = (
    b"organization,contact_name,contact_role,email,focus,can_offer,region,relationship,"
    b"last_asked,tags\n"
)


@pytest.fixture
def service(store) -> Service:
    return Service(Settings(llm="off"), store=store)


def ids_by_name(service: Service) -> dict[str, str]:
    return {e.organization: e.id for e in service.partners.list()}


def test_reimporting_updates_entries_and_never_duplicates(service: Service) -> None:
    first = service.partners.import_file(DIRECTORY)
    assert (len(first.created), len(first.updated), len(first.unchanged)) == (30, 0, 0)
    again = service.partners.import_file(DIRECTORY)
    assert (len(again.created), len(again.updated), len(again.unchanged)) == (0, 0, 30)
    before = ids_by_name(service)
    # Another spelling of a name already there is the same entry: updated, same id.
    changed = service.partners.import_file(
        HEADER
        + "CAFE\u0301  liberte\u0301,Amélie Durand,Owner,,New focus,workspace,US-DC,,,\n".encode()
    )
    assert changed.updated == [before["Café Liberté"]] and not changed.created
    assert service.partners.get(before["Café Liberté"]).focus == "New focus"
    assert len(service.partners.list()) == 30


def test_an_export_imports_back_with_nothing_changed_and_ids_keep_a_rename(
    service: Service,
) -> None:
    service.partners.import_file(DIRECTORY)
    exported = service.partners.export("csv")
    assert len(service.partners.import_file(exported.encode()).unchanged) == 30
    renamed = exported.replace("Café Liberté,", "Café Liberté Capitol Hill,")
    result = service.partners.import_file(renamed.encode())
    assert len(result.updated) == 1 and not result.created
    assert "Café Liberté Capitol Hill" in ids_by_name(service)
    yaml_text = service.partners.export("yaml")
    assert len(service.partners.import_file(yaml_text.encode(), "yaml").unchanged) == 30


def test_a_file_with_one_bad_row_imports_nothing(service: Service) -> None:
    bad = DIRECTORY + b"Late Row,,,not-an-address,,expertise,US-DC,,,\n"
    with pytest.raises(InvalidInput) as caught:
        service.partners.import_file(bad)
    assert caught.value.problems[0].path == "line 32, column 4 (email)"
    assert service.partners.list() == []


def test_an_id_that_is_not_in_the_directory_is_a_problem_by_line(service: Service) -> None:
    raw = HEADER.replace(b"\n", b",id\n") + b"Someone,,,,,,,,,,no-such-id\n"
    with pytest.raises(InvalidInput) as caught:
        service.partners.import_file(raw)
    assert str(caught.value.problems[0]) == "line 2: no partner with id no-such-id"


def test_create_refuses_an_organization_already_there_and_patch_changes_given_fields(
    service: Service,
) -> None:
    entry = service.partners.create({"organization": "Main Street Co", "can_offer": "workspace"})
    with pytest.raises(Conflict):
        service.partners.create({"organization": "main street co"})
    patched = service.partners.update(entry.id, {"region": "us-dc", "tags": ["business"]})
    assert (patched.region, patched.tags, patched.organization) == (
        "US-DC",
        ["business"],
        "Main Street Co",
    )
    cleared = service.partners.update(entry.id, {"region": ""})
    assert cleared.region is None
    with pytest.raises(InvalidInput) as caught:
        service.partners.update(entry.id, {"email": "nope", "can_offer": ["lunch"]})
    assert {p.path for p in caught.value.problems} == {"email", "can_offer[0]"}


def test_drafting_to_an_entry_fills_the_partner_block_and_records_the_ask(service: Service) -> None:
    service.partners.import_file(DIRECTORY)
    entry_id = ids_by_name(service)["Potomac University Capitol Hill Center"]
    data = read_document((ASKS / "summit-venue.yaml").read_bytes())
    del data["partner"]
    ask = service.partners.ask_for(data, entry_id)
    assert ask.partner.organization == "Potomac University Capitol Hill Center"
    assert ask.partner.contact_name == "Dr. Ellen Stroud"
    assert ask.partner.relationship is None
    result = service.draft(ask, ["email"])
    service.save(ask, result, "test", partner_id=entry_id)
    page = service.partners.page(entry_id)
    (made,) = page.asks
    assert made.project == "Main Street Licensing Summit"
    assert [c for _, c, _ in made.drafts] == ["email"]


def test_a_relationship_note_goes_into_the_block_only_for_the_member_it_names(
    service: Service,
) -> None:
    service.partners.import_file(DIRECTORY)
    entry_id = ids_by_name(service)["Capitol Hill Enterprise Center"]
    data = read_document((ASKS / "summit-venue.yaml").read_bytes())
    assert "Liberty Policy Forum" in service.partners.ask_for(data, entry_id).partner.relationship
    data["sender"]["organization"] = "Another Member"
    assert service.partners.ask_for(data, entry_id).partner.relationship is None


def test_the_guard_warns_with_the_dates_when_the_partner_was_asked_within_the_window(
    service: Service,
) -> None:
    service.partners.import_file(DIRECTORY)
    entry_id = ids_by_name(service)["Americans for Enterprise Opportunity"]
    ask = service.partners.ask_for(
        read_document((ASKS / "summit-venue.yaml").read_bytes()), entry_id
    )
    (warning,) = service.partners.guard(ask, entry_id, today=dt.date(2026, 12, 6))
    assert warning.path == "partner"
    assert "2026-11-30" in warning.message and "6 days ago" in warning.message
    assert "90-day window" in warning.message
    assert service.partners.guard(ask, entry_id, today=dt.date(2027, 3, 1)) == []
    # Found by the ask's own organization when no id is given.
    assert service.partners.guard(ask, None, today=dt.date(2026, 12, 6))


def test_the_guard_window_is_a_setting(store) -> None:
    service = Service(Settings(llm="off", partner_ask_window_days=3), store=store)
    service.partners.import_file(DIRECTORY)
    ask = load_ask(ASKS / "summit-venue.yaml").model_copy()
    entry_id = ids_by_name(service)["Americans for Enterprise Opportunity"]
    assert service.partners.guard(ask, entry_id, today=dt.date(2026, 12, 6)) == []


def test_an_ask_in_the_store_counts_as_asked_for_recency(service: Service) -> None:
    service.partners.import_file(DIRECTORY)
    entry_id = ids_by_name(service)["National Independent Retailers Federation"]
    data = read_document((ASKS / "summit-venue.yaml").read_bytes())
    ask = service.partners.ask_for(data, entry_id)
    service.save(ask, service.draft(ask, ["email"]), "test", partner_id=entry_id)
    today = dt.datetime.now(dt.UTC).date()
    found = service.partners.suggest(load_ask(ASKS / "summit-venue.yaml"), 30, today)
    item = next(s for s in found.suggestions if s.partner_id == entry_id)
    assert any(p.part == "recency" and p.points < 0 for p in item.parts)
    assert any("earlier ask" in r for r in item.reasons)
    assert not item.beyond_usual_allies
