"""Directory files in and out: CSV (the columns of `directory.csv`, or another export's through
a header map) and YAML (a list of entries with the same field names).

Reading checks the whole file before anything is kept: every bad cell is one `Problem` named
by its line and column ("line 7, column 4 (email)"), and a file with any problem imports
nothing. Writing makes spreadsheet-safe CSV: a cell a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) is written with a leading apostrophe, which
reading takes off again, so an export imports back unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from pitchgen.errors import InvalidInput, Problem, problems_from
from pitchgen.partners.model import FIELDS, DirectoryPartner, PartnerFields

__all__ = [
    "COLUMNS",
    "MAX_FILE_BYTES",
    "ImportRow",
    "parse_header_map",
    "read_csv",
    "read_partners",
    "read_yaml",
    "write_csv",
    "write_yaml",
]

# The columns of shared/partners/directory.csv, in its order; an export adds `id` last.
COLUMNS = FIELDS
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
SKIP = "-"


@dataclass(frozen=True)
class ImportRow:
    """One entry read from a file: where it stood, the entry id it names (if any), its fields."""

    line: int
    fields: PartnerFields
    id: str | None = None
    # The fields the file gave (its columns, or the entry's keys): an update writes only these,
    # so an export from another tool that lacks a column never wipes it. None: every field.
    given: frozenset[str] | None = None


def parse_header_map(pairs: Iterable[str]) -> dict[str, str]:
    """`SOURCE=FIELD` pairs (a CRM's "Account Name=organization"); FIELD `-` drops a column."""
    mapping: dict[str, str] = {}
    problems = []
    for pair in pairs:
        source, sep, field = pair.partition("=")
        field = field.strip()
        if not sep or not source.strip() or not field:
            problems.append(Problem("--map", f"{pair!r} is not SOURCE=FIELD"))
        elif field != SKIP and field not in (*COLUMNS, "id"):
            known = ", ".join((*COLUMNS, "id"))
            problems.append(Problem("--map", f"{field!r} is not a directory field ({known}, or -)"))
        else:
            mapping[source.strip().casefold()] = field
    if problems:
        raise InvalidInput(problems)
    return mapping


def _decode(raw: bytes, encoding: str) -> str:
    if len(raw) > MAX_FILE_BYTES:
        raise InvalidInput([Problem("", f"the file is {len(raw):,} bytes; the limit is 20 MiB")])
    try:
        return raw.decode(
            "utf-8-sig" if encoding.lower().replace("_", "-") == "utf-8" else encoding
        )
    except LookupError:
        raise InvalidInput([Problem("--encoding", f"unknown encoding {encoding!r}")]) from None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InvalidInput(
            [
                Problem(
                    f"line {line}, column {column}",
                    f"byte 0x{raw[exc.start]:02x} is not {encoding}: save the file as UTF-8,"
                    " or name its encoding (--encoding cp1252)",
                )
            ]
        ) from None
    except ValueError:  # an encoding name with a NUL in it, which the codec lookup refuses
        raise InvalidInput([Problem("--encoding", f"unknown encoding {encoding!r}")]) from None


def _unquote(cell: str) -> str:
    # Undo write_csv's guard: "'=SUM(A1)" was exported from "=SUM(A1)".
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA) else cell


def _header(cells: list[str], mapping: Mapping[str, str]) -> tuple[list[str | None], list[Problem]]:
    """Each column's field (None: dropped by the map), and what is wrong with the header."""
    known = {c.casefold(): c for c in (*COLUMNS, "id")}
    fields: list[str | None] = []
    problems = []
    seen: dict[str, int] = {}
    for number, cell in enumerate(cells, 1):
        name = cell.strip()
        field = mapping.get(name.casefold(), known.get(name.casefold()))
        where = f"line 1, column {number} ({name or 'empty'})"
        if field is None:
            problems.append(
                Problem(
                    where,
                    "not a directory column: map it (--map 'NAME=organization') or drop it"
                    f" (--map 'NAME=-'); the columns are {', '.join(COLUMNS)}",
                )
            )
        elif field != SKIP and field in seen:
            problems.append(Problem(where, f"{field} is also column {seen[field]}"))
        elif field != SKIP:
            seen[field] = number
        fields.append(None if field in (None, SKIP) else field)
    if "organization" not in seen and not problems:
        problems.append(Problem("line 1", "no organization column: the header must name one"))
    return fields, problems


def read_csv(
    raw: bytes, header_map: Mapping[str, str] | None = None, *, encoding: str = "utf-8"
) -> list[ImportRow]:
    """Every entry of a CSV file, or `InvalidInput` with every problem in it."""
    text = _decode(raw, encoding)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise InvalidInput([Problem("line 1", f"not valid CSV: {exc}")]) from None
    if header is None:
        raise InvalidInput([Problem("", "the file is empty: it needs a header line")])
    fields, problems = _header(header, header_map or {})
    if problems:
        raise InvalidInput(problems)
    rows: list[ImportRow] = []
    columns = {f: n for n, f in enumerate(fields, 1) if f is not None}
    first_line = reader.line_num + 1
    while True:
        try:
            cells = next(reader, None)
        except csv.Error as exc:
            problems.append(Problem(f"line {first_line}", f"not valid CSV: {exc}"))
            break
        if cells is None:
            break
        line, first_line = first_line, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(fields):
            problems.append(
                Problem(f"line {line}", f"has {len(cells)} cells; the header has {len(fields)}")
            )
            continue
        values = {f: _unquote(c) for f, c in zip(fields, cells, strict=True) if f is not None}
        row = _row(line, values, lambda f, line=line: f"line {line}, column {columns[f]} ({f})")
        if isinstance(row, ImportRow):
            rows.append(row)
        else:
            problems.extend(row)
        if len(rows) > MAX_ROWS:
            raise InvalidInput([Problem("", f"more than {MAX_ROWS:,} entries in one file")])
    return _checked(rows, problems)


def _row(line: int, values: dict[str, Any], where: Any) -> ImportRow | list[Problem]:
    entry_id = values.pop("id", None)
    entry_id = str(entry_id).strip() if entry_id is not None and str(entry_id).strip() else None
    given = frozenset(values) & frozenset(FIELDS)
    try:
        fields = PartnerFields.model_validate(values)
    except ValidationError as exc:
        problems = []
        for problem, error in zip(problems_from(exc), exc.errors(), strict=True):
            field = str(error["loc"][0]) if error["loc"] else ""
            path = where(field) if field in FIELDS else f"line {line}"
            item = problem.path.removeprefix(field)
            message = f"{item.strip('.')}: {problem.message}" if item else problem.message
            problems.append(Problem(path, message))
        return problems
    return ImportRow(line, fields, entry_id, given)


def _checked(rows: list[ImportRow], problems: list[Problem]) -> list[ImportRow]:
    # Two rows for one organization (or one id) would make the import's result depend on order.
    seen: dict[str, int] = {}
    for row in rows:
        for key in (f"id:{row.id}" if row.id else None, row.fields.key):
            if key is None:
                continue
            if key in seen:
                problems.append(
                    Problem(f"line {row.line}", f"the same organization as line {seen[key]}")
                )
                break
            seen[key] = row.line
    if problems:
        problems.sort(key=_line_of)
        raise InvalidInput(problems, f"{len(problems)} problems in the file; nothing imported")
    return rows


def _line_of(problem: Problem) -> int:
    head = problem.path.removeprefix("line ").split(",")[0]
    return int(head) if head.isdigit() else 0


def read_yaml(raw: bytes) -> list[ImportRow]:
    """Every entry of a YAML file (a list of mappings, or `partners:` holding one)."""
    import yaml

    text = _decode(raw, "utf-8")
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == "partners"), node)
        if node is None:
            raise InvalidInput([Problem("", "the file is empty: it needs a list of partners")])
        if not isinstance(node, yaml.SequenceNode):
            raise InvalidInput([Problem("line 1", "a YAML directory is a list of partners")])
        rows, problems = [], []
        for item in node.value:
            line = item.start_mark.line + 1
            if not isinstance(item, yaml.MappingNode):
                problems.append(Problem(f"line {line}", "an entry must be a mapping of fields"))
                continue
            marks = {k.value: v.start_mark for k, v in item.value if isinstance(k.value, str)}
            values = loader.construct_object(item, deep=True)
            values = {str(k): "" if v is None else v for k, v in values.items()}

            def where(field: str, marks: dict = marks, line: int = line) -> str:
                mark = marks.get(field)
                return (
                    f"line {line}"
                    if mark is None
                    else (f"line {mark.line + 1}, column {mark.column + 1} ({field})")
                )

            row = _row(line, values, where)
            if isinstance(row, ImportRow):
                rows.append(row)
            else:
                problems.extend(row)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InvalidInput([Problem(where, f"not valid YAML: {exc.problem or exc}")]) from None
    finally:
        loader.dispose()
    return _checked(rows, problems)


def read_partners(
    raw: bytes,
    fmt: str,
    header_map: Mapping[str, str] | None = None,
    *,
    encoding: str = "utf-8",
) -> list[ImportRow]:
    """Entries from a file in `fmt` ('csv' or 'yaml')."""
    if fmt == "yaml":
        return read_yaml(raw)
    return read_csv(raw, header_map, encoding=encoding)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = ";".join(value) if isinstance(value, list) else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def write_csv(partners: Iterable[DirectoryPartner]) -> str:
    """The directory as CSV: `directory.csv`'s columns, then `id` (so a re-import updates)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*COLUMNS, "id"])
    for partner in partners:
        data = partner.model_dump(mode="json")
        writer.writerow([_cell(data[c]) for c in COLUMNS] + [partner.id])
    return out.getvalue()


def write_yaml(partners: Iterable[DirectoryPartner]) -> str:
    import yaml

    entries = [
        {"id": p.id} | p.model_dump(mode="json", include=set(COLUMNS), exclude_none=True)
        for p in partners
    ]
    return yaml.safe_dump(entries, allow_unicode=True, sort_keys=False)
