"""`lazy`: functools.cached_property without its lock.

Speed: on Python 3.11, `cached_property` takes an RLock on every first read of every instance
(about a microsecond each), and a draft's view reads some thirty of them, over a hundred per
ask. The checks' views (a draft, a text's index, a draft's terms) are made and read by one
thread, so the lock guards nothing here; Python 3.12 dropped it for the same reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

__all__ = ["lazy"]

T = TypeVar("T")


class lazy(Generic[T]):
    """A property computed on first read and kept in the instance's __dict__ (which then
    shadows it: later reads are plain attribute reads), as `functools.cached_property`."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> lazy[T]: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> T: ...
    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.func(obj)
        return value
