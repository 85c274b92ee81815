"""A locale read back from the cache writes every form as Babel's own loading of it does, and a
cache that is missing, broken or not private only costs the load."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import tempfile
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from babel import Locale, dates, numbers

from pitchgen.content import localecache
from pitchgen.content.localecache import loaded

DAY = dt.date(2027, 3, 4)
NOON = dt.time(13, 5)
ZONE = ZoneInfo("America/New_York")


def forms(locale: Locale) -> list[str]:
    return [
        dates.format_date(DAY, "long", locale=locale),
        dates.format_date(DAY, "full", locale=locale),
        dates.format_interval(DAY, DAY + dt.timedelta(days=3), "MMMMd", locale=locale),
        dates.format_time(NOON, "short", locale=locale),
        dates.format_time(NOON, "h:mm a", locale=locale),
        dates.get_timezone_name(ZONE, "long", "generic", locale=locale),
        dates.get_timezone_location(ZoneInfo("Europe/Madrid"), locale=locale, return_city=True),
        numbers.get_currency_symbol("USD", locale=locale),
        numbers.format_decimal(Decimal("1234.5"), "#,##0.00", locale=locale),
    ]


@pytest.mark.parametrize("tag", ["en_US", "en_GB", "en_150", "en_IN"])
def test_a_locale_from_the_cache_writes_what_babel_writes(tmp_path, tag) -> None:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    written = loaded(Locale.parse(tag), folder)  # loads it and keeps it
    (kept,) = folder.iterdir()
    again = loaded(Locale.parse(tag), folder)  # read back

    assert again is not written
    assert forms(again) == forms(written) == forms(Locale.parse(tag))
    assert kept.name.startswith(f"{tag}-babel")


def test_a_broken_or_foreign_entry_is_loaded_afresh(tmp_path) -> None:
    first = tmp_path / "a"
    first.mkdir(mode=0o700)
    loaded(Locale.parse("en_GB"), first)
    (kept,) = first.iterdir()
    kept.write_bytes(b"not a pickle")
    assert forms(loaded(Locale.parse("en_GB"), first)) == forms(Locale.parse("en_GB"))
    # Another locale's data under this one's name is not taken either.
    kept.write_bytes(pickle.dumps(Locale.parse("en_US")))
    assert str(loaded(Locale.parse("en_GB"), first)) == "en_GB"


@pytest.mark.parametrize("how", ["others may write it", "a link"])
def test_an_entry_that_is_not_a_private_file_is_never_unpickled(tmp_path, how) -> None:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    loaded(Locale.parse("en_GB"), folder)
    (kept,) = folder.iterdir()
    planted = tmp_path / "planted.pickle"
    planted.write_bytes(pickle.dumps(_Planted()))
    if how == "a link":
        kept.unlink()
        kept.symlink_to(planted)
    else:
        kept.write_bytes(planted.read_bytes())
        kept.chmod(0o666)
    assert str(loaded(Locale.parse("en_GB"), folder)) == "en_GB"
    assert not _Planted.ran


class _Planted:
    """A pickle that runs code when loaded, as one planted by another user would."""

    ran = False

    def __reduce__(self):
        return (_Planted._run, ())

    @staticmethod
    def _run():
        _Planted.ran = True
        return None


def test_only_a_folder_of_this_users_own_is_used(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    folder = localecache.private_folder()
    assert folder == tmp_path / f"pitchgen-locales-{os.getuid()}"
    folder.chmod(0o777)  # others could plant a pickle there
    assert localecache.private_folder() is None
    assert str(loaded(Locale.parse("en_US"))) == "en_US"
    assert list(folder.iterdir()) == []
