"""Partner directory ids in batches (issue 15 meets issue 16): a row may name an entry instead
of typing its block; an unknown id is a problem by line, and nothing is drafted."""

from __future__ import annotations

import json
from pathlib import Path

from pitchgen.cli import main

ROOT = Path(__file__).resolve().parents[2]
DIRECTORY = ROOT / "tests" / "data" / "partners" / "directory.csv"
ASK = ROOT / "tests" / "data" / "batch" / "summit-ask.yaml"


def ids(capsys) -> dict[str, str]:
    capsys.readouterr()
    assert main(["partners", "list", "--format", "json"]) == 0
    return {e["organization"]: e["id"] for e in json.loads(capsys.readouterr().out)}


def test_a_batch_row_may_name_a_directory_entry(capsys, tmp_path: Path) -> None:
    assert main(["partners", "import", str(DIRECTORY)]) == 0
    known = ids(capsys)
    rows = tmp_path / "partners.csv"
    rows.write_text(
        "partner_id,organization,contact_name\n"
        f"{known['Café Liberté']},,\n"
        f"{known['Franklin Square Policy Institute']},,Pat Doe\n"
        ",Typed By Hand Org,Sam Roe\n",
        encoding="utf-8",
    )
    code = main(["batch", str(ASK), str(rows), "--channel", "email", "--out", str(tmp_path / "o")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "3 partners: 3 done" in out
    texts = {p.parent.name: p.read_text() for p in (tmp_path / "o").rglob("email.txt")}
    cafe = next(t for name, t in texts.items() if "caf" in name)
    assert "Amélie" in cafe
    franklin = next(t for name, t in texts.items() if "franklin" in name)
    assert "Pat" in franklin and "Howard" not in franklin


def test_an_unknown_entry_is_a_problem_by_line_and_nothing_is_drafted(
    capsys, tmp_path: Path
) -> None:
    rows = tmp_path / "partners.csv"
    rows.write_text("partner_id,organization\nno-such-id,\n", encoding="utf-8")
    code = main(["batch", str(ASK), str(rows)])
    err = capsys.readouterr().err
    assert code == 2
    assert "line 2, partner_id: no partner with id no-such-id" in err
