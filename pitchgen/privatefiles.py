"""Files one process keeps for the next (a Babel locale loaded, patterns compiled), in a folder
of the system's temp directory that only this user may use, as Jinja keeps the templates'
bytecode. A file is read only if it is this user's own and no one else may write it, and is
written whole or not at all; a folder or file that fails a check is only slower, never an
error."""

from __future__ import annotations

import os
import stat
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

__all__ = ["STALE_AFTER", "open_own", "private_folder", "prune", "write_whole"]


def private_folder(kind: str) -> Path | None:
    """`pitchgen-KIND-UID` in the temp directory, made if need be: None unless it is a folder of
    this user's that no one else may read or write."""
    if not hasattr(os, "getuid"):
        return None
    try:
        # With no temp directory it can write, `tempfile` names the working directory (a
        # container's data volume, say) or raises: no cache, then.
        temp = tempfile.gettempdir()
        if temp not in _temp_dirs() and os.path.samefile(temp, os.getcwd()):
            return None
        folder = Path(temp) / f"pitchgen-{kind}-{os.getuid()}"
        folder.mkdir(mode=stat.S_IRWXU, exist_ok=True)
        found = os.lstat(folder)
    except OSError:
        return None
    mine = found.st_uid == os.getuid() and stat.S_ISDIR(found.st_mode)
    return folder if mine and stat.S_IMODE(found.st_mode) == stat.S_IRWXU else None


def _temp_dirs() -> set[str]:
    """Where `tempfile` looks before it settles for the working directory."""
    named = (os.environ.get(name) for name in ("TMPDIR", "TEMP", "TMP"))
    return {d for d in named if d} | {"/tmp", "/var/tmp", "/usr/tmp"}  # noqa: S108 - its list


def open_own(path: Path) -> BinaryIO:
    """`path` opened for reading if it is a file of this user's that no one else may write,
    checked on the open file itself (not followed if a link): the folder's check alone would
    trust whatever a rename put under its name between the check and the open."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    found = os.fstat(fd)
    others_write = stat.S_IWGRP | stat.S_IWOTH
    if (
        not stat.S_ISREG(found.st_mode)
        or found.st_uid != os.getuid()
        or found.st_mode & others_write
    ):
        os.close(fd)
        raise PermissionError(f"{path} is not a private file of this user's")
    return os.fdopen(fd, "rb")


# A kept file no process has rewritten for this long is taken to be of a Python or Babel no
# longer used here; one still in use is only written again, once.
STALE_AFTER = 30 * 24 * 3600


def write_whole(path: Path, data: bytes, now: float | None = None) -> None:
    """`data` as `path`, whole or not at all: another process may read it the moment it is
    there. A file that cannot be written is left as it was. A file is written when none fits
    (after an upgrade, say), and then the folder's stale files go (`prune`)."""
    try:
        out = tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False)  # noqa: SIM115
    except OSError:
        return
    try:
        with out:
            out.write(data)
        os.replace(out.name, path)
    except OSError:
        Path(out.name).unlink(missing_ok=True)
        return
    prune(path, time.time() if now is None else now)


def prune(kept: Path, now: float) -> None:
    """Remove the files beside `kept` last written more than `STALE_AFTER` before `now`: each
    is named by the versions that wrote it, so an upgrade would otherwise leave the old ones in
    the temp directory for good (and a write cut short, its temporary file)."""
    try:
        entries = list(os.scandir(kept.parent))
    except OSError:
        return
    for entry in entries:
        try:
            stale = entry.stat(follow_symlinks=False).st_mtime < now - STALE_AFTER
            if stale and entry.name != kept.name:
                os.unlink(entry.path)
        except OSError:
            continue  # gone already, or not ours to remove: only slower, never an error
