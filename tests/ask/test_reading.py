"""An ask read through LibYAML is the ask the pure-Python parser reads, and a document either
refuses is refused with the pure-Python parser's words: every shared example, every generated
ask written as YAML in several styles, and documents at the edges of YAML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from strategies import ask_data

from pitchgen.ask import reading
from pitchgen.errors import InvalidInput

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = sorted(
    [*(ROOT / "fixtures" / "asks").glob("*.yaml"), *(ROOT / "tests" / "data").rglob("*.yaml")]
)

EDGES = [
    "a: 2027-03-04\nb: 2027-03-04T10:00:00-05:00\nc: 10:30\nd: 1:20:30\n",
    "a: yes\nb: No\nc: on\nd: ~\ne: null\nf: .inf\ng: -.Inf\nh: .nan\ni: 0x1F\nj: 0o17\nk: 017\n",
    "a: 1_000\nb: +12\nc: 1e3\nd: 6.02e+23\ne: '12'\nf: !!str 12\ng: !!binary aGVsbG8=\n",
    "base: &b {x: 1, y: [1, 2]}\nother:\n  <<: *b\n  y: 3\nlist: [*b, *b]\n",
    "folded: >\n  one\n  two\n\n  three\nliteral: |-\n  keep\n    indented\n\n",
    'plain: a line\n  continued here\n  and here\nquoted: "tab\\there \\u00e9 \\x41 \\U0001F600"\n',
    "nel: a\x85b\nls: a\u2028b\nps: a\u2029b\ncrlf: a\r\n  b\r\n",
    "\ufeffbom: first\n",
    "single: 'it''s'\nempty: ''\nspaces: '  lead and trail  '\n# a comment\n",
    "? complex key\n: value\n? [1, 2]\n: list key\n",
    "--- \na: 1\n...\n",
    "a: 1\na: 2\n",  # duplicate key
    "a: [1, 2\n",
    "a: {b: 1\n",
    "a:\n\t- tab\n",
    "a: b: c\n",
    "- a\nb: c\n",
    "a: 1\n--- \nb: 2\n",
    "a: *missing\n",
    "a: !!python/object:os.system x\n",
    "a: \x07bell\n",
    "a: \ud7ff\ue000\ufffd\n",
    "a: '\x01'\n",
    'a: "\\q"\n',
    "&a [*a]\n",
    "%YAML 1.1\n---\na: 1\n",
    "%YAML 2.0\n---\na: 1\n",
    "a: |\n text\n  more\n less\n",
    "'" + "k" * 1100 + "': v\n",
    "",
    "   \n# only a comment\n",
    # LibYAML takes these tabs and BOMs, the Python parser refuses them or reads them otherwise
    "a:\tb\n",
    "{a:\t1,\tb: 2}\n",
    "a: x\ty\n",
    "sender:\n  role: Director\t\n",
    "a: 1\t# a comment after a tab\n",
    "a: [1,\t2]\n",
    "a: 1\n\ufeffb: 2\n",
    "---\na: 1\n...\n\ufeff---\nb: 2\n",
    "a: |\n  x\n\ufeff",
    "b: [x, y?]\n",
    "b: {a?: 1}\n",
    "b: {a: b?}\n",
    # merge keys, as SafeLoader reads them: the mapping's own keys override what is merged
    "b: &x {c: 1}\nd:\n  <<: *x\n  c: 2\n",
    "a: &a {x: 1}\nb: &b {y: 2, x: 3}\nc:\n  <<: [*a, *b]\n",
    "c:\n  <<: 1\n",
    "? [1, 2]\n: unhashable\n",
    "a: &a {b: *a}\n",
]


def _python(text: str) -> object:
    """What the pure-Python parser makes of `text`: its data (as written out, so that the order
    of keys counts too), or its error."""
    try:
        return ("data", repr(yaml.load(text, Loader=reading._DocumentLoader)))
    except Exception as exc:
        return ("error", str(exc))


def _read(text: str) -> object:
    """What `_yaml` makes of `text`, LibYAML first."""
    try:
        return ("data", repr(reading._yaml(text)))
    except Exception as exc:
        return ("error", str(exc))


def test_libyaml_is_used_where_it_is_installed() -> None:
    assert reading._FastLoader is not None


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_every_shared_document_reads_alike(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert _read(text) == _python(text)


@pytest.mark.parametrize("text", EDGES)
def test_documents_at_the_edges_read_or_fail_alike(text: str) -> None:
    assert _read(text) == _python(text)


def test_a_refused_document_is_reported_in_the_python_parsers_words() -> None:
    with pytest.raises(InvalidInput) as caught:
        reading.read_document("a: 1\na: 2\n", "yaml")
    assert (
        caught.value.problems[0].message == "not valid YAML at line 2, column 1: duplicate key 'a'"
    )


@settings(max_examples=60, deadline=None)
@given(ask_data())
def test_generated_asks_read_alike_in_every_style(data: dict) -> None:
    for style in ({}, {"default_flow_style": True}, {"default_style": '"'}, {"width": 20}):
        for unicode in (True, False):
            text = yaml.safe_dump(data, allow_unicode=unicode, sort_keys=False, **style)
            assert _read(text) == _python(text)


def _problem(raw: str, fmt: str) -> str:
    with pytest.raises(InvalidInput) as caught:
        reading.read_document(raw, fmt)
    [problem] = caught.value.problems
    assert problem.path == ""
    return problem.message


DEEP = "the document is nested more than 100 lists or mappings deep"


@pytest.mark.parametrize("depth", [101, 1000, 20000])
@pytest.mark.parametrize(
    ("fmt", "nest"),
    [
        ("json", lambda n: "[" * n + "]" * n),
        ("json", lambda n: '{"a":' * n + "1" + "}" * n),
        ("yaml", lambda n: "[" * n + "]" * n),
        ("yaml", lambda n: "- " * n + "1\n"),
        ("yaml", lambda n: 'tab: "\t"\nb: ' + "{a: " * n + "1" + "}" * n),  # the Python parser
    ],
)
def test_a_document_nested_too_deep_is_refused_at_its_root(fmt: str, nest, depth: int) -> None:
    text = nest(depth)
    if len(text.encode()) <= reading.MAX_DOCUMENT_BYTES:
        assert _problem(text, fmt) == DEEP


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_a_document_nested_as_deep_as_allowed_is_read(fmt: str) -> None:
    assert reading.read_document("[" * 100 + "]" * 100, fmt) == eval("[" * 100 + "]" * 100)


def test_an_anchor_inside_itself_is_too_deep_and_a_shared_one_is_read_once() -> None:
    assert _problem("&a [*a]\n", "yaml") == DEEP
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n"
        for a, b in zip("abcdefgh", "bcdefghi", strict=True)
    )
    assert reading.read_document(laughs, "yaml")["i"][0][0][0][0][0][0][0][0][0] == "x"


def test_merge_keys_are_read_and_a_mappings_own_keys_override_them() -> None:
    data = reading.read_document("b: &x {c: 1, e: 1}\nd:\n  <<: *x\n  c: 2\n", "yaml")
    assert data == {"b": {"c": 1, "e": 1}, "d": {"c": 2, "e": 1}}


def test_an_unhashable_key_is_invalid_input() -> None:
    assert (
        _problem("? [1, 2]\n: x\n", "yaml")
        == "not valid YAML at line 1, column 3: found unhashable key"
    )


def test_a_json_body_is_read_alike_without_the_size_limit() -> None:
    assert reading.read_json(b'{"a": [' + b"1, " * 30000 + b"1]}")["a"][-1] == 1
    with pytest.raises(InvalidInput):
        reading.read_json(b"[" * 5000 + b"]" * 5000)


@pytest.mark.parametrize("text", ["[" * 100 + "]" * 100, '{"a": [{"b": "[[[{{{"}]}'])
def test_json_with_no_more_brackets_than_the_depth_allowed_is_read_without_a_walk(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "_nested_within", lambda data: pytest.fail("walked"))
    assert reading.read_json(text.encode()) == json.loads(text)
    assert reading.read_document(text, "json") == json.loads(text)


def test_json_with_more_brackets_than_that_is_walked_and_read_when_shallow() -> None:
    text = "[" + ", ".join(["[]"] * 200) + "]"
    assert reading.read_json(text.encode("utf-16")) == reading.read_json(text.encode())
    assert len(reading.read_document(text, "json")) == 200
    with pytest.raises(InvalidInput):
        reading.read_json(("[" * 101 + "]" * 101).encode("utf-32"))
