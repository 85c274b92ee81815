"""The server's log lines: one per request (`pitchgen.http`) and one per model call
(`pitchgen.drafting`), as JSON (`PITCHGEN_LOG_FORMAT=json`, one object a line, for a log
collector) or as text for a person. Every line carries the request id it was written under.

What a line may hold at the default level: ids, routes, statuses, timings, token counts,
check and reason names, the key's audit name. Never ask or draft text, never a secret: the
code that logs passes only such fields; the endpoint's own messages are logged at debug.
"""

from __future__ import annotations

import json
import logging
import time
from itertools import islice
from typing import Any

from pitchgen import telemetry
from pitchgen.settings import Settings

__all__ = ["JsonFormatter", "TextFormatter", "log_config"]

# What every LogRecord has; anything else on a record came from `extra=` and is a field, but
# for uvicorn's `color_message` (its message again, with terminal colours).
_OWN_ATTRS = tuple(logging.makeLogRecord({}).__dict__)
_STANDARD = frozenset(_OWN_ATTRS) | {"message", "asctime", "color_message"}
# LogRecord's own attributes come first in its __dict__, `extra=` after them: only the tail is
# read (a line per request: the 20-odd standard names need not be tested each time).
_OWN = len(_OWN_ATTRS)
_second: list[Any] = [None, ""]


def _stamp(created: float) -> str:
    """ISO 8601 in UTC to the millisecond; the seconds part written once a second, as a server
    writes many lines in each."""
    second = int(created)
    if _second[0] != second:
        _second[:] = [second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))]
    return f"{_second[1]}.{int((created - second) * 1000):03d}Z"


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


class JsonFormatter(_Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": _stamp(record.created),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **_fields(record),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(_Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = f"{_stamp(record.created)} {record.levelname} {record.name}: {record.getMessage()}"
        fields = " ".join(f"{k}={v}" for k, v in _fields(record).items() if v is not None)
        if fields:
            line = f"{line} {fields}"
        if record.exc_info:
            line = f"{line}\n{self.formatException(record.exc_info)}"  # below the line
        return line


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
                "class": "logging.StreamHandler",
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
