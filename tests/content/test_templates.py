"""A template read back from the bytecode cache is the template compiled from its source; an
entry for an older source, another Jinja's or a broken one is compiled afresh, never an error."""

from __future__ import annotations

import jinja2
import pytest

from pitchgen.content.templates import _QuietBytecodeCache

SOURCE = "{% for m in items %}{{ m.name | upper }}{% if not loop.last %}, {% endif %}{% endfor %}"


def _env(folder, cache) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        bytecode_cache=cache,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
    )


@pytest.fixture
def setup(tmp_path, monkeypatch):
    """A template folder, a cache folder, and a count of the compiles from source."""
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "list.j2").write_text(SOURCE)
    (tmp_path / "cache").mkdir()
    compiled = []
    original = jinja2.Environment.compile

    def counting(self, *args, **kwargs):
        compiled.append(args[0])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    cache = _QuietBytecodeCache(str(tmp_path / "cache"))
    return tmp_path, cache, compiled


ITEMS = [{"name": "room"}, {"name": "projector"}]


def test_a_template_from_the_cache_renders_as_compiled(setup) -> None:
    root, cache, compiled = setup
    first = _env(root / "t", cache).get_template("list.j2").render(items=ITEMS)
    again = _env(root / "t", cache).get_template("list.j2").render(items=ITEMS)
    assert first == again == "ROOM, PROJECTOR"
    assert len(compiled) == 1  # the second read the first's bytecode


def test_an_edited_template_is_compiled_afresh(setup) -> None:
    root, cache, compiled = setup
    _env(root / "t", cache).get_template("list.j2").render(items=ITEMS)
    (root / "t" / "list.j2").write_text(SOURCE.replace("upper", "lower"))
    assert _env(root / "t", cache).get_template("list.j2").render(items=ITEMS) == "room, projector"
    assert len(compiled) == 2


@pytest.mark.parametrize("damage", ["truncated", "another header", "empty"])
def test_a_damaged_entry_is_compiled_afresh(setup, damage) -> None:
    root, cache, compiled = setup
    _env(root / "t", cache).get_template("list.j2")
    (entry,) = (root / "cache").iterdir()
    data = entry.read_bytes()
    damaged = {"truncated": data[:-40], "another header": b"xx" + data[2:], "empty": b""}
    entry.write_bytes(damaged[damage])
    assert _env(root / "t", cache).get_template("list.j2").render(items=ITEMS) == "ROOM, PROJECTOR"
    assert len(compiled) == 2
