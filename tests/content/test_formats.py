"""How figures are written in prose, the one form the templates, prompts, exports and checks use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pitchgen.content.formats import money, written_date, written_time


@pytest.mark.parametrize(
    ("amount", "currency", "written"),
    [
        (Decimal(2500), "USD", "$2,500"),
        (Decimal("1250.50"), "USD", "$1,250.50"),
        (Decimal(4000), "EUR", "4,000 EUR"),
        (Decimal(0), "USD", "$0"),
        (Decimal("1000000"), "JPY", "1,000,000 JPY"),
    ],
)
def test_money_is_written_as_the_checks_read_it(amount, currency, written):
    assert money(amount, currency) == written


def test_dates_are_written_in_words_whatever_the_locale():
    assert written_date(dt.date(2027, 3, 4)) == "March 4, 2027"


@pytest.mark.parametrize(
    ("moment", "written"),
    [
        ("2027-02-10T10:00:00-05:00", "February 10, 2027 at 10:00 AM (UTC-05:00)"),
        ("2027-02-11T14:30:00+05:30", "February 11, 2027 at 2:30 PM (UTC+05:30)"),
        ("2027-02-12T00:05:00+00:00", "February 12, 2027 at 12:05 AM (UTC)"),
    ],
)
def test_times_keep_the_offset_they_were_given(moment, written):
    assert written_time(dt.datetime.fromisoformat(moment)) == written
