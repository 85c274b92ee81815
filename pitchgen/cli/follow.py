"""`pitchgen follow`: the follow-through from a terminal, the same steps as the API and the
review page: outcomes of pitches, the commitments both ways, and drafting what is due."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Literal

import typer

from pitchgen.cli.context import cli_actor, opened
from pitchgen.cli.output import printable
from pitchgen.content.formats import timestamp

if TYPE_CHECKING:
    from pitchgen.store.followrows import Commitment

__all__ = ["follow_app"]

follow_app = typer.Typer(
    help="Follow through on pitches: outcomes, follow-ups, commitments both ways, reminders.",
    no_args_is_help=True,
)

AUTHOR = typer.Option(None, "--author", help="Who, for the audit log (default: cli:$USER).")
NOTE = typer.Option(None, "--note", help="A note for the history.")
FORMAT = typer.Option("text", "--format", "-f", help="Output format.")


def _dump(value: object) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


@follow_app.command("outcome")
def outcome_command(
    draft_id: str = typer.Argument(..., metavar="DRAFT_ID", help="The pitch (a sent draft)."),
    outcome: str = typer.Argument(
        ..., metavar="OUTCOME", help="replied, accepted, declined or no_answer."
    ),
    note: str | None = NOTE,
    at: str | None = typer.Option(
        None, "--at", help="When it happened, ISO 8601 with an offset (default: now)."
    ),
    author: str | None = AUTHOR,
    fmt: Literal["text", "json"] = FORMAT,
) -> None:
    """Record what came of a pitch; any outcome cancels its pending follow-ups, and accepted
    opens the commitments both ways."""
    with opened() as service:
        done = service.follow.record_outcome(draft_id, outcome, cli_actor(author), note=note, at=at)
    if fmt == "json":
        _dump(
            {
                "outcome": done.outcome.model_dump(mode="json"),
                "previous": done.previous,
                "cancelled_follow_ups": done.cancelled,
                "follow_ups_being_sent": done.held,
                "commitments_opened": [c.model_dump(mode="json") for c in done.opened],
            }
        )
        return
    o = done.outcome
    print(printable(f"recorded {o.outcome} for draft {o.draft_id} at {timestamp(o.at)}"))
    for draft in done.cancelled:
        print(f"cancelled follow-up {draft}")
    for draft in done.held:
        print(f"follow-up {draft} is being sent right now and could not be cancelled")
    if done.opened:
        print(f"opened {len(done.opened)} commitments: pitchgen follow list")


COLUMNS = ("id", "owner", "due", "status", "partner", "what")


@follow_app.command("list")
def list_command(
    owner: str | None = typer.Option(None, "--owner", help="us or them."),
    status: str | None = typer.Option(None, "--status", help="open, done or slipped."),
    due_before: str | None = typer.Option(
        None, "--due-before", help="Only those due before this date (YYYY-MM-DD)."
    ),
    ask_id: str | None = typer.Option(None, "--ask", help="Only this ask's commitments."),
    fmt: Literal["text", "json"] = FORMAT,
) -> None:
    """The commitments both ways, soonest due first."""
    with opened() as service:
        ledger = service.follow.commitments(
            owner=owner, status=status, due_before=due_before, ask_id=ask_id
        )
    if fmt == "json":
        _dump({"commitments": [_public(c) for c in ledger]})
        return
    if not ledger:
        print("no commitments match", file=sys.stderr)
        return
    rows = [
        (c.id, c.owner, c.due.isoformat() if c.due else "-", c.status, c.partner, c.what)
        for c in ledger
    ]
    widths = [max(len(r[i]) for r in (COLUMNS, *rows)) for i in range(len(COLUMNS) - 1)]
    for row in (COLUMNS, *rows):
        cells = [cell.ljust(w) for cell, w in zip(row[:-1], widths, strict=True)]
        print(printable("  ".join([*cells, row[-1]])))


def _public(c: Commitment) -> dict:
    return c.model_dump(
        mode="json", include={"id", "ask_id", "owner", "what", "due", "status", "source"}
    ) | {"partner": c.partner}


@follow_app.command("done")
def done_command(
    commitment_id: str = typer.Argument(..., metavar="COMMITMENT_ID"),
    note: str | None = NOTE,
    author: str | None = AUTHOR,
) -> None:
    """Mark a commitment kept."""
    with opened() as service:
        kept = service.follow.done(commitment_id, cli_actor(author), note=note)
    print(printable(f"done: {kept.what} ({kept.owner}, {kept.partner})"))


@follow_app.command("slip")
def slip_command(
    commitment_id: str = typer.Argument(..., metavar="COMMITMENT_ID"),
    to: str | None = typer.Option(None, "--to", help="The new due date (YYYY-MM-DD)."),
    note: str | None = typer.Option(None, "--note", help="Why it slipped (required)."),
    author: str | None = AUTHOR,
) -> None:
    """A commitment will be late: its new date and why; its reminders move with it."""
    with opened() as service:
        moved = service.follow.slip(commitment_id, cli_actor(author), to=to, note=note)
    print(printable(f"slipped to {moved.due}: {moved.what} ({moved.owner}, {moved.partner})"))


@follow_app.command("run")
def run_command(
    now: str | None = typer.Option(
        None, "--now", help="The moment to act at, ISO 8601 (default: now). For tests and catch-up."
    ),
    fmt: Literal["text", "json"] = FORMAT,
) -> None:
    """Draft the follow-ups, kick-offs and reminders that are due; idempotent and cron-safe."""
    with opened() as service:
        report = service.follow.run(now)
    if fmt == "json":
        _dump(
            {
                "now": report.now.isoformat(),
                "drafted": [vars(m) for m in report.drafted],
                "overdue_answers": report.overdue_answers,
            }
        )
        return
    for made in report.drafted:
        print(f"drafted {made.kind.replace('_', ' ')} ({made.step}) {made.draft_id}")
    for ask_id in report.overdue_answers:
        print(
            f"ask {ask_id}: the reply date has passed with no answer; record it with"
            " `pitchgen follow outcome DRAFT_ID no_answer`",
            file=sys.stderr,
        )
    if not report.drafted:
        print("nothing due", file=sys.stderr)


@follow_app.command("calendar")
def calendar_command(
    ask_id: str = typer.Argument(..., metavar="ASK_ID", help="The ask (see `follow list`)."),
) -> None:
    """Every dated commitment of an ask as an iCalendar file (to standard output), with alarms;
    re-importing it updates the events rather than adding them."""
    with opened() as service:
        data = service.follow.calendar(ask_id)
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


def _percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.0%}"


@follow_app.command("stats")
def stats_command(fmt: Literal["text", "json"] = FORMAT) -> None:
    """Reply and acceptance rates by channel and need type, median days to an answer, and
    commitments kept on time."""
    with opened() as service:
        numbers = service.follow.stats()
    if fmt == "json":
        _dump(numbers.as_dict())
        return
    head = ("", "pitched", "answered", "reply rate", "accepted", "acceptance", "median days")
    rows = []
    for title, groups in (("", [numbers.overall]), ("channel: ", numbers.by_channel),
                          ("need: ", numbers.by_need)):  # fmt: skip
        for g in groups:
            days = "-" if g.median_days_to_reply is None else f"{g.median_days_to_reply:g}"
            rows.append((title + g.name.replace("_", " "), str(g.pitched), str(g.answered),
                         _percent(g.reply_rate), str(g.accepted), _percent(g.acceptance_rate),
                         days))  # fmt: skip
    widths = [max(len(r[i]) for r in (head, *rows)) for i in range(len(head))]
    for row in (head, *rows):
        print(printable("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()))
    print(
        f"\npromises kept or past their date: {numbers.due_so_far}, kept on time:"
        f" {numbers.kept_on_time} ({_percent(numbers.on_time_rate)}), late: {numbers.late}"
    )
