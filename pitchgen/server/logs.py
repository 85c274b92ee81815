"""The server's log lines: one per request (`pitchgen.http`) and one per model call
(`pitchgen.drafting`), as JSON (`PITCHGEN_LOG_FORMAT=json`, one object a line, for a log
collector) or as text for a person. Every line carries the request id it was written under.

What a line may hold at the default level: ids, routes, statuses, timings, token counts,
check and reason names, the key's audit name. Never ask or draft text, never a secret: the
code that logs passes only such fields; the endpoint's own messages are logged at debug.

The request's line is the one a server writes most: where `LineHandler` is the only place it
goes (`direct`, as `log_config` sets it up), it is written there without a LogRecord, the same
line in fewer steps: on `GET /v1/drafts/{id}` the line cost 25 µs through the logging module
and costs 10 µs this way, most of the gap to a bare endpoint (docs/performance.md). The lines
written in one turn of the event loop are written together at the start of its next turn, one
`write` for them all rather than one each; `flush` (which `logging.shutdown` calls at exit)
writes whatever is kept.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import select
import time
import weakref
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
# What a pipe writes in one piece, never interleaved with another writer's (POSIX: 512 at least).
_PIPE_BUF = getattr(select, "PIPE_BUF", 512)


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

    def request(
        self, created: float, logger: str, method: str, route: str, status: int,
        duration_ms: float, principal: str | None, client: str | None, request_id: str | None,
    ) -> str:  # fmt: skip
        """A request's line (`LineHandler.request`): `line` with the request's message and
        fields (`observe.request_fields`), in fewer steps."""
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

    def request(
        self, created: float, logger: str, method: str, route: str, status: int,
        duration_ms: float, principal: str | None, client: str | None, request_id: str | None,
    ) -> str:  # fmt: skip
        return _encode({
            "time": _stamp(created), "level": "info", "logger": logger,
            "message": f"{method} {route} {status}", "event": "request", "method": method,
            "route": route, "status": status, "duration_ms": duration_ms, "principal": principal,
            "client": client, "request_id": request_id,
        })  # fmt: skip


class TextFormatter(_Formatter):
    def line(
        self, created: float, level: str, logger: str, message: str, fields: dict,
        exception: str | None = None,
    ) -> str:  # fmt: skip
        line = f"{_stamp(created)} {level} {logger}: {message}"
        if named := " ".join([f"{k}={v}" for k, v in fields.items() if v is not None]):
            line = f"{line} {named}"
        return f"{line}\n{exception}" if exception else line  # the traceback below the line

    def request(
        self, created: float, logger: str, method: str, route: str, status: int,
        duration_ms: float, principal: str | None, client: str | None, request_id: str | None,
    ) -> str:  # fmt: skip
        # One format rather than a field at a time: most of what the request's line cost.
        line = (
            f"{_stamp(created)} INFO {logger}: {method} {route} {status} event=request"
            f" method={method} route={route} status={status} duration_ms={duration_ms}"
        )
        if principal is not None:
            line = f"{line} principal={principal}"
        if client is not None:
            line = f"{line} client={client}"
        return line if request_id is None else f"{line} request_id={request_id}"


class LineHandler(logging.StreamHandler):
    """stderr, whole lines only: lines from several workers sharing it never interleave
    mid-line. Lines written on a running event loop are kept until the loop's next turn and
    written together, in order, in as few `write` calls as fit in `PIPE_BUF` bytes each (what
    a pipe writes in one piece); elsewhere (a thread, no loop) at once, after any kept. And the
    short way for the line a server writes most, the request's (`write`), when this handler is
    the only place that line goes."""

    def __init__(self, stream: TextIO | None = None) -> None:
        super().__init__(stream)
        self._fd = _fd_of(self.stream)
        self._kept: list[bytes] = []
        # The loop that will write the kept lines on its next turn, if one was asked to.
        self._writer: asyncio.AbstractEventLoop | None = None
        _handlers.add(self)

    def setStream(self, stream: TextIO) -> TextIO | None:
        self.flush()  # lines kept for the old stream go to it
        old = super().setStream(stream)
        self._fd = _fd_of(self.stream)
        return old

    def flush(self) -> None:
        """Writes the kept lines (`logging.shutdown` calls this at exit)."""
        with self.lock:  # type: ignore[union-attr]
            self._write_kept()
            super().flush()

    def close(self) -> None:
        self.flush()
        super().close()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._put(self.format(record))
        except Exception:
            self.handleError(record)

    def write(self, level: str, logger: str, message: str, fields: dict[str, Any]) -> None:
        line = cast(_Formatter, self.formatter).line(time.time(), level, logger, message, fields)
        self._put_line(line)

    def request(self, logger: str, *request: Any) -> None:
        """A request's line (`_Formatter.request`'s arguments after the logger)."""
        self._put_line(cast(_Formatter, self.formatter).request(time.time(), logger, *request))

    def _put_line(self, line: str) -> None:
        # As `emit` under `Handler.handle`: under the lock, and a line that cannot be written
        # (stderr closed, a full or broken pipe) is dropped, never raised into the request.
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
        self._kept.append((line + "\n").encode("utf-8", "backslashreplace"))
        # A request's line cost a `write` of its own, a fifth of a cached GET's time in a
        # server; the lines of one turn of the loop now share one. The loop's next turn comes
        # before it waits on anything, so no line waits on a timer or on other requests.
        loop = asyncio._get_running_loop()  # None off the loop; `get_running_loop` raises
        if loop is None:
            self._write_kept()
        elif self._writer is not loop:
            loop.call_soon(self._write_soon)
            self._writer = loop

    def _write_soon(self) -> None:
        try:
            with self.lock:  # type: ignore[union-attr]
                self._write_kept()
        except Exception:  # noqa: S110 - as `write`: lines that cannot be written are dropped
            pass

    def _write_kept(self) -> None:
        """The kept lines in order, whole lines in each `write` of at most `PIPE_BUF` bytes (a
        single longer line alone), so no other process's write lands inside one."""
        kept, self._kept, self._writer = self._kept, [], None
        start, size = 0, 0
        for end, data in enumerate(kept):
            if size and size + len(data) > _PIPE_BUF:
                self._write(b"".join(kept[start:end]))
                start, size = end, 0
            size += len(data)
        if size:
            self._write(b"".join(kept[start:]))

    def _write(self, data: bytes) -> None:
        while data:  # a signal may cut a write short
            data = data[os.write(self._fd, data) :]  # type: ignore[arg-type]


# A child forked while lines are kept would write them again: its parent writes them.
_handlers: weakref.WeakSet[LineHandler] = weakref.WeakSet()


def _forget_kept() -> None:
    for handler in _handlers:
        handler._kept, handler._writer = [], None


os.register_at_fork(after_in_child=_forget_kept)


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
