"""The server's log lines: one per request (`pitchgen.http`) and one per model call
(`pitchgen.drafting`), as JSON (`PITCHGEN_LOG_FORMAT=json`, one object a line, for a log
collector) or as text for a person. Every line carries the request id it was written under.

What a line may hold at the default level: ids, routes, statuses, timings, token counts,
check and reason names, the key's audit name. Never ask or draft text, never a secret: the
code that logs passes only such fields; the endpoint's own messages are logged at debug.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from pitchgen import telemetry
from pitchgen.settings import Settings

__all__ = ["JsonFormatter", "TextFormatter", "log_config"]

# What every LogRecord has; anything else on a record came from `extra=` and is a field.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    fields = {k: v for k, v in record.__dict__.items() if k not in _STANDARD}
    if "request_id" not in fields and (request_id := telemetry.request_id.get()) is not None:
        fields["request_id"] = request_id
    return fields


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **_fields(record),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        fields = _fields(record)
        if not fields:
            return text
        extra = " ".join(f"{k}={v}" for k, v in fields.items() if v is not None)
        head, newline, rest = text.partition("\n")  # a traceback stays below the line
        return f"{head} {extra}{newline}{rest}"


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
