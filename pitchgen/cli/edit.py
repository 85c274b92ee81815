"""Editing a draft's content from the command line: `--set FIELD=VALUE`, or $EDITOR on YAML."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pitchgen.ask import Channel
from pitchgen.cli.output import kind
from pitchgen.errors import InvalidInput, PitchgenError, Problem

if TYPE_CHECKING:
    from pitchgen.service import Service
    from pitchgen.store.rows import StoredDraft

__all__ = ["edit_in_editor", "with_sets"]


def with_sets(channel: Channel, current: dict, sets: list[str]) -> dict:
    """`current` content with each `FIELD=VALUE` of `--set` applied; every bad one reported."""
    import yaml
    from pydantic import TypeAdapter, ValidationError

    from pitchgen.content.models import CONTENT_MODELS

    fields = CONTENT_MODELS[channel].model_fields
    content, problems = dict(current), []
    for item in sets:
        name, has_value, raw = item.partition("=")
        name = name.strip()
        if not has_value or name not in fields:
            known = ", ".join(fields)
            problems.append(Problem("--set", f"{item!r}: use FIELD=VALUE, FIELD one of {known}"))
            continue
        # A value that already fits the field is taken as typed ("Re: your room" stays a
        # subject); only lists, numbers and the like are read as YAML.
        adapter = TypeAdapter(fields[name].annotation)
        try:
            content[name] = adapter.dump_python(adapter.validate_python(raw), mode="json")
            continue
        except ValidationError:
            pass
        try:
            content[name] = yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            problems.append(Problem(f"--set {name}", f"not valid YAML: {exc.problem or exc}"))
    if problems:
        raise InvalidInput(problems)
    return content


def edit_in_editor(
    service: Service, draft: StoredDraft, version: int, author: str, note: str | None
) -> StoredDraft | None:
    """Open $VISUAL or $EDITOR on the content; store what comes back as a new revision."""
    fd, name = tempfile.mkstemp(prefix=f"pitchgen-{draft.id[:8]}-", suffix=".yaml")
    path = Path(name)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(_editable(draft))
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        done = subprocess.run([*shlex.split(editor), str(path)], check=False)  # noqa: S603
    except OSError as exc:
        path.unlink()
        raise PitchgenError(
            f"cannot start the editor {editor!r}: {exc.strerror}; set EDITOR"
        ) from None
    try:
        if done.returncode != 0:
            raise PitchgenError(f"the editor exited with status {done.returncode}; nothing saved")
        content = _parse_edited(path.read_text(encoding="utf-8"))
        if content is None or content == draft.content.model_dump(mode="json"):
            path.unlink()
            return None
        edited = service.edit(draft.id, content, version, author, note)
    except PitchgenError as exc:
        # An edit is a person's work: never throw it away because it could not be saved.
        exc.message = f"{exc.message} (your edit is kept in {path})"
        raise
    path.unlink()
    return edited


def _editable(draft: StoredDraft) -> str:
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> Any:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    head = (
        f"# {kind(draft).capitalize()} draft {draft.id}, version {draft.version}.\n"
        "# Save and quit to store a new revision (the checks run again);\n"
        "# leave it unchanged or empty to cancel. JSON works too.\n"
    )
    # No folding: a line of YAML is a line of the draft, so an edit lands where it is made.
    return head + yaml.dump(
        draft.content.model_dump(mode="json"),
        Dumper=Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=1_000_000,
    )


def _parse_edited(text: str) -> dict | None:
    import yaml

    try:
        content = yaml.safe_load(text)  # YAML reads JSON too
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise InvalidInput([Problem("content", f"not valid YAML{where}")]) from None
    if content is None:
        return None
    if not isinstance(content, dict):
        raise InvalidInput([Problem("content", "must be a mapping of field names to values")])
    return json.loads(json.dumps(content, default=str))
