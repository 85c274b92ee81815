"""The server's log lines: one per request (`pitchgen.http`) and one per model call
(`pitchgen.drafting`), as JSON (`PITCHGEN_LOG_FORMAT=json`, one object a line, for a log
collector) or as text for a person. Every line carries the request id it was written under.

What a line may hold at the default level: ids, routes, statuses, timings, token counts,
check and reason names, the key's audit name. Never ask or draft text, never a secret: the
code that logs passes only such fields; the endpoint's own messages are logged at debug.

The request's line is the one a server writes most: where `LineHandler` is the only place it
goes (`direct`, as `log_config` sets it up), it is written there without a LogRecord, the same
line in fewer steps: on `GET /v1/drafts/{id}` the line cost 25 µs through the logging module
and costs 10 µs this way, most of the gap to a bare endpoint (docs/performance.md).
"""

from __future__ import annotations

import json
import logging
import os
import time
from itertools import islice
from typing import Any, TextIO, cast

from pitchgen import telemetry
from pitchgen.settings import Settings

__all__ = ["JsonFormatter", "LineHandler", "TextFormatter", "direct", "log_config"]

# What every LogRecord has; anything else on a record came from `extra=` and is a field, but
# for uvicorn's `color_message` (its message again, with terminal colours).
_OWN_ATTRS = tuple(logging.makeLogRecord({}).__dict__)
_STANDARD = frozenset(_OWN_ATTRS) | {"message", "asctime", "color_message"}
# LogRecord's own attributes come first in its __dict__, `extra=` after them: only the tail is
# read (a line per request: the 20-odd standard names need not be tested each time).
_OWN = len(_OWN_ATTRS)
_second: tuple[int, str] = (-1, "")
# One encoder for every line: `json.dumps` with options builds a new encoder on each call.
_encode = json.JSONEncoder(default=str, ensure_ascii=False).encode


def _stamp(created: float) -> str:
    """ISO 8601 in UTC to the millisecond; the seconds part written once a second, as a server
    writes many lines in each (kept as one pair: threads never mix one's second with another's)."""
    global _second
    second = int(created)
    kept, text = _second
    if kept != second:
        text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        _second = (second, text)
    return f"{text}.{int((created - second) * 1000):03d}Z"


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    extra = islice(record.__dict__.items(), _OWN, None)
    fields = {k: v for k, v in extra if k not in _STANDARD}
    if "request_id" not in fields and (request_id := telemetry.request_id.get()) is not None:
        fields["request_id"] = request_id
    return fields


class _Formatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__()
        # Neither form writes the caller's file and line, the thread or the process, so records
        # need not gather them (the logging module's own advice for speed): a sixth of what a
        # line costs, on every request.
        logging._srcfile = None  # type: ignore[attr-defined]
        logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False

    def format(self, record: logging.LogRecord) -> str:
        exception = self.formatException(record.exc_info) if record.exc_info else None
        return self.line(
            record.created, record.levelname, record.name, record.getMessage(), _fields(record),
            exception,
        )  # fmt: skip

    def line(
        self, created: float, level: str, logger: str, message: str, fields: dict,
        exception: str | None = None,
    ) -> str:  # fmt: skip
        """The line for these parts: what `format` writes of a record, and what a request's
        line is written as when it need not be a record (`LineHandler.write`)."""
        raise NotImplementedError


class JsonFormatter(_Formatter):
    def line(
        self, created: float, level: str, logger: str, message: str, fields: dict,
        exception: str | None = None,
    ) -> str:  # fmt: skip
        line = {"time": _stamp(created), "level": level.lower(), "logger": logger,
                "message": message, **fields}  # fmt: skip
        if exception:
            line["exception"] = exception
        return _encode(line)


class TextFormatter(_Formatter):
    def line(
        self, created: float, level: str, logger: str, message: str, fields: dict,
        exception: str | None = None,
    ) -> str:  # fmt: skip
        line = f"{_stamp(created)} {level} {logger}: {message}"
        if named := " ".join([f"{k}={v}" for k, v in fields.items() if v is not None]):
            line = f"{line} {named}"
        return f"{line}\n{exception}" if exception else line  # the traceback below the line


class LineHandler(logging.StreamHandler):
    """stderr, one `write` call a line (lines from several workers sharing it never interleave
    mid-line); and the short way for the line a server writes most, the request's (`write`),
    when this handler is the only place that line goes."""

    def __init__(self, stream: TextIO | None = None) -> None:
        super().__init__(stream)
        self._fd = _fd_of(self.stream)

    def setStream(self, stream: TextIO) -> TextIO | None:
        old = super().setStream(stream)
        self._fd = _fd_of(self.stream)
        return old

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._put(self.format(record))
        except Exception:
            self.handleError(record)

    def write(self, level: str, logger: str, message: str, fields: dict[str, Any]) -> None:
        # As `emit` under `Handler.handle`: under the lock, and a line that cannot be written
        # (stderr closed, a full or broken pipe) is dropped, never raised into the request.
        line = cast(_Formatter, self.formatter).line(time.time(), level, logger, message, fields)
        try:
            with self.lock:  # type: ignore[union-attr]
                self._put(line)
        except Exception:  # noqa: S110 - the logging module's own rule: logging never fails a caller
            pass

    def _put(self, line: str) -> None:
        if self._fd is None:  # a stream of Python's own (a test's, say)
            self.stream.write(line + "\n")
            self.stream.flush()
            return
        data = (line + "\n").encode("utf-8", "backslashreplace")
        while data:  # a signal may cut a write short
            data = data[os.write(self._fd, data) :]


def _fd_of(stream: TextIO) -> int | None:
    """The file descriptor under a stream, flushed so that what the stream holds goes first."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return None
    stream.flush()
    return fd


def direct(logger: logging.Logger, level: int) -> LineHandler | None:
    """The `LineHandler` that is the only place `logger`'s lines at `level` go, with nothing
    to filter them on the way (as `log_config` sets it up); else None, and lines go through
    the logging module. A line written to it directly skips the LogRecord and the walk
    through the loggers, two thirds of a request line's cost in the logging module."""
    if logger.disabled or logger.filters or logger.handlers or not logger.propagate:
        return None
    owner = logger.parent
    if owner is None or owner.disabled or owner.filters or owner.propagate:
        return None
    if len(owner.handlers) != 1 or not owner.isEnabledFor(level):
        return None
    handler = owner.handlers[0]
    ours = type(handler) is LineHandler and isinstance(handler.formatter, _Formatter)
    ours = ours and handler.stream is not None
    return handler if ours and not handler.filters and handler.level <= level else None


def log_config(settings: Settings) -> dict[str, Any]:
    """`logging.config.dictConfig` for `pitchgen serve` (uvicorn's `log_config`), its workers'
    too: pitchgen's and uvicorn's lines alike, to stderr."""
    formatter = "json" if settings.log_format == "json" else "text"
    level = settings.log_level.upper()
    handler = {"handlers": ["stderr"], "level": level, "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {"()": "pitchgen.server.logs.JsonFormatter"},
            "text": {"()": "pitchgen.server.logs.TextFormatter"},
        },
        "handlers": {
            "stderr": {
                "class": "pitchgen.server.logs.LineHandler",
                "formatter": formatter,
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "pitchgen": handler,
            "uvicorn": handler,
            "uvicorn.error": {"level": level},
            # Access lines would repeat ours, with the raw path (which holds ids and queries).
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }
