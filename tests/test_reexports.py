"""A name a module lists in `__all__` but imports from another part of pitchgen (a re-export,
kept when a module was split) is there because something imports it from that module: a
re-export nothing uses only hides where the name lives. Checked for the modules split apart."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPLIT = [
    "pitchgen.drafting.outline",
    "pitchgen.service.batches",
    "pitchgen.ask.model",
    "pitchgen.review.workflow",
]


def _sources() -> dict[Path, str]:
    paths = [p for d in ("pitchgen", "tests", "bench") for p in (ROOT / d).rglob("*.py")]
    return {p: p.read_text(encoding="utf-8") for p in paths}


def _reexports(tree: ast.Module) -> list[str]:
    listed: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            listed = ast.literal_eval(node.value)
    imported = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pitchgen")
        for alias in node.names
    }
    return [name for name in listed if name in imported]


@pytest.mark.parametrize("module", SPLIT)
def test_every_reexport_is_imported_from_there_by_something(module: str) -> None:
    sources = _sources()
    path = ROOT / (module.replace(".", "/") + ".py")
    short = module.rsplit(".", 1)[-1]
    others = {p: text for p, text in sources.items() if p != path}
    imported_here = {
        alias.name
        for text in others.values()
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.ImportFrom) and node.module == module
        for alias in node.names
    }
    unused = [
        name
        for name in _reexports(ast.parse(sources[path]))
        if name not in imported_here
        and not any(re.search(rf"\b{short}\.{name}\b", text) for text in others.values())
    ]
    assert unused == []
