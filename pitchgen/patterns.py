"""Regular expressions compiled once per Python installation, not once per process.

`re.compile` parses a pattern and generates the regex engine's code for it in Python code:
about 0.15 ms for each of pitchgen's patterns, and `pitchgen draft` compiles about a hundred,
some 15 ms of its start-up, more than anything else pitchgen adds to its libraries. `compile`
keeps what that work produces (the engine's code, the pattern's flags and groups) in a file of
a private folder (`privatefiles`), as Jinja keeps the templates' bytecode, and a later process
hands it straight to the engine, as `re.compile` itself ends by doing (`_sre.compile`).

What is kept is checked when it is written: the pattern built from it must equal the one
`re.compile` made (patterns compare their flags, source and code) and have the same groups.
The file is named by Python's version and the engine's, so no other Python reads it, and is
read back only whole and unaltered (its digest), with groups the code can hold: the engine
does not check every word of the code it is given, and a damaged word could crash it. So the
file is trusted as Python's own bytecode cache is: a file this user wrote and no one else may
write. One that is missing, foreign, altered or broken only means compiling afresh.

Only patterns fixed in the source go through here (module constants, patterns made once from
them), never one built from an ask's text: the file would only grow.
"""

from __future__ import annotations

import _sre  # the engine: what `re.compile` hands the code it generates to
import atexit
import hashlib
import marshal
import re
import sys
import threading
from array import array
from functools import cache
from pathlib import Path
from re import _compiler, _parser
from typing import Any, AnyStr

from pitchgen import privatefiles

__all__ = ["compile"]

# Entries a file holds at most: an edited pattern leaves its old source behind.
_LIMIT = 2048
# The digest the file starts with, of what follows it.
_DIGEST = 16
# Patterns this process compiled afresh, written for the next one when it exits.
_fresh: dict[tuple[Any, int], re.Pattern] = {}
_lock = threading.Lock()


def compile(source: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """`re.compile(source, flags)`, from what an earlier process kept where it can be."""
    key = (source, int(flags))
    kept = _kept().get(key)
    if kept is not None and _sane(*kept):
        try:
            return _sre.compile(source, *_unpacked(*kept))
        except (TypeError, ValueError, RuntimeError, OverflowError):
            pass  # not code this engine takes: compiled afresh below, and kept again
    pattern = re.compile(source, flags)
    with _lock:
        if not _fresh:
            atexit.register(keep)
        _fresh[key] = pattern
    return pattern


def keep(folder: Path | None = None) -> None:
    """Write what this process compiled afresh, with what the file held: when it exits."""
    path = _path(folder)
    with _lock:
        fresh = list(_fresh.items())
        _fresh.clear()
    if path is None or not fresh:
        return
    entries = _read(path)  # as it is now: other processes may have written since this one began
    if len(entries) + len(fresh) > _LIMIT:
        entries = {}
    for key, pattern in fresh:
        made = _engine_input(*key, pattern)
        if made is not None:
            entries[key] = made
    try:
        data = marshal.dumps(entries)
    except ValueError:  # a value marshal cannot write: nothing is kept
        return
    privatefiles.write_whole(path, _digest(data) + data)


def _engine_input(source: str, flags: int, pattern: re.Pattern[str]) -> tuple | None:
    """What `re.compile` hands the engine for `source` (its own steps, `re._compiler.compile`),
    or None unless the engine makes `pattern` of it."""
    try:
        parsed = _parser.parse(source, flags)
        # Packed: a list of ints reads back about ten times slower.
        code = array("I", _compiler._code(parsed, flags)).tobytes()
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        made = (int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex,
                tuple(indexgroup))  # fmt: skip
        again = _sre.compile(source, *_unpacked(*made))
    except Exception:
        return None
    same = again == pattern and again.groups == pattern.groups
    return made if same and dict(again.groupindex) == dict(pattern.groupindex) else None


def _unpacked(flags: int, code: bytes, *groups: Any) -> tuple:
    if array("I").itemsize != _sre.CODESIZE:
        raise ValueError("the engine's code words are not unsigned ints")
    return (flags, array("I", code).tolist(), *groups)


def _sane(flags: Any, code: Any, groups: Any, groupindex: Any, indexgroup: Any) -> bool:
    """Whether an entry has the shape `_engine_input` writes, with no more groups than its code
    can mark (the engine sizes each match by `groups`, unchecked)."""
    if not (isinstance(code, bytes) and isinstance(groups, int) and isinstance(flags, int)):
        return False
    if not (isinstance(groupindex, dict) and isinstance(indexgroup, tuple)):
        return False
    fits = 0 <= groups <= len(code) // 8 and len(indexgroup) == groups + 1
    return fits and all(isinstance(i, int) and 0 < i <= groups for i in groupindex.values())


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=_DIGEST).digest()


@cache
def _kept(folder: Path | None = None) -> dict[tuple[str, int], Any]:
    path = _path(folder)
    return {} if path is None else _read(path)


def _read(path: Path) -> dict[tuple[str, int], Any]:
    """The entries the file holds, if it is this user's own, whole and unaltered; else none."""
    try:
        with privatefiles.open_own(path) as file:
            data = file.read()
        if len(data) <= _DIGEST or _digest(data[_DIGEST:]) != data[:_DIGEST]:
            return {}
        found = marshal.loads(data[_DIGEST:])  # noqa: S302 - this user's own (`open_own`)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return found if isinstance(found, dict) else {}


def _path(folder: Path | None = None) -> Path | None:
    folder = folder or privatefiles.private_folder("patterns")
    if folder is None:
        return None
    # Another Python, or another engine, never reads it.
    return folder / f"{sys.implementation.cache_tag}-{sys.hexversion:x}-sre{_sre.MAGIC}.marshal"
