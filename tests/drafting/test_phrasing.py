"""Ask text shaped for the sentence it sits in: what it is, its capital, its final stop."""

from __future__ import annotations

import pytest

from pitchgen.drafting.phrasing import (
    greeting_name,
    is_event,
    is_no_contact,
    lower_first,
    needs_pronunciation,
    relationship_clause,
    sentence,
    series,
    shape,
    split_ours,
    the,
)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("A one-hour review of our draft brief", "noun"),
        ("Use of your Capitol Hill conference room", "noun"),
        ("Use your newsletter to announce the summit", "imperative"),
        ("Sponsor the fellowship's closing reception", "imperative"),
        ("Please share our guide", "imperative"),
        ("We need two volunteers.", "sentence"),
        ("Introductions to three senior centres", "noun"),
    ],
)
def test_an_ask_text_is_read_as_what_it_is(text: str, kind: str) -> None:
    assert shape(text) == kind


@pytest.mark.parametrize(
    ("text", "inside"),
    [
        ("A one-hour review.", "a one-hour review"),
        ("Main Street room", "Main Street room"),
        ("Tom spoke at our forum", "Tom spoke at our forum"),
        ("Catering and AV rental", "catering and AV rental"),
        ("Please share our guide", "share our guide"),
    ],
)
def test_a_text_inside_a_sentence_loses_its_capital_only_when_it_is_no_name(text, inside):
    assert lower_first(text) == inside


def test_a_word_the_ask_writes_in_lower_case_is_no_name() -> None:
    assert lower_first("Venue hire", common=frozenset({"venue"})) == "venue hire"


def test_sentences_and_series_handle_capitals_and_stops() -> None:
    assert sentence("we need a room") == "We need a room."
    assert sentence("Can you help?") == "Can you help?"
    assert sentence("ßtraße access") == "ßtraße access."  # its capital would be two letters
    assert sentence("émigré") == "Émigré."
    assert series(["A room", "Two microphones"]) == "a room and two microphones"
    assert series(["A room, with seats", "Refreshments"]) == "a room, with seats, and refreshments"
    assert series(["A room, with seats", "Refreshments", "Seating"]) == (
        "a room, with seats; refreshments; and seating"
    )


@pytest.mark.parametrize(
    ("history", "none"),
    [
        ("No prior contact", True),
        ("none", True),
        ("Never worked together", True),
        ("Co-signed our May letter", False),
        (None, True),
    ],
)
def test_no_prior_contact_is_understood(history, none) -> None:
    assert is_no_contact(history) is none


@pytest.mark.parametrize(
    ("history", "contact", "clause"),
    [
        ("Co-signed our letter in May.", None, "co-signed our letter in May"),
        ("Tom spoke at our 2025 forum", "Tom Brennan", "spoke at our 2025 forum"),
        ("A longtime ally", None, None),
    ],
)
def test_the_history_becomes_a_clause_after_you(history, contact, clause) -> None:
    assert relationship_clause(history, contact) == clause


@pytest.mark.parametrize(
    ("contact", "tone", "greet_as", "name"),
    [
        ("Marcus Lee", "warm", None, "Marcus"),
        ("Marcus Lee", "formal", None, "Marcus"),
        ("Dr. Hannah Weiss", "concise", None, "Dr. Weiss"),
        ("Priya Raman", "formal", "Ms. Raman", "Ms. Raman"),
        ("مريم الحسيني", "warm", None, "مريم الحسيني"),
        ("王小明", "warm", None, "王小明"),
    ],
)
def test_a_greeting_uses_a_form_of_the_name_that_fits(contact, tone, greet_as, name) -> None:
    assert greeting_name(contact, tone, greet_as) == name


@pytest.mark.parametrize(
    ("contact", "role", "name"),
    [
        # A name in another script keeps a title: the role, where it reads as one; never a
        # first name or an honorific guessed from a script the template cannot read.
        ("مريم الحسيني", "Director", "Director مريم الحسيني"),
        ("王小明", "主任", "王小明主任"),
        ("王小明", "Events Director", "王小明"),
        ("王小明", "社区服务外展协调员", "王小明"),
        ("Marcus Lee", "Director", "Marcus"),
    ],
)
def test_a_name_in_another_script_is_greeted_with_its_role_as_title(contact, role, name) -> None:
    assert greeting_name(contact, "formal", None, role) == name


def test_names_outside_the_latin_script_come_with_a_pronunciation_note() -> None:
    assert needs_pronunciation("王小明") and needs_pronunciation("مريم الحسيني")
    assert not needs_pronunciation("Ana María Núñez-Ortiz")


def test_a_series_marks_where_an_item_with_its_own_and_ends() -> None:
    assert series(["Your logo and a welcome remark", "the attendee list"]) == (
        "your logo and a welcome remark, and the attendee list"
    )
    assert series(["a room", "a projector"]) == "a room and a projector"


def test_a_list_in_sentence_case_loses_its_capital_inside_a_sentence() -> None:
    assert lower_first("Childcare, interpretation and refreshments") == (
        "childcare, interpretation and refreshments"
    )
    assert lower_first("Tom spoke at our forum") == "Tom spoke at our forum"


@pytest.mark.parametrize(
    ("milestone", "event", "named"),
    [
        ("closing reception", True, "the closing reception"),
        ("Small Exporters Day", True, "Small Exporters Day"),
        ("draft sent to reviewer", False, None),
        ("comments back", False, None),
        ("Sponsorship payment due", False, None),
        ("our launch party", True, "our launch party"),
        ("Summer Sound Festival", True, "the Summer Sound Festival"),
    ],
)
def test_an_event_is_said_to_be_on_a_day_and_a_step_is_not(milestone, event, named) -> None:
    assert is_event(milestone) is event
    if named:
        assert the(milestone) == named


def test_what_we_would_do_is_offered_not_had() -> None:
    assert split_ours(["Your logo on the banner", "Our volunteers at your lunch"]) == (
        ["Your logo on the banner"],
        ["Our volunteers at your lunch"],
    )


def test_a_date_keeps_its_month_capital_whatever_the_ask_writes_elsewhere() -> None:
    assert lower_first("March 4, 2027", frozenset({"march"})) == "March 4, 2027"
    assert lower_first("March of the volunteers", frozenset({"march"})) == (
        "march of the volunteers"
    )
