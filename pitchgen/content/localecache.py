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

import pickle
import sys
from pathlib import Path
from typing import Any

from pitchgen import privatefiles

__all__ = ["loaded", "private_folder"]


def private_folder() -> Path | None:
    """`pitchgen-locales-UID` in the temp directory (`privatefiles.private_folder`)."""
    return privatefiles.private_folder("locales")


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
        with privatefiles.open_own(path) as kept:
            found = pickle.load(kept)  # noqa: S301 - a file of this user's only (`open_own`)
        if isinstance(found, babel.Locale) and str(found) == str(locale):
            return found
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError,
            TypeError):  # fmt: skip
        pass  # not there, not ours, or not whole: load it afresh
    locale.date_formats  # noqa: B018 - loads the locale's data (all of it, at once)
    _write(path, locale)
    return locale


def _write(path: Path, locale: Any) -> None:
    try:
        data = pickle.dumps(locale, protocol=pickle.HIGHEST_PROTOCOL)
    except pickle.PicklingError:
        return
    privatefiles.write_whole(path, data)
