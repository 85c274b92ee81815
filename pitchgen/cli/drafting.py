"""What `pitchgen draft` does once its arguments are read, by typer (`pitchgen.cli.draft`) or by
the plain reading of a common call (`pitchgen.cli.quick`): nothing here imports typer."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from pitchgen.ask import Ask, Channel, load_ask
from pitchgen.errors import InvalidInput, PitchgenError, Problem

if TYPE_CHECKING:
    from pitchgen.content.models import DraftSet
    from pitchgen.service import Service
    from pitchgen.settings import LLMMode

__all__ = ["Format", "draft"]


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


_SUFFIX = {Format.text: "txt", Format.json: "json", Format.markdown: "md"}


def draft(
    ask_file: str,
    channel: list[Channel] | None,
    fmt: Format,
    out: Path | None,
    llm: LLMMode | None,
    save: bool,
    partner: str | None,
) -> None:
    """Draft the ask for each channel, check every draft, print them, and store them."""
    from pitchgen.cli import output
    from pitchgen.cli.context import settings
    from pitchgen.service import Service

    service = Service(settings())
    ask = load_ask(ask_file) if partner is None else _ask_for(service, ask_file, partner)
    if service.asks_model(llm):
        # The collector waits while the command loads (`pitchgen.loading`), not through model
        # calls that may take minutes, retries and re-asks: their garbage is collected as usual.
        from pitchgen.loading import resume

        resume()
    result = service.draft(ask, channel or None, llm=llm)
    if partner is not None:
        # The over-asking guard reads the store, open already for the partner's entry: its
        # warnings go with the drafts. Otherwise it runs where the drafts are saved.
        result = service.guarded(ask, result, partner)
    for warning in result.warnings:
        print(f"warning: {warning.path}: {warning.message}", file=sys.stderr)
    if out is None:
        output.write(sys.stdout, result, fmt.value)
    else:
        for path in _write_files(out, result, fmt):
            print(path)
    if save:
        _save(service, ask, result, partner)


def _ask_for(service: Service, ask_file: str, partner_id: str) -> Ask:
    from pitchgen.ask import read_document

    if ask_file == "-":
        raw = sys.stdin.buffer.read()
    else:
        try:
            raw = Path(ask_file).read_bytes()
        except OSError as exc:
            raise InvalidInput([Problem("", f"cannot read {ask_file}: {exc.strerror}")]) from None
    return service.partners.ask_for(read_document(raw), partner_id)


def _save(service: Service, ask: Ask, result: DraftSet, partner_id: str | None = None) -> None:
    # Printed first, saved second: a store that cannot be written loses no draft, and the
    # error still reaches the user. The store (and SQLAlchemy) opens only here, so --no-save
    # never loads it; it opens first, as lasting, so the collector does not walk it as it loads.
    from pitchgen.cli.context import cli_actor
    from pitchgen.errors import StoreError
    from pitchgen.loading import lasting

    sys.stdout.flush()
    if partner_id is None and service.save_plain(ask, result, cli_actor()):
        _report_saved(result)
        return
    try:
        try:
            with lasting():
                service.store()
                listed = partner_id is None and service.has_partners()
            if listed:
                for problem in service.partners.guard(ask):
                    print(f"warning: {problem.path}: {problem.message}", file=sys.stderr)
            service.save(ask, result, cli_actor(), partner_id=partner_id)
        finally:
            service.close()
    except StoreError as exc:
        raise StoreError(f"the drafts above were not saved: {exc.message}") from None
    _report_saved(result)


def _report_saved(result: DraftSet) -> None:
    for item in result.drafts:
        kind = item.channel.label
        print(
            f"saved {kind} draft {item.id} (review: pitchgen review show {item.id})",
            file=sys.stderr,
        )


def _write_files(out: Path, result, fmt: Format) -> list[Path]:
    from pitchgen.cli import output

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput([Problem("--out", f"cannot create {out}: {exc.strerror}")]) from None
    paths = []
    for item in result.drafts:
        path = out / f"{item.channel.value}.{_SUFFIX[fmt]}"
        try:
            path.write_text(output.render_one(result, item, fmt.value), encoding="utf-8")
        except OSError as exc:
            raise PitchgenError(f"cannot write {path}: {exc.strerror}") from None
        paths.append(path)
    return paths
