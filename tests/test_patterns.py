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


def test_a_broken_file_only_means_compiling_afresh(folder) -> None:
    source, flags = SOURCES[0]
    patterns.compile(source, flags)
    patterns.keep()
    (kept,) = folder.iterdir()
    # Code the engine refuses (an op code it does not have).
    no_code = {(source, int(flags)): (int(flags), array("I", [99999, 7]).tobytes(), 0, {}, (None,))}
    odd = (b"not marshal", kept.read_bytes()[:-9], marshal.dumps([1]), marshal.dumps(no_code))
    for broken in odd:
        kept.write_bytes(broken)
        patterns._kept.cache_clear()
        _same(patterns.compile(source, flags), re.compile(source, flags))


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
