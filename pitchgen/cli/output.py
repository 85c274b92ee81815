"""How drafting results look on a terminal, in a pipe, and in files."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from pitchgen import patterns
from pitchgen.content.models import CheckResult, Draft, DraftSet

if TYPE_CHECKING:
    from pitchgen.checks.report import CheckReport

__all__ = ["check_line", "kind", "origin", "printable", "render_one", "write", "write_report"]

TITLES = {"email": "Email", "call_script": "Call script", "meeting_agenda": "Meeting agenda"}


# Terminal escapes in a model's (or an edit's) text could hide words from the person reading it.
_CONTROL = patterns.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` with every control character but tab and line breaks shown as `\\x1b` etc."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode(), text)


def kind(draft: Draft) -> str:
    """The channel as words: "call script"; a follow-through draft says what it is for too
    ("follow up email")."""
    if draft.kind != "pitch":
        return f"{draft.kind.replace('_', ' ')} {draft.channel.label}"
    return draft.channel.label


def origin(draft: Draft) -> str:
    if draft.source == "llm":
        return f"LLM ({draft.model})"
    return f"template ({draft.fallback_reason})"


def check_line(check: CheckResult) -> str:
    mark = "✓" if check.passed else "✗"
    return f"{mark} {check.id} ({check.level}): {check.detail}"


def _plain(result: DraftSet, draft: Draft) -> str:
    head = f"== {TITLES[draft.channel]} · {origin(draft)} · id {draft.id} =="
    checks = "\n".join(f"  {check_line(c)}" for c in draft.checks)
    return f"{head}\n\n{draft.text}\n\nChecks:\n{checks}\n"


def _markdown(result: DraftSet, draft: Draft) -> str:
    from pitchgen.content.render import to_markdown

    checks = "\n".join(f"- {check_line(c)}" for c in draft.checks)
    return (
        f"# {TITLES[draft.channel]}\n\n*{origin(draft)} · id `{draft.id}`*\n\n"
        f"{to_markdown(draft.content)}\n\n## Checks\n\n{checks}\n"
    )


def render_one(result: DraftSet, draft: Draft, fmt: str) -> str:
    if fmt == "json":
        return draft.model_dump_json(indent=2) + "\n"
    if fmt == "markdown":
        return _markdown(result, draft)
    return _plain(result, draft)


def _lead(result: DraftSet) -> str:
    rec = result.recommended_channel
    return f"Lead with the {TITLES[rec.channel].lower()}: {rec.reason}."


def write(stream: TextIO, result: DraftSet, fmt: str) -> None:
    if fmt == "json":
        stream.write(result.model_dump_json(indent=2) + "\n")
    elif fmt == "markdown":
        stream.write(printable(f"> {_lead(result)}\n\n"))
        stream.write(printable("\n".join(_markdown(result, d) for d in result.drafts)))
    elif stream.isatty():
        _rich(stream, result)
    else:
        stream.write(printable(_lead(result) + "\n\n"))
        stream.write(printable("\n".join(_plain(result, d) for d in result.drafts)))


def _rich(stream: TextIO, result: DraftSet) -> None:
    # rich costs ~40 ms to import: only a person at a terminal gets (and pays for) panels.
    from rich.console import Console, Group
    from rich.panel import Panel
    from rich.text import Text

    console = Console(file=stream)
    console.print(Text(_lead(result), style="bold"))
    for draft in result.drafts:
        checks = Text()
        for check in draft.checks:
            style = "green" if check.passed else ("bold red" if check.level == "must" else "yellow")
            checks.append(("✓ " if check.passed else "✗ ") + check.id, style=style)
            checks.append(f" ({check.level}) {check.detail}\n", style="dim" if check.passed else "")
        body = Group(Text(printable(draft.text)), Text(""), checks)
        console.print(
            Panel(
                body,
                title=Text(f"{TITLES[draft.channel]} · {origin(draft)}"),
                subtitle=Text(f"id {draft.id}"),
                title_align="left",
                subtitle_align="left",
            )
        )


# --- `pitchgen check` ------------------------------------------------------------------------


def _worst_first(checks: list[CheckResult]) -> list[CheckResult]:
    """Failed must checks, then failed advice, then what passed; the rubric's order within."""
    return sorted(checks, key=lambda c: (c.passed, c.level != "must"))


def _verdict(report: CheckReport) -> str:
    failed = [c.id for c in report.checks if c.level == "must" and not c.passed]
    failed += [g.id for g in report.guards]
    title = TITLES[report.channel]
    if not failed:
        return f"{title}: every must check passes."
    noun = "check fails" if len(failed) == 1 else "checks fail"
    return f"{title}: {len(failed)} must {noun} ({', '.join(failed)})."


def write_report(stream: TextIO, report: CheckReport, fmt: str) -> None:
    if fmt == "json":
        stream.write(report.model_dump_json(indent=2) + "\n")
    elif stream.isatty():
        _rich_report(stream, report)
    else:
        lines = [f"✗ {g.id} (guard): {g.detail}" for g in report.guards]
        lines += [check_line(c) for c in _worst_first(report.checks)]
        checks = "\n".join(f"  {line}" for line in lines)
        stream.write(printable(f"{_verdict(report)}\n\n{checks}\n"))


def _rich_report(stream: TextIO, report: CheckReport) -> None:
    from rich.console import Console
    from rich.panel import Panel
    from rich.text import Text

    checks = Text()
    for guard in report.guards:
        checks.append(f"✗ {guard.id}", style="bold red")
        checks.append(printable(f" (guard) {guard.detail}\n"))
    for check in _worst_first(report.checks):
        style = "green" if check.passed else ("bold red" if check.level == "must" else "yellow")
        checks.append(("✓ " if check.passed else "✗ ") + check.id, style=style)
        checks.append(
            printable(f" ({check.level}) {check.detail}\n"), style="dim" if check.passed else ""
        )
    checks.rstrip()
    Console(file=stream).print(
        Panel(
            checks,
            title=Text(printable(_verdict(report))),
            title_align="left",
            border_style="green" if report.passed else "red",
        )
    )
