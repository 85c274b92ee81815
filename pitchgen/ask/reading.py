"""Reading a YAML or JSON document from outside, before anything validates it: a size limit,
UTF-8 only, the format sniffed when not given, YAML safely (no dates, no duplicate keys; merge
keys as PyYAML's SafeLoader reads them), and nested at most `MAX_DEPTH` lists and mappings
deep, so nothing that walks the data later runs out of stack. `read_json` reads a JSON body
the same way without the size limit (the server limits a request's body).

Every problem is an `InvalidInput` at the document's root path.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import yaml

from pitchgen.errors import InvalidInput, Problem

__all__ = ["MAX_DEPTH", "MAX_DOCUMENT_BYTES", "read_document", "read_json"]

MAX_DOCUMENT_BYTES = 64 * 1024
# An ask nests five deep; Python's own parsers recurse per level and fail near a thousand.
MAX_DEPTH = 100
_MERGE = "tag:yaml.org,2002:merge"


class _TooDeep(Exception):
    """Nested deeper than `MAX_DEPTH`: one refusal, however the parser found it."""


class _DocumentLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text (so pydantic reports '2027-02-30' by its path,
    instead of PyYAML failing on it) and refuses duplicate keys, which YAML would drop. Its
    composer recurses per level, so it stops past `MAX_DEPTH` (LibYAML's composes in C)."""

    _nesting = 0

    def compose_sequence_node(self, anchor: str | None) -> yaml.Node:
        return self._nested(super().compose_sequence_node, anchor)

    def compose_mapping_node(self, anchor: str | None) -> yaml.Node:
        return self._nested(super().compose_mapping_node, anchor)

    def _nested(self, compose: Any, anchor: str | None) -> yaml.Node:
        self._nesting += 1
        try:
            if self._nesting > MAX_DEPTH:
                raise _TooDeep
            return compose(anchor)
        finally:
            self._nesting -= 1


_DocumentLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _mapping_without_duplicates(loader: _DocumentLoader, node: yaml.MappingNode) -> Iterator:
    """A mapping whose own keys are each written once; a merge key (`<<: *base`) brings in
    the keys of another, which its own override, as in SafeLoader. Made as SafeLoader makes a
    mapping (yielded empty, filled after), so a nested one is built in a loop, not a recursion."""
    seen: set = set()
    for key_node, _ in node.value:
        if key_node.tag == _MERGE:
            continue
        key = loader.construct_object(key_node)
        try:
            duplicate = key in seen
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "found unhashable key", key_node.start_mark
            ) from None
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    data: dict = {}
    yield data
    data.update(loader.construct_mapping(node))


_DocumentLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)


_FastLoader: type | None = None
if yaml.__with_libyaml__:

    class _FastLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        """`_DocumentLoader` over LibYAML's parser: the same constructor and resolver, the
        text parsed in C (about 2 ms less of a draft's start-up for an ask of 60 lines)."""

    _FastLoader.yaml_implicit_resolvers = dict(_DocumentLoader.yaml_implicit_resolvers)
    _FastLoader.yaml_constructors = dict(_DocumentLoader.yaml_constructors)


def _libyaml_reads_alike(text: str) -> bool:
    """Whether LibYAML reads `text` as the Python parser does, or else refuses it too. LibYAML
    takes a tab where the Python parser refuses one (`a:\tb`, `{a:\t1}`, `a: x\ty`, a tab
    after a value), a `?` inside a plain scalar of a flow collection, and reads a BOM after
    the first character otherwise: such a text is left to
    the Python parser, so whether an ask is accepted never depends on how PyYAML was built."""
    if "\t" in text or "\ufeff" in text[1:]:
        return False
    # In a flow list or mapping LibYAML reads `[x, y?]` as a "y?", the Python parser refuses it.
    return "?" not in text or ("[" not in text and "{" not in text)


def _yaml(text: str) -> Any:
    """The data in `text`: parsed by LibYAML where it is installed and reads it alike; a text
    it does not take is parsed again in Python, whose words report the problem, as before."""
    if _FastLoader is not None and _libyaml_reads_alike(text):
        try:
            return yaml.load(text, Loader=_FastLoader)  # noqa: S506 - SafeConstructor only
        except Exception:  # noqa: S110 - parsed again below: its problem, reported as it was
            pass
    return yaml.load(text, Loader=_DocumentLoader)  # noqa: S506 - _DocumentLoader is a SafeLoader


def _nested_within(data: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether no path into `data` passes more than `limit` lists or mappings (an omap's pairs
    count as one). Level by level, each shared list or mapping (a YAML anchor's) once a level,
    so an alias used many times costs once; a list inside itself never ends, and is too deep."""
    level = [data]  # the lists and mappings at one depth: the first, `data` (or a scalar)
    for _ in range(limit):
        inner: dict[int, Any] = {}
        for item in level:
            if isinstance(item, dict):
                item = item.values()
            elif not isinstance(item, list | tuple):
                continue
            for child in item:
                if isinstance(child, dict | list | tuple):
                    inner[id(child)] = child
        if not inner:
            return True
        level = list(inner.values())
    return False  # some are nested at `limit` + 1


def _parsed(parse: Any, raw: Any) -> Any:
    """`parse(raw)`, refused when nested deeper than `MAX_DEPTH`."""
    try:
        data = parse(raw)
        if _nested_within(data):
            return data
    except (_TooDeep, RecursionError):
        pass
    message = f"the document is nested more than {MAX_DEPTH} lists or mappings deep"
    raise InvalidInput([Problem("", message)]) from None


def _json(raw: bytes | str) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise InvalidInput([Problem("", f"not valid JSON at {where}: {exc.msg}")]) from None
    except UnicodeDecodeError as exc:
        raise InvalidInput([Problem("", f"not UTF-8 text (byte {exc.start})")]) from None


def read_json(raw: bytes | str) -> Any:
    """The data in a JSON text or request body, as `read_document` reads JSON: the server has
    limited a body's size already."""
    return _json(raw) if _shallow_json(raw) else _parsed(_json, raw)


def _shallow_json(raw: bytes | str) -> bool:
    """Whether JSON text is certainly nested no deeper than `MAX_DEPTH`: every list and mapping
    opens with its own `[` or `{` (a string may hold more, never fewer; in UTF-16 or -32 too),
    so a text with no more of them needs no walk over its data (an ask has about 20 and the
    walk cost more than parsing it, on every `POST /v1/drafts`)."""
    if isinstance(raw, bytes):
        return raw.count(b"[") + raw.count(b"{") <= MAX_DEPTH
    return raw.count("[") + raw.count("{") <= MAX_DEPTH


def _decode(raw: bytes | str, fmt: str) -> Any:
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    if fmt == "json":
        return read_json(text)
    try:
        return _parsed(_yaml, text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        detail = exc.problem or exc.context or "syntax error"
        raise InvalidInput([Problem("", f"not valid YAML{where}: {detail}")]) from None
    except yaml.YAMLError as exc:
        raise InvalidInput([Problem("", f"not valid YAML: {exc}")]) from None


def _sniff(text: bytes | str) -> str:
    head = text.lstrip()[:1]
    return "json" if head in ("{", b"{", "[", b"[") else "yaml"


def read_document(raw: bytes | str, fmt: str | None = None) -> Any:
    """The data in a document; `fmt` is 'json' or 'yaml' (sniffed when None)."""
    size = len(raw.encode("utf-8") if isinstance(raw, str) else raw)
    if size > MAX_DOCUMENT_BYTES:
        raise InvalidInput(
            [Problem("", f"the document is {size:,} bytes; the limit is 64 KiB (65,536 bytes)")]
        )
    if isinstance(raw, bytes):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInput([Problem("", f"not UTF-8 text (byte {exc.start})")]) from None
    return _decode(raw, fmt or _sniff(raw))
