"""`pitchgen partners`: the partner directory (import, export, list, show) and the partners
that fit an ask (`suggest`), over the same service as `/v1/partners`."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import StrEnum
from pathlib import Path

import typer

from pitchgen.cli.context import opened
from pitchgen.cli.output import printable
from pitchgen.errors import InvalidInput, PitchgenError, Problem

__all__ = ["partners_app"]

partners_app = typer.Typer(
    help="The partner directory: import, export, list, show, and suggest partners for an ask.",
    no_args_is_help=True,
)


class Format(StrEnum):
    text = "text"
    json = "json"


class FileFormat(StrEnum):
    csv = "csv"
    yaml = "yaml"


PARTNER_ID = typer.Argument(..., metavar="ID", help="The partner's id (see `partners list`).")
FORMAT = typer.Option(Format.text, "--format", "-f", help="Output format.")


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InvalidInput([Problem("", f"cannot read {path}: {exc.strerror}")]) from None


def _file_format(path: str, given: FileFormat | None) -> str:
    if given is not None:
        return given.value
    return "yaml" if Path(path).suffix.lower() in (".yaml", ".yml") else "csv"


@partners_app.command("import")
def import_command(
    file: str = typer.Argument(..., metavar="FILE", help="CSV or YAML ('-' reads stdin)."),
    fmt: FileFormat | None = typer.Option(
        None, "--format", "-f", help="csv or yaml (default: from the file's extension)."
    ),
    header_map: list[str] | None = typer.Option(
        None,
        "--map",
        help="Map another export's column to a field: 'Account Name=organization'; '=-' drops"
        " a column (repeatable).",
    ),
    encoding: str = typer.Option("utf-8", "--encoding", help="The CSV file's text encoding."),
) -> None:
    """Import partners: every row is checked first; a file with any problem imports nothing.
    A row updates the entry with the same organization (name compared ignoring case, accents'
    composition and extra spaces) or the `id` it names; any other row adds an entry."""
    from pitchgen.partners.files import parse_header_map

    mapping = parse_header_map(header_map or [])
    raw = _read(file)
    with opened() as service:
        result = service.partners.import_file(
            raw, _file_format(file, fmt), mapping, encoding=encoding
        )
    print(
        f"imported: {len(result.created)} added, {len(result.updated)} updated,"
        f" {len(result.unchanged)} unchanged"
    )


@partners_app.command("export")
def export_command(
    fmt: FileFormat = typer.Option(FileFormat.csv, "--format", "-f", help="csv or yaml."),
    out: Path | None = typer.Option(None, "--out", "-o", dir_okay=False, help="Write to a file."),
) -> None:
    """Export the directory (CSV: the import's columns and each entry's id, formulas defused)."""
    with opened() as service:
        text = service.partners.export(fmt.value)
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise PitchgenError(f"cannot write {out}: {exc.strerror}") from None
    print(out)


@partners_app.command("list")
def list_command(
    query: str | None = typer.Option(None, "--query", "-q", help="Name, focus or tag contains."),
    need: str | None = typer.Option(None, "--need", help="Offers this need type."),
    fmt: Format = FORMAT,
) -> None:
    """The directory, by name."""
    with opened() as service:
        entries = service.partners.list(query, need)
    if fmt is Format.json:
        print(json.dumps([e.model_dump(mode="json") for e in entries], indent=2))
        return
    for entry in entries:
        offers = ",".join(t.value for t in entry.can_offer) or "-"
        print(f"{entry.id}  {printable(entry.organization)}  [{entry.region or '-'}] {offers}")
    print(f"{len(entries)} partner{'s' if len(entries) != 1 else ''}", file=sys.stderr)


@partners_app.command("show")
def show_command(partner_id: str = PARTNER_ID, fmt: Format = FORMAT) -> None:
    """One partner: who they are, and every ask made to them with its drafts."""
    with opened() as service:
        page = service.partners.page(partner_id)
    entry = page.partner
    if fmt is Format.json:
        data = entry.model_dump(mode="json") | {
            "asks": [
                {
                    "ask_id": a.ask_id,
                    "created_at": a.created_at.isoformat(),
                    "sender": a.sender,
                    "project": a.project,
                    "need_type": a.need_type,
                    "drafts": [{"id": d, "channel": c, "status": s} for d, c, s in a.drafts],
                    "outcome": _outcome(page, a.ask_id),
                }
                for a in page.asks
            ],
            "we_owe": [c.model_dump(mode="json") for c in page.owed],
            "they_owe": [c.model_dump(mode="json") for c in page.owing],
            "last_asked": page.last_asked.isoformat() if page.last_asked else None,
        }
        print(json.dumps(data, indent=2))
        return
    rows = [
        ("organization", entry.organization),
        ("contact", ", ".join(x for x in (entry.contact_name, entry.contact_role) if x) or "-"),
        ("email", entry.email or "-"),
        ("focus", entry.focus or "-"),
        ("can offer", ", ".join(t.value for t in entry.can_offer) or "-"),
        ("region", entry.region or "-"),
        ("tags", ", ".join(entry.tags) or "-"),
        ("relationship", entry.relationship or "-"),
        ("last asked", page.last_asked.isoformat() if page.last_asked else "never"),
    ]
    for label, value in rows:
        print(f"{label:>13}: {printable(value)}")
    print(f"\nasks ({len(page.asks)}):")
    for ask in page.asks:
        outcome = _outcome(page, ask.ask_id) or "no outcome yet"
        print(f"  {ask.created_at:%Y-%m-%d}  {printable(ask.project)} ({ask.need_type}): {outcome}")
        for draft_id, channel, status in ask.drafts:
            print(f"      {channel:<15} {status:<9} {draft_id}")
    for title, ledger in (("we owe them", page.owed), ("they owe us", page.owing)):
        print(f"\n{title} ({len(ledger)} open):")
        for c in ledger:
            late = " OVERDUE" if c in page.overdue() else ""
            due = c.due.isoformat() if c.due else "no date"
            print(f"  {due}{late}  {printable(c.what)}  [{c.id}]")


def _outcome(page, ask_id: str) -> str | None:
    found = page.outcomes.get(ask_id)
    return f"{found.outcome} {found.at:%Y-%m-%d}" if found else None


@partners_app.command("suggest")
def suggest_command(
    ask_file: str = typer.Argument(
        ..., metavar="ASK_FILE", help="The ask as YAML or JSON; its partner block may be left out."
    ),
    top: int = typer.Option(10, "--top", "-n", min=1, max=100, help="How many partners."),
    fmt: Format = FORMAT,
    today: dt.datetime | None = typer.Option(
        None, "--today", formats=["%Y-%m-%d"], help="Judge recency as of this day."
    ),
) -> None:
    """Rank the directory for the ask's need, best first, each with its score's parts."""
    from pitchgen.ask import read_document
    from pitchgen.partners.asking import for_ranking

    ask = for_ranking(read_document(_read(ask_file)))
    with opened() as service:
        result = service.partners.suggest(ask, top, today.date() if today else None)
    if fmt is Format.json:
        print(result.model_dump_json(indent=2))
        return
    if not result.suggestions:
        print("the directory is empty: import partners first (pitchgen partners import FILE)")
        return
    for n, item in enumerate(result.suggestions, 1):
        flag = "  [beyond the usual allies]" if item.beyond_usual_allies else ""
        print(f"{n:>2}. {printable(item.organization)}  score {item.score:g}{flag}")
        print(f"    id {item.partner_id}")
        for reason in item.reasons:
            print(f"    - {printable(reason)}")
