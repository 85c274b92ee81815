"""A part's docstring says what it may import ("May import: ..."), and the architecture map
names every basic module the import contracts place: both stay true as imports are added."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

import pitchgen

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(pitchgen.__file__).parent
# Parts whose docstring names every part it may import, in `pitchgen.NAME` form.
PARTS = ["ask", "checks", "content", "drafting"]


def _imported_parts(part: str) -> set[str]:
    """The other parts and basics (`pitchgen.NAME`) the part's modules import."""
    found = set()
    for path in (PACKAGE / part).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "pitchgen":
                found |= {f"pitchgen.{alias.name}" for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pitchgen."):
                found.add(".".join(node.module.split(".")[:2]))
            elif isinstance(node, ast.Import):
                found |= {".".join(a.name.split(".")[:2]) for a in node.names if "." in a.name}
    return {name for name in found if name != f"pitchgen.{part}"}


@pytest.mark.parametrize("part", PARTS)
def test_a_parts_docstring_names_every_part_it_imports(part: str) -> None:
    docstring = ast.get_docstring(ast.parse((PACKAGE / part / "__init__.py").read_text()))
    assert docstring is not None
    allowed = docstring.split("May import:", 1)[1]
    named = set(re.findall(r"`(pitchgen\.[a-z_]+)`", allowed))
    assert _imported_parts(part) - named == set()


def test_the_architecture_map_names_every_basic_module() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    layers = config["tool"]["importlinter"]["contracts"][0]["layers"]
    names = {name.strip() for layer in layers for name in layer.split("|")}
    modules = {name for name in names if (PACKAGE / f"{name}.py").exists()}
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert {m for m in modules if f"{m}.py" not in text} == set()
