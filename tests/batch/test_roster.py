"""Reading a partners file for `pitchgen batch`: every bad row reported by line and column
before anything is drafted."""

from __future__ import annotations

from pathlib import Path

import pytest

from pitchgen.ask.roster import MAX_PARTNERS, PARTNER_COLUMNS, read_partners
from pitchgen.errors import InvalidInput

DATA = Path(__file__).resolve().parents[1] / "data" / "batch"


def problems(raw: bytes, name: str = "partners.csv") -> list[str]:
    with pytest.raises(InvalidInput) as invalid:
        read_partners(raw, name)
    assert "nothing was drafted" in invalid.value.message or invalid.value.problems
    return [str(p) for p in invalid.value.problems]


def test_a_csv_of_partners_is_read_with_each_rows_line() -> None:
    rows = read_partners((DATA / "partners.csv").read_bytes(), "partners.csv")
    assert [r.partner.organization for r in rows][:4] == [
        "Main Street Business Alliance",
        "Granite Valley Chamber of Commerce",
        "Riverside Barbers Guild",
        "Coastal Food Trucks, Inc.",
    ]
    assert [r.line for r in rows] == [2, 3, 4, 5, 6]
    assert rows[1].partner.relationship is None  # an empty cell is an absent field
    assert rows[4].partner.focus == "small retailers, downtown districts"


def test_a_yaml_list_keeps_every_value_as_text() -> None:
    rows = read_partners((DATA / "partners.yaml").read_bytes(), "partners.yaml")
    assert [r.line for r in rows] == [2, 6]
    assert rows[1].partner.relationship == "no"  # not YAML's false


def test_every_bad_row_is_reported_by_line_and_column_at_once() -> None:
    raw = (
        b"organization,contact_name,email,focus\n"
        b"Acme Alliance,Jo Smith,jo@acme.org,fine\n"
        b"Beta Group,,not-an-email,\n"
        b",Al Green,al@g.org,\n"
        b'"Gamma, Inc",Al,al@g.org,"two\nlines"\n'
        b"Delta,X\n"
    )
    found = problems(raw)
    assert found[0].startswith("line 3, column email: not an email address")
    assert found[1] == "line 4, column organization: required"
    assert found[2].startswith("line 7: 2 cells where the header has 4 columns")
    assert len(found) == 3


def test_unknown_and_missing_columns_name_the_known_ones() -> None:
    unknown, missing = problems(b"org,phone\nAcme,555\n")
    assert "unknown columns 'org', 'phone'" in unknown
    assert all(column in unknown for column in PARTNER_COLUMNS)
    assert "no organization column" in missing


def test_a_file_that_is_not_utf8_says_where_and_how_to_fix_it() -> None:
    (found,) = problems("organization\nCafé Society\n".encode("latin-1"))
    assert found.startswith("line 2: not UTF-8 text")
    assert "save the file as UTF-8" in found


def test_a_utf8_byte_order_mark_is_fine() -> None:
    (row,) = read_partners("\ufefforganization\nCafé Society\n".encode(), "p.csv")
    assert row.partner.organization == "Café Society"


@pytest.mark.parametrize("cell", ["=HYPERLINK(1)", "+1+2", "-2+3", "@SUM(A1)", " =1"])
def test_a_cell_that_looks_like_a_spreadsheet_formula_is_refused(cell: str) -> None:
    raw = f'organization,focus\nAcme Alliance,"{cell}"\n'.encode()
    (found,) = problems(raw)
    assert found.startswith("line 2, column focus: starts with")
    assert "formula" in found


def test_yaml_problems_carry_their_lines_too() -> None:
    raw = b"- organization: A\n  focus: [1]\n- contact_name: Bo\n- just text\n"
    assert problems(raw, "p.yaml") == [
        "line 2, column focus: must be text, not a list or mapping",
        "line 3, column organization: required",
        "line 4: a partner block must be a mapping of fields",
    ]


def test_a_batch_holds_at_most_the_contracts_maximum() -> None:
    rows = "".join(f"Org {n}\n" for n in range(MAX_PARTNERS))
    assert len(read_partners(f"organization\n{rows}".encode(), "p.csv")) == MAX_PARTNERS
    found = problems(f"organization\n{rows}One too many\n".encode())
    assert found == [f"partners: {MAX_PARTNERS + 1:,} partners; a batch holds at most 1,000"]


def test_an_empty_file_is_no_batch() -> None:
    assert "no header row" in problems(b"")[0]
    assert problems(b"organization\n") == ["partners: no partners: give at least one"]
