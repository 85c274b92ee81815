"""Directory files: CSV and YAML in, CSV and YAML out, every bad cell named by line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from pitchgen.errors import InvalidInput
from pitchgen.partners.files import parse_header_map, read_csv, read_yaml, write_csv, write_yaml
from pitchgen.partners.model import DirectoryPartner, identity

DATA = Path(__file__).resolve().parents[1] / "data" / "partners"
HEADER = (
    "organization,contact_name,contact_role,email,focus,can_offer,region,relationship,"
    "last_asked,tags\n"
)


def problems(raw: bytes, **kw) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        read_csv(raw, **kw)
    return [str(p) for p in caught.value.problems]


def stored(rows) -> list[DirectoryPartner]:
    import datetime as dt

    now = dt.datetime(2026, 12, 6, tzinfo=dt.UTC)
    return [
        DirectoryPartner(**r.fields.model_dump(), id=f"id-{n}", created_at=now, updated_at=now)
        for n, r in enumerate(rows)
    ]


def test_the_shared_directory_reads_whole_with_commas_quotes_and_non_latin_names() -> None:
    rows = read_csv((DATA / "directory.csv").read_bytes())
    assert len(rows) == 30
    by_name = {r.fields.organization: r for r in rows}
    assert "Smith, Delgado & Park LLP" in by_name
    center = by_name["Center for Housing Abundance"].fields
    assert center.focus.startswith('Zoning reform, "missing middle"')
    assert [t.value for t in center.can_offer] == ["expertise", "connections"]
    assert center.kind == "think tank"
    assert by_name["Carroll Row Event House LLC"].fields.tags == []
    assert by_name["Café Liberté"].fields.contact_name == "Amélie Durand"


def test_csv_export_imports_back_unchanged() -> None:
    rows = read_csv((DATA / "directory.csv").read_bytes())
    entries = stored(rows)
    again = read_csv(write_csv(entries).encode())
    assert [r.fields for r in again] == [r.fields for r in rows]
    assert [r.id for r in again] == [e.id for e in entries]


def test_yaml_export_imports_back_unchanged() -> None:
    rows = read_csv((DATA / "directory.csv").read_bytes())
    again = read_yaml(write_yaml(stored(rows)).encode())
    assert [r.fields for r in again] == [r.fields for r in rows]


def test_formula_looking_cells_are_exported_defused_and_read_back_as_written() -> None:
    raw = (
        HEADER + '"=HYPERLINK(""http://x"")",Ann Lee,,,+1 555 0100 is the desk,,,@mention,,-tag\n'
    ).encode()
    rows = read_csv(raw)
    text = write_csv(stored(rows))
    line = text.splitlines()[1]
    assert line.startswith("\"'=HYPERLINK(")
    assert ",'+1 555 0100" in line and ",'@mention," in line and ",'-tag," in line
    assert read_csv(text.encode())[0].fields == rows[0].fields


def test_every_bad_cell_is_named_by_line_and_column_and_nothing_is_read() -> None:
    raw = (
        HEADER
        + "Good Org,,,,,expertise,US-DC,,,\n"
        + "Bad Email Org,,,not-an-address,,expertise,,,,\n"
        + '"Multi\nline Org",,,,,lunch,Atlantis,,2026-02-30,\n'
    ).encode()
    found = problems(raw)
    assert any(p.startswith("line 3, column 4 (email)") for p in found)
    # The quoted name spans lines 4 and 5: the row is named by the line it starts on.
    assert any(p.startswith("line 4, column 6 (can_offer)") for p in found)
    assert any(p.startswith("line 4, column 7 (region)") for p in found)
    assert any(p.startswith("line 4, column 9 (last_asked)") for p in found)


def test_a_wrong_header_names_each_unknown_column() -> None:
    found = problems(b"organisation,phone\nA,1\n")
    assert found[0].startswith("line 1, column 1 (organisation)")
    assert found[1].startswith("line 1, column 2 (phone)")


def test_a_file_not_in_utf8_is_refused_with_where_and_how_to_fix() -> None:
    raw = (HEADER + "Caf\xe9 Libert\xe9,,,,,,,,,\n").encode("cp1252")
    (found,) = problems(raw)
    assert found.startswith("line 2, column 4")
    assert "--encoding" in found
    rows = read_csv(raw, encoding="cp1252")
    assert rows[0].fields.organization == "Café Liberté"


@pytest.mark.parametrize("encoding", ["no-such-codec", "utf\x008"])
def test_an_unknown_encoding_is_a_problem_at_the_option(encoding: str) -> None:
    # Found by the API's schema fuzzing: a NUL in the name was a 500.
    with pytest.raises(InvalidInput) as caught:
        read_csv(HEADER.encode(), encoding=encoding)
    assert [p.path for p in caught.value.problems] == ["--encoding"]


def test_a_crm_export_is_read_through_a_header_map() -> None:
    raw = (
        b"Account Name,Primary Contact,Email,Phone,Services\n"
        b"Main Street Co,Ann Lee,ann@main.example,555,workspace;volunteers\n"
    )
    mapping = parse_header_map(
        [
            "Account Name=organization",
            "Primary Contact=contact_name",
            "Phone=-",
            "Services=can_offer",
        ]
    )
    (row,) = read_csv(raw, mapping)
    assert row.fields.organization == "Main Street Co"
    assert row.fields.contact_name == "Ann Lee"
    assert [t.value for t in row.fields.can_offer] == ["workspace", "volunteers"]


def test_a_header_map_to_an_unknown_field_is_refused() -> None:
    with pytest.raises(InvalidInput, match="1 problem"):
        parse_header_map(["Account=org_name"])


def test_two_rows_for_one_organization_are_refused() -> None:
    raw = (HEADER + "Café Liberté,,,,,,,,,\n" + "CAFÉ   liberté,,,,,,,,,\n").encode()
    assert problems(raw) == ["line 3: the same organization as line 2"]


def test_identity_ignores_case_spacing_and_composition() -> None:
    composed, decomposed = "Café Liberté", "Cafe\u0301  LIBERTE\u0301"
    assert identity(composed) == identity(decomposed)
    assert identity("Smith, Delgado & Park LLP") != identity("Smith Delgado & Park LLP")


def test_yaml_problems_are_named_by_line_and_column() -> None:
    raw = b"- organization: Good\n  region: US-DC\n- organization: Bad\n  email: nope\n"
    with pytest.raises(InvalidInput) as caught:
        read_yaml(raw)
    (problem,) = caught.value.problems
    assert problem.path == "line 4, column 10 (email)"


def test_an_entry_without_a_contact_needs_a_name_an_email_can_carry() -> None:
    (found,) = problems((HEADER + '"Acme <Rooms>",,,,,,,,,\n').encode())
    assert found.startswith("line 2: organization:")
