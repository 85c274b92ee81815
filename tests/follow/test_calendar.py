"""An ask's calendar: every dated commitment an event with an alarm, read back by a real
parser; a slip moves the event under the same UID, so a re-import updates it."""

from __future__ import annotations

import datetime as dt

import icalendar
from fastapi.testclient import TestClient
from follow_helpers import SUMMIT, at, send_pitch

from pitchgen.ask import load_ask
from pitchgen.cli import main
from pitchgen.server import RateLimit, create_app
from pitchgen.service import Service
from pitchgen.settings import Settings


def events(data: bytes) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(data)
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_every_dated_commitment_is_an_event_with_an_alarm_and_a_stable_uid(capsysbinary) -> None:
    service = Service(Settings(llm="off"))
    pitch = send_pitch(service, load_ask(SUMMIT), sent_at=at("2027-01-04"))
    service.follow.record_outcome(pitch.id, "accepted", "ana", now=at("2027-01-06"))
    ledger = service.follow.commitments(ask_id=pitch.ask_id)
    assert main(["follow", "calendar", pitch.ask_id]) == 0
    before = events(capsysbinary.readouterr().out)
    assert len(before) == len(ledger) == 7
    run_of_show = next(c for c in ledger if c.source == "timeline[1]")
    uid = f"commitment-{run_of_show.id}@pitchgen"
    event = before[uid]
    assert event.decoded("dtstart") == dt.date(2027, 2, 19)
    assert str(event["summary"]) == "Us: Final run of show shared with you"
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("trigger") == dt.timedelta(days=-3)
    service.follow.slip(run_of_show.id, "ana", to="2027-02-24", note="late", now=at("2027-02-01"))
    app = create_app(Settings(llm="off"), rate_limit=RateLimit(per_second=1e6, burst=10**6))
    with TestClient(app, base_url="http://localhost") as client:
        answer = client.get(f"/v1/asks/{pitch.ask_id}/calendar.ics")
        assert answer.headers["content-type"].startswith("text/calendar")
        after = events(answer.content)
        assert client.get("/v1/asks/nope/calendar.ics").status_code == 404
        page = client.get(f"/review/asks/{pitch.ask_id}/calendar.ics")
        assert events(page.content).keys() == after.keys()
    assert after.keys() == before.keys()  # the same events, updated in place
    assert after[uid].decoded("dtstart") == dt.date(2027, 2, 24)
    assert int(after[uid]["sequence"]) == int(before[uid]["sequence"]) + 1
