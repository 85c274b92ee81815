"""A file of partners for a batch (`pitchgen batch ASK PARTNERS`): CSV with a header row, or a
YAML list of partner blocks. Every row is read and validated before anything is drafted, and
every problem is reported at once by line and column, so nothing is half-imported.

CSV: UTF-8 (a byte-order mark is fine); the header names fields of the ask's partner block
(`PARTNER_COLUMNS`, `organization` required); an empty cell is an absent field. A cell that
starts like a spreadsheet formula (`=`, `+`, `-`, `@`, a tab or a carriage return) is refused:
the drafts and exports would carry it into someone's spreadsheet. YAML: a list of mappings;
every value is read as text (so `no` stays "no").
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import ValidationError

from pitchgen.ask.model import Ask, Partner
from pitchgen.errors import InvalidInput, Problem, problems_from

__all__ = [
    "FROM_DIRECTORY",
    "MAX_PARTNERS",
    "MAX_PARTNERS_FILE_BYTES",
    "PARTNER_COLUMNS",
    "PartnerRow",
    "for_partner",
    "read_partners",
    "validate_batch_ask",
    "validate_partners",
]

# The contract's largest batch: 1,000 partners (README, "Batches").
MAX_PARTNERS = 1000
MAX_PARTNERS_FILE_BYTES = 2 * 1024 * 1024
PARTNER_COLUMNS = tuple(Partner.model_fields)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_MAX_PROBLEMS = 200
# Stands in for the organization of a row that names a directory entry instead.
FROM_DIRECTORY = "Partner from the directory"


@dataclass(frozen=True)
class PartnerRow:
    """One partner of a batch and where it came from: `line` of the file (None from the API)."""

    partner: Partner
    line: int | None = None
    # A partner directory entry (`pitchgen partners`): the service fills the block from it,
    # the row's own fields on top. Until then `partner` holds those fields around a stand-in.
    partner_id: str | None = None


def _where(line: int | None, index: int, column: str | None = None) -> str:
    row = f"line {line}" if line is not None else f"partners[{index}]"
    if column is None:
        return row
    return f"{row}, column {column}" if line is not None else f"{row}.{column}"


def validate_partners(
    blocks: list[tuple[int | None, dict[str, Any]]],
) -> list[PartnerRow]:
    """Validate each partner block (with the line it starts on, if from a file); every problem
    at once, or the rows."""
    problems: list[Problem] = []
    rows: list[PartnerRow] = []
    if not blocks:
        problems.append(Problem("partners", "no partners: give at least one"))
    if len(blocks) > MAX_PARTNERS:
        problems.append(
            Problem("partners", f"{len(blocks):,} partners; a batch holds at most {MAX_PARTNERS:,}")
        )
    for index, (line, block) in enumerate(blocks):
        entry = block.get("partner_id") if isinstance(block, dict) else None
        if entry is not None:
            block = {k: v for k, v in block.items() if k != "partner_id"}
            block.setdefault("organization", FROM_DIRECTORY)
            if not isinstance(entry, str) or not entry.strip():
                problems.append(Problem(_where(line, index, "partner_id"), "must be an id"))
                continue
        try:
            partner = Partner.model_validate(block)
        except ValidationError as exc:
            for p in problems_from(exc):
                column = p.path.split(".")[0] if p.path else None
                problems.append(Problem(_where(line, index, column), p.message))
            continue
        if partner.contact_name is None:
            # Then the organization is the To header's name (as `validate_ask` checks).
            from pitchgen.ask.mailheaders import header_name_problem

            if problem := header_name_problem(partner.organization):
                problems.append(Problem(_where(line, index, "organization"), problem))
                continue
        rows.append(PartnerRow(partner, line, entry.strip() if entry else None))
    if problems:
        shown = problems[:_MAX_PROBLEMS]
        if len(problems) > _MAX_PROBLEMS:
            shown.append(Problem("partners", f"and {len(problems) - _MAX_PROBLEMS:,} more"))
        noun = "problem" if len(problems) == 1 else "problems"
        raise InvalidInput(shown, f"{len(problems)} {noun} in the partners; nothing was drafted")
    return rows


def read_partners(raw: bytes, name: str = "") -> list[PartnerRow]:
    """The partners in a CSV or YAML file's bytes; `name` (the file name) picks the format by
    its extension, else a leading `-` or `[` means YAML."""
    if len(raw) > MAX_PARTNERS_FILE_BYTES:
        raise InvalidInput(
            [Problem("", f"the partners file is {len(raw):,} bytes; the limit is 2 MiB")]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InvalidInput(
            [
                Problem(
                    f"line {line}",
                    f"not UTF-8 text (byte {exc.start}); save the file as UTF-8 (CSV UTF-8 in"
                    " a spreadsheet)",
                )
            ]
        ) from None
    lower = name.lower()
    is_yaml = lower.endswith((".yaml", ".yml", ".json")) or (
        not lower.endswith(".csv") and text.lstrip()[:1] in ("-", "[")
    )
    blocks, problems = _yaml_blocks(text) if is_yaml else _csv_blocks(text)
    try:
        rows = validate_partners(blocks) if blocks or not problems else []
    except InvalidInput as invalid:
        rows, problems = [], problems + invalid.problems
    if problems:
        every = sorted(problems, key=_line_order)
        noun = "problem" if len(every) == 1 else "problems"
        raise InvalidInput(every, f"{len(every)} {noun} in the partners; nothing was drafted")
    return rows


def _line_order(problem: Problem) -> tuple[int, str]:
    head = problem.path.split(",")[0]
    number = head.removeprefix("line ")
    return (int(number) if number.isdigit() else 0, problem.path)


_Blocks = tuple[list[tuple[int | None, dict[str, Any]]], list[Problem]]


# --- CSV -------------------------------------------------------------------------------------


def _csv_blocks(text: str) -> _Blocks:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise InvalidInput([Problem("line 1", f"not valid CSV: {exc}")]) from None
    if not header or not any(h.strip() for h in header):
        raise InvalidInput([Problem("line 1", _header_help("the file has no header row"))])
    columns = [h.strip() for h in header]
    problems = _header_problems(columns)
    if problems:
        raise InvalidInput(problems, "the partners file's header is wrong; nothing was drafted")
    blocks: list[tuple[int | None, dict[str, Any]]] = []
    cell_problems: list[Problem] = []
    line = reader.line_num
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue  # a blank line between rows
            if len(cells) != len(columns):
                cell_problems.append(
                    Problem(
                        f"line {start}",
                        f"{len(cells)} cells where the header has {len(columns)} columns"
                        " (a comma inside a cell needs the cell in double quotes)",
                    )
                )
                continue
            block: dict[str, Any] = {}
            for column, cell in zip(columns, cells, strict=True):
                value = cell.strip()
                if cell[:1] in _FORMULA_STARTS or value[:1] in _FORMULA_STARTS:
                    cell_problems.append(
                        Problem(
                            f"line {start}, column {column}",
                            f"starts with {cell.lstrip(' ')[:1]!r} as a spreadsheet formula"
                            " does; drafts and exports would carry it into a spreadsheet, so"
                            " rewrite the cell without it",
                        )
                    )
                if value:
                    block[column] = value
            blocks.append((start, block))
    except csv.Error as exc:
        cell_problems.append(Problem(f"line {reader.line_num}", f"not valid CSV: {exc}"))
    return blocks, cell_problems


def _header_help(what: str) -> str:
    return f"{what}; the columns are {', '.join(PARTNER_COLUMNS)} (organization required)"


def _header_problems(columns: list[str]) -> list[Problem]:
    problems = []
    if unknown := [c for c in columns if c not in (*PARTNER_COLUMNS, "partner_id")]:
        named = ", ".join(repr(c) for c in unknown)
        noun = "column" if len(unknown) == 1 else "columns"
        problems.append(Problem("line 1", _header_help(f"unknown {noun} {named}")))
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    for column in repeated:
        problems.append(Problem("line 1", f"column {column!r} appears more than once"))
    if "organization" not in columns and "partner_id" not in columns:
        problems.append(Problem("line 1", _header_help("no organization column")))
    return problems


# --- YAML ------------------------------------------------------------------------------------


def _yaml_blocks(text: str) -> _Blocks:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InvalidInput([Problem(where, f"not valid YAML: {exc.problem}")]) from None
    except yaml.YAMLError as exc:
        raise InvalidInput([Problem("", f"not valid YAML: {exc}")]) from None
    if not isinstance(root, yaml.SequenceNode):
        raise InvalidInput([Problem("", "the YAML must be a list of partner blocks")])
    problems: list[Problem] = []
    blocks: list[tuple[int | None, dict[str, Any]]] = []
    for item in root.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            problems.append(Problem(f"line {line}", "a partner block must be a mapping of fields"))
            continue
        block: dict[str, Any] = {}
        for key, value in item.value:
            at = f"line {key.start_mark.line + 1}, column {key.value}"
            if key.value in block:
                problems.append(Problem(at, "given twice"))
            elif not isinstance(value, yaml.ScalarNode):
                problems.append(Problem(at, "must be text, not a list or mapping"))
            elif value.tag != "tag:yaml.org,2002:null" and value.value != "":
                block[key.value] = value.value
        blocks.append((line, block))
    return blocks, problems


# --- the ask the partners share ----------------------------------------------------------------


def validate_batch_ask(data: Any, first: Partner) -> tuple[Ask, list[Problem]]:
    """The ask every partner of a batch shares, validated with the first partner in its
    partner block, and a warning if the ask brought a partner block of its own (the partners
    file replaces it)."""
    from pitchgen.ask.model import validate_ask

    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise InvalidInput([Problem("", f"an ask must be a mapping of fields, not {kind}")])
    warnings = []
    if "partner" in data:
        warnings.append(
            Problem("partner", "ignored: each row of the partners file is the partner block")
        )
    return validate_ask({**data, "partner": first.model_dump(exclude_none=True)}), warnings


def for_partner(shared: Ask, partner: Partner) -> Ask:
    """The batch's ask addressed to one partner (both already validated)."""
    return shared.model_copy(update={"partner": partner})
