"""A pattern read back from what an earlier process kept is the pattern `re.compile` makes; a
kept file that is missing, broken or not private only means compiling afresh; and the patterns
pitchgen keeps have one source in every process, or no process would ever find them kept."""

from __future__ import annotations

import json
import marshal
import os
import re
import subprocess
import sys
import tempfile
from array import array

import pytest

from pitchgen import patterns

SOURCES = [
    (r"(?P<h>\d(?<![\w:.,$].)\d?)(?::(?P<m>[0-5]\d))?\s?(?:am|pm)\b", re.IGNORECASE),
    (r"\b(?:please|could you|would you)\b|\?", 0),
    (r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\S", 0),
    (r"^\s*(?:none|n/?a)\s*$", re.IGNORECASE | re.MULTILINE),
    (r"(?i:dollars?|euros?)\s+(\d+)", 0),
]
TEXT = "Could you confirm 10:30 am? None. Ten dollars 25, or 4 euros 7; n/a ÅNGSTRÖM-park"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A private temp folder of the test's own, nothing kept and nothing fresh."""
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    patterns._kept.cache_clear()
    patterns._fresh.clear()
    yield tmp_path / f"pitchgen-patterns-{os.getuid()}"
    patterns._kept.cache_clear()
    patterns._fresh.clear()


def _same(made: re.Pattern, wanted: re.Pattern) -> None:
    assert made == wanted  # flags, source and the engine's code
    assert (made.groups, dict(made.groupindex)) == (wanted.groups, dict(wanted.groupindex))
    found = [(m.span(), m.groups(), m.lastgroup) for m in made.finditer(TEXT)]
    assert found == [(m.span(), m.groups(), m.lastgroup) for m in wanted.finditer(TEXT)]


def test_a_kept_pattern_is_the_one_re_compile_makes(folder) -> None:
    fresh = [patterns.compile(source, flags) for source, flags in SOURCES]
    patterns.keep()
    assert len(list(folder.iterdir())) == 1
    patterns._kept.cache_clear()

    again = [patterns.compile(source, flags) for source, flags in SOURCES]
    assert not patterns._fresh  # every one read back
    for made, (source, flags), first in zip(again, SOURCES, fresh, strict=True):
        assert made is not first
        _same(made, re.compile(source, flags))


def _signed(entries: object) -> bytes:
    data = marshal.dumps(entries)
    return patterns._digest(data) + data


def _read_back(kept, data: bytes, source: str, flags: int) -> bool:
    """Whether `source` was read back from `data` kept (else compiled afresh)."""
    kept.write_bytes(data)
    patterns._kept.cache_clear()
    patterns._fresh.clear()
    _same(patterns.compile(source, flags), re.compile(source, flags))
    return not patterns._fresh


def test_a_broken_file_only_means_compiling_afresh(folder) -> None:
    source, flags = SOURCES[0]
    patterns.compile(source, flags)
    patterns.keep()
    (kept,) = folder.iterdir()
    whole = kept.read_bytes()
    assert _read_back(kept, whole, source, flags)
    key = (source, int(flags))
    # Code the engine refuses (an op code it does not have), kept with its digest.
    no_code = {key: (int(flags), array("I", [99999, 7]).tobytes(), 0, {}, (None,))}
    odd = (b"not marshal", whole[:-9], _signed([1]), _signed(no_code), whole[16:])
    for broken in odd:
        assert not _read_back(kept, broken, source, flags)


def test_an_altered_file_is_never_handed_to_the_engine(folder) -> None:
    # The engine takes code it does not fully check: one word changed in a literal makes a
    # pattern that matches otherwise, and a word changed elsewhere may crash the process.
    source, flags = r"confirm", 0
    patterns.compile(source, flags)
    patterns.keep()
    (kept,) = folder.iterdir()
    whole = kept.read_bytes()
    at = whole.index(array("I", [ord("f")]).tobytes(), 16)
    altered = whole[:at] + array("I", [ord("x")]).tobytes() + whole[at + 4 :]
    assert not _read_back(kept, altered, source, flags)


def test_an_entry_with_more_groups_than_its_code_marks_is_not_read(folder) -> None:
    # The engine sizes every match by the groups it is told: a billion would ask for gigabytes.
    source, flags = SOURCES[4]
    made = patterns._engine_input(source, flags, re.compile(source, flags))
    flags_in, code, groups, groupindex, indexgroup = made
    for odd in ((flags_in, code, 10**9, groupindex, indexgroup),
                (flags_in, code, groups, {"x": 5}, indexgroup),
                (flags_in, code, groups + 1, groupindex, indexgroup)):  # fmt: skip
        assert not _read_back(folder_file(folder), _signed({(source, flags): odd}), source, flags)


def folder_file(folder):
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder / patterns._path(folder).name


def test_a_file_others_may_write_is_never_read(folder) -> None:
    source, flags = SOURCES[1]
    patterns.compile(source, flags)
    patterns.keep()
    (kept,) = folder.iterdir()
    kept.chmod(0o666)
    patterns._kept.cache_clear()
    patterns.compile(source, flags)
    assert list(patterns._fresh) == [(source, flags)]


def test_what_the_engine_is_given_must_make_the_same_pattern(folder) -> None:
    # Kept under another pattern's key, an entry is refused when written, never read back.
    source, flags = SOURCES[2]
    other = re.compile(SOURCES[1][0])
    assert patterns._engine_input(source, flags, other) is None
    assert patterns._engine_input(source, flags, re.compile(source, flags)) is not None


_DRAFT_PATH = """
import json, sys
import pitchgen.drafting.pipeline, pitchgen.cli.output
from pitchgen import patterns
print(json.dumps(sorted(repr(key) for key in patterns._fresh)))
"""


def test_pitchgens_patterns_have_one_source_whatever_the_hash_seed(tmp_path) -> None:
    # A pattern joined from a set's members in the set's order would differ by process.
    seen = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "TMPDIR": str(tmp_path / seed)}
        (tmp_path / seed).mkdir()
        done = subprocess.run(
            [sys.executable, "-c", _DRAFT_PATH], env=env, capture_output=True, check=True
        )
        seen.append(json.loads(done.stdout))
    assert seen[0] == seen[1]
    assert len(seen[0]) > 50
