"""The server's log lines as a log collector reads them. A request's line takes a short way to
the server's own handler (no LogRecord, a third of its former cost on every request) only
where nothing else would see it; it reads the same either way, and any other set-up an
operator makes (a filter, another handler) gets its lines through the logging module."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pitchgen.server import logs, observe
from pitchgen.settings import Settings

LOGGERS = ("pitchgen", "pitchgen.http", "uvicorn", "uvicorn.error", "uvicorn.access")
SCOPE = {
    "method": "GET",
    "state": {"principal": "key:ops", "client": "203.0.113.9", "request_id": "req-7"},
}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """`log_config` applied as `pitchgen serve` applies it, its handler writing to a file;
    the loggers put back afterwards."""
    saved = {n: (lg.handlers[:], lg.level, lg.propagate, lg.filters[:], lg.disabled)
             for n in LOGGERS for lg in [logging.getLogger(n)]}  # fmt: skip

    def configure(form: str) -> Path:
        logging.config.dictConfig(logs.log_config(Settings(llm="off", log_format=form)))
        path = tmp_path / f"{form}.log"
        handler = logging.getLogger("pitchgen").handlers[0]
        handler.setStream(path.open("w", encoding="utf-8"))
        return path

    yield configure
    for name, (handlers, level, propagate, filters, disabled) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers, logger.filters = handlers, filters
        logger.setLevel(level)
        logger.propagate, logger.disabled = propagate, disabled


def without_time(line: str) -> str:
    if line.startswith("{"):
        return json.dumps(json.loads(line) | {"time": None})
    return re.sub(r"^\S+ ", "", line)


@pytest.mark.parametrize("form", ["json", "text"])
def test_a_request_line_reads_the_same_by_the_short_way_and_through_logging(served, form) -> None:
    path = served(form)
    assert logs.direct(observe.log, logging.INFO) is not None  # as the server runs
    observe.answered(SCOPE, 200, 0.01234, None)
    # An operator's filter: nothing may skip it, so the line goes through the logging module.
    logging.getLogger("pitchgen").addFilter(lambda record: True)
    assert logs.direct(observe.log, logging.INFO) is None
    observe.answered(SCOPE, 200, 0.01234, None)

    short, through = path.read_text(encoding="utf-8").splitlines()
    assert without_time(short) == without_time(through)
    assert "route=none" in short or json.loads(short)["route"] == "none"
    assert "req-7" in short and "12.34" in short


@pytest.mark.parametrize(
    "change",
    [
        lambda: logging.getLogger("pitchgen.http").addHandler(logging.NullHandler()),
        lambda: logging.getLogger("pitchgen").addHandler(logging.NullHandler()),
        lambda: setattr(logging.getLogger("pitchgen"), "propagate", True),
        lambda: logging.getLogger("pitchgen").handlers[0].addFilter(lambda record: True),
        lambda: logging.getLogger("pitchgen").handlers[0].setLevel(logging.WARNING),
        lambda: setattr(logging.getLogger("pitchgen.http"), "disabled", True),
    ],
    ids=["own handler", "second handler", "propagates", "handler filter", "handler level",
         "disabled"],
)  # fmt: skip
def test_any_other_set_up_sends_request_lines_through_the_logging_module(served, change) -> None:
    served("text")
    change()
    assert logs.direct(observe.log, logging.INFO) is None


def test_the_short_way_is_off_when_the_level_leaves_request_lines_out(served) -> None:
    path = served("json")
    logging.getLogger("pitchgen").setLevel(logging.WARNING)
    observe.answered(SCOPE, 200, 0.01, None)
    assert path.read_text(encoding="utf-8") == ""


@pytest.mark.parametrize("into", ["file", "python stream"])
def test_each_record_is_one_line_in_one_piece_whatever_it_holds(tmp_path: Path, into) -> None:
    stream = (tmp_path / "out.log").open("w", encoding="utf-8") if into == "file" else io.StringIO()
    handler = logs.LineHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    logger = logging.getLogger("pitchgen.test-lines")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("Grüße from São Paulo \ud800")  # a lone surrogate, from a bad decode
        try:
            raise ValueError("broken")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    if into == "file":
        stream.close()
        written = (tmp_path / "out.log").read_bytes().decode("utf-8")
    else:
        written = stream.getvalue()
    first, second = [json.loads(line) for line in written.splitlines()]
    assert first["message"].startswith("Grüße from São Paulo")
    assert second["message"] == "failed" and "ValueError: broken" in second["exception"]


def test_a_request_line_that_cannot_be_written_never_fails_the_request(served) -> None:
    served("text")
    handler = logging.getLogger("pitchgen").handlers[0]
    reading, writing = os.pipe()
    os.close(reading)  # the collector at the other end is gone: every write is EPIPE
    handler.setStream(os.fdopen(writing, "w"))
    assert logs.direct(observe.log, logging.INFO) is handler
    observe.answered(SCOPE, 200, 0.01, None)  # nothing raised
    handler.setStream(None)  # stderr closed (`2>&-`): no short way to a stream that is not there
    assert logs.direct(observe.log, logging.INFO) is None
