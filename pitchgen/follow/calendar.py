"""An ask's dated commitments as an iCalendar file: one all-day event per commitment on the day
it falls due, with an alarm the reminder window before (in days: calendars know no business
days), and a UID that is the commitment's own, so a re-import after a slip moves the event
rather than adding one (its SEQUENCE counts the changes)."""

from __future__ import annotations

import datetime as dt

from pitchgen.ask import Ask
from pitchgen.store.followrows import Commitment

__all__ = ["calendar"]

PRODID = "-//pitchgen//follow-through//EN"


def calendar(
    ask: Ask, commitments: list[Commitment], *, alarm_days: int, now: dt.datetime
) -> bytes:
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{ask.project.name}: {ask.partner.organization}")
    for c in commitments:
        if c.due is None:
            continue
        who = "Us" if c.owner == "us" else ask.partner.organization
        event = icalendar.Event()
        event.add("uid", f"commitment-{c.id}@pitchgen")
        event.add("sequence", c.version - 1)
        event.add("dtstamp", now)
        event.add("last-modified", c.updated_at)
        event.add("dtstart", c.due)
        event.add("dtend", c.due + dt.timedelta(days=1))
        done = "Done: " if c.status == "done" else ""
        event.add("summary", f"{done}{who}: {c.what}")
        owed = "us" if c.owner == "us" else ask.partner.organization
        event.add("description", f"{ask.project.name}: owed by {owed}; {c.status}.")
        event.add("status", "CONFIRMED")
        event.add("transp", "TRANSPARENT")
        if c.status != "done":
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"Due {c.due.isoformat()}: {c.what}")
            alarm.add("trigger", dt.timedelta(days=-max(alarm_days, 0)))
            event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()
