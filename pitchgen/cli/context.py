"""The CLI's edge: the settings, read from the environment once per process, and the service
each command opens over them (its store opened on first use, closed when the command ends)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pitchgen.service import Service
from pitchgen.settings import Settings, get_settings

__all__ = ["opened", "settings"]


def settings() -> Settings:
    """The process's settings; a bad variable is a `ConfigError` naming it."""
    return get_settings()


@contextmanager
def opened() -> Iterator[Service]:
    service = Service(settings())
    try:
        yield service
    finally:
        service.close()
