"""A draft's content as plain text (to read aloud or paste) and as Markdown (to export), through
the templates in `prompts/render/`.

Markdown output escapes every text it shows, so text from the ask, a model or an edit reads the
same once rendered but cannot start a heading, a link, a table, a code block or raw HTML.
"""

from __future__ import annotations

from functools import partial

from pitchgen import patterns
from pitchgen.content.formats import written_date
from pitchgen.content.models import Content
from pitchgen.content.templates import text_env

__all__ = ["to_markdown", "to_text"]


def to_text(content: Content, locale: str | None = None) -> str:
    """The draft as plain text: an email is `Subject: …`, a blank line, then the body. Dates
    the rendering adds (an agenda's next steps) are written for `locale`, as the draft's own."""
    return _render(content, "txt", locale)


def to_markdown(content: Content, locale: str | None = None) -> str:
    """The draft as Markdown, every field escaped so it renders as written."""
    return _render(content, "md", locale)


def _render(content: Content, kind: str, locale: str | None) -> str:
    template = text_env().get_template(f"render/{content.channel.value}.{kind}.j2")
    day = partial(written_date, locale=locale, year=_with_year(content))
    # A list's last line ends in a newline; a draft ends with its last word.
    return template.render(c=content, day=day, md=_markdown_escape).rstrip("\n")


def _with_year(content: Content) -> bool:
    """Whether the dates the rendering adds (an agenda's next steps) carry their year: as the
    draft's own do, which write it only where the ask's dates span more than one year; a
    draft that writes a year of its steps' somewhere does."""
    steps = getattr(content, "next_steps", None) or []
    years = {step.date.year for step in steps}
    if len(years) > 1:
        return True
    words = str(content.model_dump(exclude={"next_steps": {"__all__": {"date"}}}))
    return any(str(year) in words for year in years)


# Characters with a Markdown (or GitHub-flavoured) meaning anywhere in a line: emphasis, code,
# links and images, raw HTML and autolinks, tables, strikethrough, entity references.
_INLINE = patterns.compile(r"([\\`*_\[\]<|~&])")
# Markers with a meaning only at the start of a line: headings, quotes, list items, setext
# underlines, thematic breaks, ordered lists.
_LINE_START = patterns.compile(r"^(?:([#>+=-])|(\d+)([.)]))")


def _markdown_escape(text: str) -> str:
    """`text` as Markdown that renders to the same words and no structure: line breaks are
    kept (hard breaks inside a paragraph, blank lines between paragraphs); leading indentation
    is dropped, as Markdown would otherwise read it as a code block."""
    paragraphs: list[list[str]] = [[]]
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        line = _INLINE.sub(r"\\\1", line)
        line = _LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", line)
        paragraphs[-1].append(line)
    return "\n\n".join("\\\n".join(lines) for lines in paragraphs if lines)
