"""A draft as plain text and as Markdown: every field shown, nothing invented, nothing injected."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from pitchgen.ask import Channel, load_ask
from pitchgen.content.models import (
    QA,
    AgendaItem,
    CallScript,
    Content,
    Email,
    MeetingAgenda,
    NextStep,
)
from pitchgen.content.render import to_markdown, to_text
from pitchgen.drafting.fallback import render_content

ASKS = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "asks").iterdir())
DRAFTS = [
    pytest.param(render_content(load_ask(path), channel), id=f"{path.stem}-{channel.value}")
    for path in ASKS
    for channel in Channel
]
# CommonMark with raw HTML on, plus GitHub's tables and strikethrough: the strictest reader.
MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def fold(text: str) -> str:
    return " ".join(text.split())


def shown(markdown: str) -> str:
    """What a reader sees once the Markdown is rendered: the text without tags."""
    return fold(html.unescape(re.sub(r"<[^>]+>", " ", MARKDOWN.render(markdown))))


def texts(content: Content) -> list[str]:
    """Every text a reader must see, dates written out: with their year where the draft
    writes years, as the rest of a draft whose dates fall in one year does not."""
    out: list[str] = []
    steps = getattr(content, "next_steps", None) or []
    others = content.model_dump_json(exclude={"next_steps"})
    year = len({s.date.year for s in steps}) > 1 or any(str(s.date.year) in others for s in steps)

    def walk(value: object) -> None:
        if isinstance(value, NextStep) and value.due == "after_meeting":
            # Our write-up is due the day after the meeting, whichever time is chosen.
            out.extend([value.action, value.owner, "the day after the meeting"])
        elif isinstance(value, NextStep):
            out.extend([value.action, value.owner])
            walk(value.date)
        elif isinstance(value, str):
            out.append(value)
        elif isinstance(value, dt.date):
            out.append(f"{value:%B} {value.day}" + (f", {value.year}" if year else ""))
        elif isinstance(value, int):
            out.append(str(value))
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif value is not None:
            for name in type(value).model_fields:
                walk(getattr(value, name))

    walk(content)
    return out


def test_an_email_as_text_is_its_subject_line_a_blank_line_and_its_body() -> None:
    email = Email(subject="Your space for the summit?", body="Hello Marcus Lee,\n\nThanks.")
    assert to_text(email) == "Subject: Your space for the summit?\n\nHello Marcus Lee,\n\nThanks."


@pytest.mark.parametrize("content", DRAFTS)
def test_the_text_shows_every_field(content: Content) -> None:
    text = fold(to_text(content))
    for value in texts(content):
        assert fold(value) in text


@pytest.mark.parametrize("content", DRAFTS)
def test_the_markdown_renders_to_every_field_word_for_word(content: Content) -> None:
    seen = shown(to_markdown(content))
    for value in texts(content):
        assert fold(value) in seen


def test_the_call_script_reads_as_headed_sections_in_speaking_order() -> None:
    text = to_text(render_content(load_ask(ASKS[1]), Channel.call_script))
    headings = re.findall(r"(?:^|\n\n)([^\n]+:)\n", text)
    assert headings == [
        "Opener:",
        "Purpose:",
        "The ask:",
        "What they gain:",
        "Plan:",
        "Questions they may ask:",
        "Negotiation:",
        "Close:",
        "Voicemail:",
    ]


def test_a_call_script_without_negotiation_has_no_empty_section() -> None:
    script = render_content(load_ask(ASKS[0]), Channel.call_script)
    assert script.negotiation is None
    assert "Negotiation" not in to_text(script)
    assert "Negotiation" not in to_markdown(script)


AGENDA = MeetingAgenda(
    title="Summit: meeting with Main Street Business Alliance",
    duration_minutes=30,
    attendees=["Ava Thompson (Liberty Policy Forum)", "Marcus Lee (Main Street Business Alliance)"],
    objective="A decision on the room.",
    items=[
        AgendaItem(minutes=10, topic="Our ask", owner="Ava Thompson", notes="The room."),
        AgendaItem(minutes=20, topic="Questions", owner="Marcus Lee"),
    ],
    decisions_needed=["Whether the room is free."],
    materials=["Timeline: March 4, 2027: Summit day."],
    next_steps=[NextStep(action="Reply", owner="Marcus Lee", date=dt.date(2027, 1, 15))],
)


def test_the_agenda_as_text_lists_timeboxes_owners_and_dated_steps() -> None:
    assert to_text(AGENDA) == (
        "Summit: meeting with Main Street Business Alliance\n"
        "Duration: 30 minutes.\n\n"
        "Attendees:\n- Ava Thompson (Liberty Policy Forum)\n"
        "- Marcus Lee (Main Street Business Alliance)\n\n"
        "Objective:\nA decision on the room.\n\n"
        "Agenda:\n- 10 min: Our ask (Ava Thompson)\n  The room.\n"
        "- 20 min: Questions (Marcus Lee)\n\n"
        "Decisions needed:\n- Whether the room is free.\n\n"
        "Materials to bring:\n- Timeline: March 4, 2027: Summit day.\n\n"
        "Next steps:\n- Reply (Marcus Lee, by January 15, 2027)"
    )


HOSTILE = (
    "# Heading\n"
    "<script>alert(1)</script> <img src=x onerror=alert(1)>\n"
    "[click](http://evil.example) ![pixel](http://evil.example/p.png)\n"
    "| a | b |\n|---|---|\n| 1 | 2 |\n"
    "```\ncode\n```\n"
    "    indented\n"
    "Setext\n===\n"
    "---\n"
    "1. one\n"
    "> quoted\n"
    "**bold** _em_ ~~gone~~ `tick` &amp; \\*"
)


def filled(channel: str, text: str) -> Content:
    """A draft of `channel` with `text` in every field."""
    if channel == "email":
        return Email(subject=text, body=text)
    if channel == "call_script":
        fields = dict.fromkeys(CallScript.model_fields, text)
        return CallScript(**{**fields, "anticipated_questions": [QA(question=text, answer=text)]})
    return AGENDA.model_copy(
        update={
            "title": text,
            "attendees": [text],
            "objective": text,
            "items": [AgendaItem(minutes=30, topic=text, owner=text, notes=text)],
            "decisions_needed": [text],
            "materials": [text],
            "next_steps": [NextStep(action=text, owner=text, date=dt.date(2027, 1, 1))],
        }
    )


def tags(markdown: str) -> list[str]:
    return re.findall(r"<(\w+)", MARKDOWN.render(markdown))


@pytest.mark.parametrize("channel", [c.value for c in Channel])
def test_text_in_a_field_cannot_add_markdown_structure(channel: str) -> None:
    markdown = to_markdown(filled(channel, HOSTILE))
    plain = "\n".join("plain words" for _ in HOSTILE.splitlines())
    assert tags(markdown) == tags(to_markdown(filled(channel, plain)))
    seen = shown(markdown)
    for line in HOSTILE.splitlines():
        assert fold(line) in seen


@pytest.mark.parametrize("channel", [c.value for c in Channel])
def test_the_text_rendering_keeps_field_text_as_written(channel: str) -> None:
    assert HOSTILE in to_text(filled(channel, HOSTILE))
