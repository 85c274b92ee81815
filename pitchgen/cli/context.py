"""The CLI's edge: the settings, read from the environment once per process, the service
each command opens over them (its store opened on first use, closed when the command ends),
and the name the audit log records for the person at the terminal."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pitchgen.service import Service
from pitchgen.settings import Settings, get_settings

__all__ = ["cli_actor", "opened", "settings"]


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


def cli_actor(author: str | None = None) -> str:
    """The name the audit log records for a person at this terminal."""
    if author and author.strip():
        return author.strip()
    import getpass  # only a command that records an actor asks for it (termios, pwd)

    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):  # no login name in the environment nor the password database
        return "cli:unknown"
