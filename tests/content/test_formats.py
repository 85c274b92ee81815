"""How figures are written in prose, the one form the templates, prompts, exports and checks use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pitchgen.content.formats import (
    clock,
    gist,
    in_zone,
    money,
    written_date,
    written_time,
    zone_name,
)


@pytest.mark.parametrize(
    ("amount", "currency", "written"),
    [
        (Decimal(2500), "USD", "$2,500"),
        (Decimal("1250.50"), "USD", "$1,250.50"),
        (Decimal(4000), "EUR", "€4,000"),
        (Decimal(0), "USD", "$0"),
        (Decimal("1000000"), "JPY", "¥1,000,000"),
        (Decimal(300), "CHF", "CHF 300"),
        (Decimal(300), "MXN", "MXN 300"),
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


@pytest.mark.parametrize(
    ("locale", "day", "amount"),
    [
        (None, "March 4, 2027", "$2,500"),
        ("en-US", "March 4, 2027", "$2,500"),
        ("en-GB", "4 March 2027", "US$2,500"),
        # Spain's and Germany's date order; English figures in an English draft.
        ("es-ES", "4 March 2027", "US$2,500"),
        ("de-DE", "4 March 2027", "US$2,500"),
        ("not-a-locale", "March 4, 2027", "$2,500"),
    ],
)
def test_the_locale_sets_one_form_for_dates_and_money(locale, day, amount):
    assert written_date(dt.date(2027, 3, 4), locale) == day
    assert money(Decimal(2500), "USD", locale) == amount


@pytest.mark.parametrize(
    ("currency", "locale", "written"),
    [
        ("GBP", "en-GB", "£4,500"),
        ("EUR", "es-ES", "€4,500"),
        ("JPY", "en-GB", "JPY 4,500"),
        ("CHF", "es-ES", "CHF 4,500"),
    ],
)
def test_the_currency_symbol_is_used_where_it_has_one_known_everywhere(currency, locale, written):
    assert money(Decimal(4500), currency, locale) == written


def test_a_decimal_comma_region_still_reads_english_figures_in_an_english_draft():
    # A draft in English writes English figures whatever the region: one form per draft.
    assert money(Decimal("15000.50"), "EUR", "es-ES") == "€15,000.50"
    assert money(Decimal("15000.50"), "EUR", "fr-FR") == "€15,000.50"
    assert money(Decimal("4500"), "EUR", "de-DE") == "€4,500"
    assert money(Decimal("15000.50"), "EUR", "en-US") == "€15,000.50"


def test_a_time_is_written_on_a_named_zone_clock():
    moment = dt.datetime.fromisoformat("2027-04-07T19:00:00+02:00")
    pacific = in_zone(moment, "America/Los_Angeles")
    assert clock(pacific) == "10:00 AM"
    assert zone_name(pacific, "America/Los_Angeles") == "Pacific Time"
    assert clock(pacific, "en-GB") == "10:00"
    assert zone_name(moment, None) == "UTC+02:00"


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        ("Short enough to keep.", "Short enough to keep."),
        ("One sentence here. " + "More words follow " * 10, "One sentence here."),
        (
            "Introductions to the coaches in the districts where your program runs, so that we"
            " can invite each district to host a reading night during the week of events",
            "Introductions to the coaches in the districts where your program runs",
        ),
        (("word " * 40).strip(), ("word " * 40).strip()),
    ],
)
def test_a_long_text_is_cut_at_a_clause_never_inside_a_phrase(text, cut):
    assert gist(text, 15) == cut
