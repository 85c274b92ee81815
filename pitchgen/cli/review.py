"""`pitchgen review`: the review workflow over the draft store, the same steps as the API.

Each command opens the service (and with it the store and SQLAlchemy) inside itself, never at
import, so the rest of the CLI starts without it.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import typer

from pitchgen.ask import Channel
from pitchgen.cli.context import cli_actor, opened
from pitchgen.cli.edit import edit_in_editor, with_sets
from pitchgen.cli.output import check_line, kind, origin, printable
from pitchgen.content.formats import timestamp
from pitchgen.content.status import Status
from pitchgen.errors import PitchgenError

if TYPE_CHECKING:
    from pitchgen.content.models import CheckResult
    from pitchgen.store.rows import Event, Revision, StoredDraft

__all__ = ["review_app"]

review_app = typer.Typer(
    help="Review stored drafts: list, read, edit, approve or reject, export and send them.",
    no_args_is_help=True,
)

ExportFormat = Literal["eml", "ics", "md", "txt"]

DRAFT_ID = typer.Argument(..., metavar="ID", help="The draft's id (see `pitchgen review list`).")
AUTHOR = typer.Option(None, "--author", help="Who, for the audit log (default: cli:$USER).")
EXPECT_VERSION = typer.Option(
    None, "--expect-version", help="Refuse unless the draft is still at this version (as read)."
)


def _when(at: dt.datetime | None) -> str:
    return timestamp(at) or "-"


# --- list -----------------------------------------------------------------------------------

COLUMNS = ("id", "channel", "status", "version", "partner", "source", "must ✗", "updated")


@review_app.command("list")
def list_command(
    status: Status | None = typer.Option(None, "--status", help="Only drafts in this status."),
    channel: Channel | None = typer.Option(None, "--channel", help="Only this channel."),
    partner: str | None = typer.Option(None, "--partner", help="Part of the partner's name."),
    limit: int = typer.Option(50, "--limit", help="At most this many drafts (1-200)."),
    cursor: str | None = typer.Option(None, "--cursor", help="The page after this cursor."),
    fmt: Literal["text", "json"] = typer.Option("text", "--format", "-f", help="Output format."),
) -> None:
    """List stored drafts, newest first."""
    with opened() as service:
        listing = service.list_drafts(
            status=status, channel=channel, partner=partner, limit=limit, cursor=cursor
        )
    drafts, partners, next_cursor = listing.drafts, listing.partners, listing.next_cursor
    if fmt == "json":
        page = {"drafts": [d.model_dump(mode="json") for d in drafts], "next_cursor": next_cursor}
        print(json.dumps(page, indent=2, ensure_ascii=False))
        return
    rows = [
        (d.id, d.channel.value, d.status, str(d.version), partners[d.ask_id], d.source,
         str(len(d.must_failures)), _when(d.updated_at))
        for d in drafts
    ]  # fmt: skip
    if not rows:
        print("no drafts match", file=sys.stderr)
    elif sys.stdout.isatty():
        _rich_table(rows)
    else:
        widths = [max(len(r[i]) for r in (COLUMNS, *rows)) for i in range(len(COLUMNS))]
        for row in (COLUMNS, *rows):
            print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    if next_cursor:
        print(f"more: pitchgen review list --cursor {next_cursor}", file=sys.stderr)


def _rich_table(rows: list[tuple[str, ...]]) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    width = max(len(row[0]) for row in rows)
    for name in COLUMNS:  # an id is for copying: never cut or wrapped, however narrow
        whole = name == "id"
        table.add_column(name, no_wrap=whole, min_width=width if whole else None, overflow="fold")
    for row in rows:
        failing = "bold red" if row[6] != "0" else "green"
        # Text, not markup: a partner called "[bold]…" is shown as written.
        cells = [Text(cell, style=failing if i == 6 else "") for i, cell in enumerate(row)]
        table.add_row(*cells)
    Console().print(table)


# --- show -----------------------------------------------------------------------------------


@review_app.command("show")
def show_command(
    draft_id: str = DRAFT_ID,
    fmt: Literal["text", "json", "markdown"] = typer.Option(
        "text", "--format", "-f", help="Output format."
    ),
) -> None:
    """Show a draft: its text, checks, status, revisions and audit log."""
    with opened() as service:
        view = service.show(draft_id)
    if fmt == "json":
        shown = {
            "draft": view.draft.model_dump(mode="json"),
            "partner": view.partner,
            "allowed_actions": view.allowed_actions,
            "revisions": [r.model_dump(mode="json") for r in view.revisions],
            "events": [e.model_dump(mode="json") for e in view.events],
        }
        print(json.dumps(shown, indent=2, ensure_ascii=False))
        return
    markdown = fmt == "markdown"
    text = _show(view.draft, view.partner, view.revisions, view.events, md=markdown)
    print(printable(text), end="")


def _show(
    draft: StoredDraft, partner: str, revisions: list[Revision], events: list[Event], *, md: bool
) -> str:
    item = "- " if md else "  "
    title = f"{kind(draft).capitalize()} draft {draft.id} for {partner}"
    facts = [
        f"status: {draft.status}",
        f"version {draft.version}",
        origin(draft),
        f"updated {_when(draft.updated_at)}",
    ]
    lines = [f"# {title}" if md else title, " · ".join(facts)]
    if draft.message_id:
        lines.append(f"sent {_when(draft.sent_at)} as {draft.message_id}")
    elif draft.sent_at:
        lines.append(f"marked done {_when(draft.sent_at)}")
    if draft.send_error:
        lines.append(f"last send failed: {draft.send_error}")

    def section(name: str, body: list[str]) -> None:
        lines.extend(["", f"## {name}" if md else f"{name}:", *([""] * md), *body])

    section("Text", draft.text.rstrip("\n").splitlines())
    section("Checks", [item + check_line(c) for c in _ordered(draft.checks)])
    section("Revisions", [item + _revision_line(r) for r in revisions])
    section("Events", [item + _event_line(e) for e in events])
    return "\n".join(lines) + "\n"


def _ordered(checks: list[CheckResult]) -> list[CheckResult]:
    # Must before advice, and within each the failures first: what blocks approval leads.
    return sorted(checks, key=lambda c: (c.level != "must", c.passed))


def _revision_line(rev: Revision) -> str:
    note = f": {rev.note}" if rev.note else ""
    return f"v{rev.version} by {rev.author} at {_when(rev.created_at)}{note}"


def _event_line(event: Event) -> str:
    moved = f"{event.from_status} → {event.to_status}" if event.from_status else event.to_status
    line = f"{_when(event.at)} {event.actor}: {event.action} ({moved})"
    if event.reason:
        line += f"; why: {event.reason}"
    for key, value in (event.detail or {}).items():
        if value not in (None, [], ""):
            shown = ", ".join(map(str, value)) if isinstance(value, list) else value
            line += f"; {key.replace('_', ' ')}: {shown}"
    return line


# --- edit -----------------------------------------------------------------------------------


@review_app.command("edit")
def edit_command(
    draft_id: str = DRAFT_ID,
    sets: list[str] | None = typer.Option(
        None,
        "--set",
        metavar="FIELD=VALUE",
        help="Set a top-level content field (repeatable); lists and numbers as YAML:"
        " --set 'attendees=[a, b]'. Without --set, opens $EDITOR on the content.",
    ),
    author: str | None = AUTHOR,
    note: str | None = typer.Option(None, "--note", help="Why, kept with the revision."),
    expect_version: int | None = EXPECT_VERSION,
) -> None:
    """Edit a draft's content: a new revision, with the checks run again."""
    with opened() as service:
        draft = service.get_draft(draft_id)
        version = draft.version if expect_version is None else expect_version
        if sets:
            current = draft.content.model_dump(mode="json")
            content = with_sets(draft.channel, current, sets)
            edited = service.edit(draft_id, content, version, cli_actor(author), note)
        else:
            edited = edit_in_editor(service, draft, version, cli_actor(author), note)
    if edited is None or edited.version == draft.version:
        print(f"no change: {kind(draft)} draft {draft.id} is still version {draft.version}")
        return
    print(f"saved {kind(edited)} draft {edited.id} as version {edited.version} ({edited.status})")
    for check in _ordered(edited.checks):
        print(f"  {check_line(check)}")


# --- decisions ------------------------------------------------------------------------------


@review_app.command("approve")
def approve_command(
    draft_id: str = DRAFT_ID,
    override_reason: str | None = typer.Option(
        None, "--override-reason", help="Approve although a must check fails, and say why."
    ),
    author: str | None = AUTHOR,
    expect_version: int | None = EXPECT_VERSION,
) -> None:
    """Approve a draft; refused while a must check fails, unless you give an override reason."""
    with opened() as service:
        before = service.get_draft(draft_id)
        actor = cli_actor(author)
        draft = service.decide("approve", draft_id, actor, override_reason, expect_version)
    overridden = [c.id for c in before.must_failures]
    note = f", overriding the failed must checks {', '.join(overridden)}" if overridden else ""
    print(f"approved {kind(draft)} draft {draft.id} at version {draft.version}{note}")


@review_app.command("reject")
def reject_command(
    draft_id: str = DRAFT_ID,
    reason: str = typer.Option(..., "--reason", help="Why, for the audit log."),
    author: str | None = AUTHOR,
    expect_version: int | None = EXPECT_VERSION,
) -> None:
    """Reject a draft (it can be reopened later)."""
    with opened() as service:
        draft = service.decide("reject", draft_id, cli_actor(author), reason, expect_version)
    print(f"rejected {kind(draft)} draft {draft.id}")


@review_app.command("reopen")
def reopen_command(
    draft_id: str = DRAFT_ID,
    reason: str | None = typer.Option(None, "--reason", help="Why, for the audit log."),
    author: str | None = AUTHOR,
    expect_version: int | None = EXPECT_VERSION,
) -> None:
    """Return a rejected or approved draft to draft, to edit it again."""
    with opened() as service:
        draft = service.decide("reopen", draft_id, cli_actor(author), reason, expect_version)
    print(f"reopened {kind(draft)} draft {draft.id}: it is a draft again")


# --- export and send ------------------------------------------------------------------------


@review_app.command("export")
def export_command(
    draft_id: str = DRAFT_ID,
    fmt: ExportFormat | None = typer.Option(
        None,
        "--format",
        "-f",
        help="eml for email, ics for an agenda with proposed times, else md (the defaults).",
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="File or folder to write ('-' for standard output)."
    ),
) -> None:
    """Write the draft as a file; an unapproved draft carries a DRAFT mark."""
    with opened() as service:
        exported = service.export(draft_id, fmt)
    if out is not None and str(out) == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(exported.data)
        return
    path = Path(exported.filename) if out is None else out
    if out is not None and out.is_dir():
        path = out / exported.filename
    try:
        path.write_bytes(exported.data)
    except OSError as exc:
        raise PitchgenError(f"cannot write {path}: {exc.strerror}") from None
    print(path)


@review_app.command("send")
def send_command(
    draft_id: str = DRAFT_ID,
    author: str | None = AUTHOR,
) -> None:
    """Send an approved email over SMTP (PITCHGEN_SMTP_*), or mark a call or meeting done."""
    with opened() as service:
        draft = service.send(draft_id, cli_actor(author))
        to = service.show(draft_id).ask.partner.email
    if draft.message_id:
        print(
            f"sent email draft {draft.id} to {to} as {draft.message_id} at {_when(draft.sent_at)}"
        )
    else:
        print(f"marked {kind(draft)} draft {draft.id} done at {_when(draft.sent_at)}")
