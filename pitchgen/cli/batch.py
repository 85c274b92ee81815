"""`pitchgen batch ASK PARTNERS` (one ask to many partners), `batch resume ID`, `batch status
ID` and `pitchgen worker`: a face over `Service.batches`.

The batch id is printed first, on stdout, so a script can keep it; the progress bar goes to
stderr and the summary table to stdout. Ctrl-C stops at once: the items being drafted go back
to the queue, and the command says how to resume.
"""

from __future__ import annotations

import json
import re
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from pitchgen.ask import Channel
from pitchgen.cli.context import cli_actor, opened
from pitchgen.errors import InvalidInput, PitchgenError, Problem

if TYPE_CHECKING:
    from pitchgen.content.ledger import Usage
    from pitchgen.service import Service
    from pitchgen.service.batches import ItemDone
    from pitchgen.store.batches import Batch, Item

__all__ = ["batch_app", "worker_command"]

_SUBCOMMANDS = ("start", "resume", "status", "cancel")


class _BatchGroup(TyperGroup):
    """`pitchgen batch ASK PARTNERS` is `pitchgen batch start ASK PARTNERS`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in _SUBCOMMANDS and args[0] not in ("-h", "--help"):
            args = ["start", *args]
        return super().parse_args(ctx, args)


batch_app = typer.Typer(
    cls=_BatchGroup,
    help=(
        "One ask to many partners: `pitchgen batch ASK_FILE PARTNERS_FILE` drafts the ask for"
        " every partner of a CSV or YAML file; resume, status and cancel take the batch id."
    ),
    no_args_is_help=True,
)


class StatusFormat(StrEnum):
    text = "text"
    json = "json"


BATCH_ID = typer.Argument(..., metavar="ID", help="The batch id `pitchgen batch` printed.")
CONCURRENCY = typer.Option(
    None, "--concurrency", min=1, max=64, help="Partners drafted at once (default 4)."
)
OUT = typer.Option(
    None, "--out", "-o", file_okay=False, help="Also write every draft as text into this folder."
)


@batch_app.command("start")
def start_command(
    ask_file: Path = typer.Argument(
        ..., metavar="ASK_FILE", help="The ask (YAML or JSON) without its partner block."
    ),
    partners_file: Path = typer.Argument(
        ...,
        metavar="PARTNERS_FILE",
        help="CSV with a header of partner fields (organization, contact_name, contact_role,"
        " greet_as, short_name, email, focus, relationship), or a YAML list of partner blocks.",
    ),
    channel: list[Channel] | None = typer.Option(
        None, "--channel", "-c", help="Draft only this channel (repeatable)."
    ),
    out: Path | None = OUT,
    concurrency: int | None = CONCURRENCY,
) -> None:
    """Draft the ask for every partner in the file, store the drafts for review, and show
    progress; every bad row is reported (by line and column) before anything is drafted."""
    from pitchgen.ask.reading import read_document
    from pitchgen.ask.roster import read_partners

    ask = read_document(_read(ask_file, "ASK_FILE"), _format_of(ask_file))
    partners = read_partners(_read(partners_file, "PARTNERS_FILE"), partners_file.name)
    with opened() as service:
        created = service.batches.create(
            ask, partners, channel or None, cli_actor(), source=partners_file.name
        )
        print(f"batch {created.batch_id}", flush=True)
        for warning in created.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        _carry_on(service, created.batch_id, out, concurrency)


@batch_app.command("resume")
def resume_command(
    batch_id: str = BATCH_ID, out: Path | None = OUT, concurrency: int | None = CONCURRENCY
) -> None:
    """Go on with a batch a crash, Ctrl-C or a failure left unfinished."""
    with opened() as service:
        again = service.batches.resume(batch_id)
        print(f"batch {batch_id}: {len(again)} items queued again", file=sys.stderr)
        _carry_on(service, batch_id, out, concurrency)


@batch_app.command("status")
def status_command(
    batch_id: str = BATCH_ID,
    fmt: StatusFormat = typer.Option(StatusFormat.text, "--format", "-f", help="Output format."),
) -> None:
    """The batch's progress and every partner's outcome."""
    from pitchgen.service.batches import batch_json

    with opened() as service:
        batch = service.batches.get(batch_id)
        items = service.batches.items(batch_id)
        usage = service.batches.usage(batch_id).total
    if fmt is StatusFormat.json:
        # As `GET /v1/batches/{id}`, with the total of `GET /v1/batches/{id}/usage`.
        print(json.dumps(batch_json(batch, items) | {"usage": usage.model_dump()}, indent=2))
        return
    _summary(batch, items, usage)


@batch_app.command("cancel")
def cancel_command(batch_id: str = BATCH_ID) -> None:
    """Stop drafting the batch's partners that are still queued."""
    with opened() as service:
        batch = service.batches.cancel(batch_id)
    print(f"batch {batch.id} cancelled: {batch.counts.get('cancelled', 0)} partners not drafted")


def worker_command(
    concurrency: int | None = CONCURRENCY,
) -> None:
    """Run batch items from the shared queue (PostgreSQL store; Ctrl-C stops after the items
    in hand). Start as many as you like, on any machine that reaches the database."""
    import asyncio

    from pitchgen.service.queue import queue_app, work

    with opened() as service:
        queue_app(service)  # a store that cannot hold the queue is refused before we wait
        print("worker: waiting for batch items (Ctrl-C stops)", file=sys.stderr, flush=True)
        asyncio.run(work(service, concurrency=concurrency))


# --- running and showing ------------------------------------------------------------------------


def _read(path: Path, name: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInput([Problem(name, f"cannot read {path}: {exc.strerror}")]) from None


def _format_of(path: Path) -> str | None:
    suffix = path.suffix.lower()
    return "json" if suffix == ".json" else "yaml" if suffix in (".yaml", ".yml") else None


def _carry_on(service: Service, batch_id: str, out: Path | None, concurrency: int | None) -> None:
    batch = service.batches.get(batch_id)
    try:
        if batch.runner == "queue":
            _watch(service, batch)
        else:
            _run_here(service, batch, concurrency)
    except KeyboardInterrupt:
        now = service.batches.get(batch_id)
        done = now.counts.get("done", 0)
        if batch.runner == "queue":
            said = (
                f"stopped following: {done} of {now.total} partners drafted so far; the workers"
                f" go on. Progress: pitchgen batch status {batch_id}"
            )
        else:
            said = (
                f"interrupted: {done} of {now.total} partners drafted and stored; nothing is"
                f" lost. Resume with: pitchgen batch resume {batch_id}"
            )
        print(f"\n{said}", file=sys.stderr)
        raise typer.Exit(130) from None
    batch = service.batches.get(batch_id)
    items = service.batches.items(batch_id)
    if out is not None:
        _write_out(service, items, out)
    _summary(batch, items, service.batches.usage(batch_id).total)
    if batch.counts.get("failed"):
        print(f"some partners failed: pitchgen batch resume {batch_id}", file=sys.stderr)
        raise typer.Exit(1)


def _progress() -> Any:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[fallbacks]} fallbacks"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
    )


def _rate(done: int, started: float) -> str:
    elapsed = time.monotonic() - started
    return f"{done / elapsed:.1f}/s" if done and elapsed > 0 else "-/s"


def _run_here(service: Service, batch: Batch, concurrency: int | None) -> None:
    import asyncio  # only a batch run needs it: not `pitchgen draft`, which imports this module

    done = batch.counts.get("done", 0)
    fallbacks = batch.fallbacks
    started = time.monotonic()
    with _progress() as progress:
        task = progress.add_task("drafting", total=batch.total, completed=done, rate="-/s",
                                 fallbacks=fallbacks)  # fmt: skip
        fresh = 0

        def on_item(result: ItemDone) -> None:
            nonlocal fallbacks, fresh
            fallbacks += result.fallbacks
            fresh += 1
            progress.update(task, advance=1, fallbacks=fallbacks, rate=_rate(fresh, started))

        asyncio.run(service.batches.run(batch.id, concurrency=concurrency, on_item=on_item))


def _watch(service: Service, batch: Batch, every: float = 1.0) -> None:
    """A queue batch runs on the workers: follow its progress until it finishes."""
    print(
        f"batch {batch.id} is queued for `pitchgen worker`; following its progress (Ctrl-C"
        " stops following, the workers go on)",
        file=sys.stderr,
    )
    started = time.monotonic()
    first = batch.counts.get("done", 0) + batch.counts.get("failed", 0)
    with _progress() as progress:
        task = progress.add_task("drafting", total=batch.total, rate="-/s", fallbacks=0)
        while True:
            now = service.batches.get(batch.id)
            ended = now.counts.get("done", 0) + now.counts.get("failed", 0)
            progress.update(task, completed=ended, fallbacks=now.fallbacks,
                            rate=_rate(ended - first, started))  # fmt: skip
            if now.finished:
                return
            time.sleep(every)


_SLUG = re.compile(r"[^a-z0-9]+")


def _write_out(service: Service, items: list[Item], out: Path) -> None:
    try:
        for item in items:
            if item.outcome is None:
                continue
            slug = _SLUG.sub("-", item.partner_name.lower()).strip("-")[:40] or "partner"
            folder = out / f"{item.position + 1:04d}-{slug}"
            folder.mkdir(parents=True, exist_ok=True)
            for draft in item.outcome["drafts"]:
                text = service.get_draft(draft["id"]).text
                (folder / f"{draft['channel']}.txt").write_text(text, encoding="utf-8")
    except OSError as exc:
        raise PitchgenError(f"cannot write under {out}: {exc.strerror}") from None
    print(f"drafts written under {out}", file=sys.stderr)


def _summary(batch: Batch, items: list[Item], usage: Usage) -> None:
    from rich.console import Console
    from rich.table import Table

    from pitchgen.service.batches import item_summary

    console = Console(highlight=False)
    shown = items if len(items) <= 60 else [i for i in items if item_summary(i)[1] != "ok"]
    table = Table(title=f"batch {batch.id}", title_justify="left")
    for column in ("#", "partner", "state", "drafts", "note"):
        table.add_column(column, overflow="fold")
    for item in shown:
        drafts, note = item_summary(item)
        table.add_row(str(item.position + 1), item.partner_name, item.state, drafts, note)
    if shown:
        console.print(table)
    counts = ", ".join(f"{n} {state}" for state, n in sorted(batch.counts.items()))
    hidden = len(items) - len(shown)
    tail = f" ({hidden} partners drafted cleanly not listed)" if hidden else ""
    console.print(f"{batch.total} partners: {counts}; {batch.fallbacks} fallbacks{tail}")
    console.print(f"model calls of its {usage.drafts} drafts: {usage.summary()}")
    if not batch.finished:
        console.print(f"unfinished: pitchgen batch resume {batch.id}")
    console.print(f"review: pitchgen review list, or /review?batch={batch.id}")
