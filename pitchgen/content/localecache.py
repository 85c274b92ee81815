"""A Babel locale with its CLDR data already loaded, kept between processes.

The first date, time or sum a process writes loads its locale's data: Babel reads four pickles
(its global table, CLDR's root, en and en_US, about 830 KB) and merges them, some 10 ms of a
`pitchgen draft`'s start-up. The loaded `Locale` pickled whole is one smaller file that reads in
about a quarter of that. It is kept, as Jinja keeps the templates' bytecode, in a folder of the
system's temp directory that only this user can reach, under a name carrying Babel's and
Python's versions; the data in it is what Babel itself loaded, so what is written is the same.
A cache that cannot be read or written is only slower, never an error.
"""

from __future__ import annotations

import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["loaded", "private_folder"]


def private_folder() -> Path | None:
    """`pitchgen-locales-UID` in the temp directory, made if need be: None unless it is a
    folder of this user's that no one else may read or write."""
    if not hasattr(os, "getuid"):
        return None
    folder = Path(tempfile.gettempdir()) / f"pitchgen-locales-{os.getuid()}"
    try:
        folder.mkdir(mode=stat.S_IRWXU, exist_ok=True)
        found = os.lstat(folder)
    except OSError:
        return None
    mine = found.st_uid == os.getuid() and stat.S_ISDIR(found.st_mode)
    return folder if mine and stat.S_IMODE(found.st_mode) == stat.S_IRWXU else None


def loaded(locale: Any, folder: Path | None = None) -> Any:
    """`locale` (a `babel.Locale`) with its data loaded: from the cache when it holds it, else
    loaded by Babel and written there for the next process."""
    import babel

    folder = folder or private_folder()
    if folder is None:
        return locale
    py = "".join(map(str, sys.version_info[:2]))
    path = folder / f"{locale}-babel{babel.__version__}-py{py}.pickle"
    try:
        with _own_file(path) as kept:
            found = pickle.load(kept)  # noqa: S301 - a file of this user's only (`_own_file`)
        if isinstance(found, babel.Locale) and str(found) == str(locale):
            return found
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError,
            TypeError):  # fmt: skip
        pass  # not there, not ours, or not whole: load it afresh
    locale.date_formats  # noqa: B018 - loads the locale's data (all of it, at once)
    _write(path, locale)
    return locale


def _own_file(path: Path) -> Any:
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


def _write(path: Path, locale: Any) -> None:
    # Whole or not at all: another process may read it the moment it is there.
    try:
        out = tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False)  # noqa: SIM115
    except OSError:
        return
    try:
        with out:
            pickle.dump(locale, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(out.name, path)
    except (OSError, pickle.PicklingError):
        Path(out.name).unlink(missing_ok=True)
