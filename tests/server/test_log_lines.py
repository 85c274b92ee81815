"""The server's log lines as a log collector reads them. A request's line takes a short way to
the server's own handler (no LogRecord, a third of its former cost on every request) only
where nothing else would see it; it reads the same either way, and any other set-up an
operator makes (a filter, another handler) gets its lines through the logging module."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import logging.config
import os
import re
import subprocess
import sys
import threading
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


STATES = [
    {"principal": None, "client": "203.0.113.9", "request_id": "req-8"},
    {"principal": "reviewer:3f2a9c1d", "client": None, "request_id": None},
    {"principal": "reviewer:local", "client": 'São Paulo \u2028 \\ "', "request_id": "r:1"},
    {},
]


@pytest.mark.parametrize("form", ["json", "text"])
@pytest.mark.parametrize("state", STATES, ids=["no principal", "nones", "odd text", "empty"])
@pytest.mark.parametrize(("status", "seconds"), [(404, 0.0), (500, 12.345678), (201, 1e-07)])
def test_every_request_line_is_written_the_same_both_ways(served, form, state, status, seconds):
    path = served(form)
    scope = {"method": "POST", "route": type("R", (), {"path": "/v1/drafts"})(), "state": state}
    observe.answered(scope, status, seconds, None)
    logging.getLogger("pitchgen").addFilter(lambda record: True)  # through the logging module
    observe.answered(scope, status, seconds, None)
    short, through = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    assert without_time(short) == without_time(through)


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


def _writes(monkeypatch) -> list[bytes]:
    """What each `os.write` call wrote, as it writes it."""
    writes: list[bytes] = []
    write = os.write

    def counted(fd: int, data: bytes) -> int:
        writes.append(bytes(data))
        return write(fd, data)

    monkeypatch.setattr(logs.os, "write", counted)
    return writes


def _answered(n: int) -> None:
    observe.answered(
        SCOPE | {"state": SCOPE["state"] | {"request_id": f"req-{n}"}}, 200, 0.01, None
    )


def test_the_lines_of_one_turn_of_the_loop_are_written_together_at_its_next(
    served, monkeypatch
) -> None:
    path = served("json")
    writes = _writes(monkeypatch)

    async def serving() -> None:
        for n in range(5):
            _answered(n)
        logging.getLogger("pitchgen.api").warning("through the logging module")
        assert writes == []
        await asyncio.sleep(0)  # the loop's next turn: nothing waits for a timer or a request
        assert len(writes) == 1

    asyncio.run(serving())
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [line.get("request_id") for line in lines[:5]] == [f"req-{n}" for n in range(5)]
    assert lines[5]["message"] == "through the logging module" and len(lines) == 6
    assert writes[0].decode() == path.read_text(encoding="utf-8")


def test_no_write_holds_part_of_a_line_or_more_than_a_pipe_takes_whole(served, monkeypatch) -> None:
    path = served("text")
    writes = _writes(monkeypatch)
    long = {"state": SCOPE["state"] | {"principal": "k" * (logs._PIPE_BUF + 10)}}

    async def serving() -> None:
        for n in range(60):
            _answered(n)
        observe.answered(SCOPE | long, 200, 0.01, None)  # longer alone than a pipe takes whole
        _answered(60)

    asyncio.run(serving())
    assert len(writes) > 2 and b"".join(writes) == path.read_bytes()
    assert all(w.endswith(b"\n") for w in writes)
    assert all(len(w) <= logs._PIPE_BUF for w in writes if b"k" * 100 not in w)
    assert [w for w in writes if b"k" * 100 in w] == [writes[-2]] and writes[-2].count(b"\n") == 1
    assert len(path.read_text(encoding="utf-8").splitlines()) == 62


def test_a_line_written_off_the_loop_goes_at_once_after_the_kept_ones(served) -> None:
    path = served("json")

    async def serving() -> None:
        _answered(1)
        thread = threading.Thread(target=_answered, args=(2,))
        thread.start()
        thread.join()  # the loop has not turned: its line is still kept
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        assert [line["request_id"] for line in lines] == ["req-1", "req-2"]

    asyncio.run(serving())


def test_lines_kept_when_the_loop_stops_are_written_at_exit() -> None:
    program = """
import asyncio, logging.config
from pitchgen.server import logs, observe
from pitchgen.settings import Settings
logging.config.dictConfig(logs.log_config(Settings(llm="off", log_format="json")))
loop = asyncio.new_event_loop()
def last_request():
    observe.answered({"method": "GET", "state": {"request_id": "req-last"}}, 200, 0.01, None)
    loop.stop()  # the loop ends with this turn, before the one that would write the line
loop.call_soon(last_request)
loop.run_forever()
loop.close()
"""
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(done.stderr)["request_id"] == "req-last"
