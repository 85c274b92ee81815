"""Files kept between processes (`pitchgen.privatefiles`): written whole, and the stale ones an
upgrade leaves behind removed when a new one is written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pitchgen.privatefiles import STALE_AFTER, open_own, private_folder, write_whole

NOW = 2_000_000_000.0


def _written(path: Path, data: bytes, at: float) -> Path:
    path.write_bytes(data)
    os.utime(path, (at, at))
    return path


def test_a_file_is_written_whole_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "en_US-babel2.17-py311.pickle"
    write_whole(path, b"data", now=NOW)
    with open_own(path) as file:
        assert file.read() == b"data"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_writing_a_new_file_removes_those_not_written_for_a_month(tmp_path: Path) -> None:
    old = _written(tmp_path / "en_US-babel2.16-py311.pickle", b"old", NOW - STALE_AFTER - 1)
    cut = _written(tmp_path / "tmpab12cd", b"half", NOW - STALE_AFTER - 60)
    recent = _written(tmp_path / "en_US-babel2.16-py312.pickle", b"used", NOW - STALE_AFTER + 60)
    write_whole(tmp_path / "en_US-babel2.17-py311.pickle", b"new", now=NOW)
    assert not old.exists() and not cut.exists()
    assert recent.read_bytes() == b"used"  # another Python on this machine may still read it


def test_a_file_that_cannot_be_written_removes_nothing(tmp_path: Path) -> None:
    old = _written(tmp_path / "a.pickle", b"old", NOW - 10 * STALE_AFTER)
    (taken := tmp_path / "b.pickle").mkdir()  # a folder where the file should go
    write_whole(taken, b"new", now=NOW)
    assert old.exists() and taken.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pickle", "b.pickle"]


def test_no_folder_when_no_temp_directory_can_be_written(tmp_path, monkeypatch) -> None:
    def nowhere() -> str:
        raise FileNotFoundError("No usable temporary directory found")

    monkeypatch.setattr(tempfile, "gettempdir", nowhere)
    assert private_folder("patterns") is None


def test_the_working_directory_is_never_taken_for_the_temp_directory(tmp_path, monkeypatch):
    # tempfile's last resort when no temp directory can be written: a container's data volume.
    for name in ("TMPDIR", "TEMP", "TMP"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    assert private_folder("patterns") is None
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # named as the temp directory: used
    assert private_folder("patterns") == tmp_path / f"pitchgen-patterns-{os.getuid()}"
