"""How pitchgen writes the ask's figures in prose: one form everywhere, so that the templates,
the prompts, the exports and the checks' details all say "March 4, 2027" and "$2,500"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

__all__ = ["money", "timestamp", "written_date", "written_time"]

# Spelled out here, not by strftime's %B, so the system locale cannot change a draft.
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def written_date(day: dt.date) -> str:
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def written_time(moment: dt.datetime) -> str:
    """`February 10, 2027 at 10:00 AM (UTC-05:00)`: the offset as given, never converted."""
    hour = moment.hour % 12 or 12
    half = "AM" if moment.hour < 12 else "PM"
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    zone = "UTC"
    if minutes:
        sign = "+" if minutes > 0 else "-"
        zone += f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return f"{written_date(moment.date())} at {hour}:{moment.minute:02d} {half} ({zone})"


def money(amount: Decimal, currency: str) -> str:
    """`$2,500` for US dollars, `2,500 EUR` otherwise; cents only when there are any."""
    whole = amount == amount.to_integral_value()
    figure = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    return f"${figure}" if currency == "USD" else f"{figure} {currency}"


def timestamp(at: dt.datetime | None, *, seconds: bool = False) -> str:
    """When something happened to a draft, as the CLI, the pages and messages show it:
    `2027-02-10 15:04 UTC` (with `:05` seconds when asked); "" for never."""
    if at is None:
        return ""
    form = "%Y-%m-%d %H:%M:%S UTC" if seconds else "%Y-%m-%d %H:%M UTC"
    return at.astimezone(dt.UTC).strftime(form)
