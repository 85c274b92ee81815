"""`pitchgen serve` as an operator runs it, in its own process: SIGTERM lets a draft in flight
finish before the server exits (with one worker or several), the log lines are JSON with the
request id and no ask text, and the metrics of several workers add up."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from fake_openai import FakeOpenAI, completion
from test_observability import sample

from pitchgen.ask import load_ask
from pitchgen.cli.serve import uvicorn_options
from pitchgen.server.deadlines import H11Deadlines, HttpToolsDeadlines, with_header_deadline

ROOT = Path(__file__).resolve().parents[2]
SUMMIT = load_ask(ROOT / "fixtures" / "asks" / "summit-venue.yaml")
ASK = {"ask": SUMMIT.model_dump(mode="json", exclude_none=True), "channels": ["email"]}
WAIT = 60  # seconds any one step may take on a loaded machine before the test gives up


class Server:
    """A `pitchgen serve` process and the lines of its stderr, as they come."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pitchgen", "serve", "--port", "0", *args],
            env={**os.environ, **env},
            stderr=subprocess.PIPE,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        found = self.wait_for(r"running on (http://127\.0\.0\.1:\d+)")
        self.url = found.group(1)
        # With --workers the port is bound first and listened on once the workers are up.
        workers = int(args[args.index("--workers") + 1]) if "--workers" in args else 1
        for _ in range(workers if workers > 1 else 0):
            self.wait_for(r"Application startup complete")

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self._queue.put(line)
        self._queue.put(None)

    def wait_for(self, pattern: str) -> re.Match:
        while True:
            line = self._queue.get(timeout=WAIT)
            if line is None:
                raise AssertionError(f"the server ended before {pattern!r}:\n{''.join(self.lines)}")
            self.lines.append(line)
            if found := re.search(pattern, line):
                return found

    def finish(self) -> int:
        code = self.process.wait(timeout=WAIT)
        while (line := self._queue.get(timeout=WAIT)) is not None:
            self.lines.append(line)
        return code

    def stop(self) -> None:
        # SIGTERM first: with --workers, a killed parent would leave its workers running.
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=WAIT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=WAIT)


@contextmanager
def serving(env: dict[str, str], *args: str) -> Iterator[Server]:
    server = Server(env, *args)
    try:
        yield server
    finally:
        server.stop()


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "PITCHGEN_DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}",
        "PITCHGEN_LOG_FORMAT": "json",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


@pytest.mark.parametrize("workers", ["1", "2"])
def test_sigterm_lets_a_draft_in_flight_finish_then_exits(tmp_path: Path, workers: str) -> None:
    asked, release = threading.Event(), threading.Event()

    def held(body: dict) -> dict:
        asked.set()
        release.wait(WAIT)  # the model "thinks" until the test lets it answer
        return completion("not json", prompt_tokens=321, completion_tokens=12)

    with FakeOpenAI(held) as model:
        env = environment(
            tmp_path, PITCHGEN_LLM="live", OPENAI_BASE_URL=model.base_url,
            OPENAI_API_KEY="sk-test-not-a-real-key",
        )  # fmt: skip
        with serving(env, "--workers", workers) as server:
            answers: list[httpx.Response] = []

            def post() -> None:
                headers = {"X-Request-ID": "in-flight-1"}
                answers.append(
                    httpx.post(f"{server.url}/v1/drafts", json=ASK, headers=headers, timeout=WAIT)
                )

            client = threading.Thread(target=post)
            client.start()
            assert asked.wait(WAIT), "the draft never reached the model"
            server.process.send_signal(signal.SIGTERM)
            server.wait_for(r"Waiting for connections to close")
            assert server.process.poll() is None  # still there, for the request in flight
            if workers == "1":  # no new connection is taken meanwhile
                with pytest.raises(httpx.ConnectError):
                    httpx.get(f"{server.url}/healthz", timeout=WAIT)
            release.set()
            client.join(WAIT)
            # uvicorn ends by raising the signal again once it has shut down, so a supervisor
            # sees a process stopped by SIGTERM, as it asked; anything else is a failure.
            assert server.finish() in (0, -signal.SIGTERM)

    (answer,) = answers
    assert answer.status_code == 201
    (made,) = answer.json()["drafts"]
    assert made["fallback_reason"] == "llm_invalid_output"  # asked, re-asked, template
    assert [c["prompt_tokens"] for c in made["model_calls"]] == [321, 321]
    records = [json.loads(line) for line in server.lines if line.startswith("{")]
    ours = [r for r in records if r.get("request_id") == "in-flight-1"]
    assert [r["event"] for r in ours if "event" in r] == ["model_call", "model_call", "request"]
    assert (ours[-1]["route"], ours[-1]["status"]) == ("/v1/drafts", 201)
    assert all(r.get("channel") == "email" for r in ours if r.get("event") == "model_call")
    everything = "".join(server.lines)
    assert SUMMIT.partner.organization not in everything
    assert "sk-test-not-a-real-key" not in everything


def test_the_metrics_of_every_worker_add_up(tmp_path: Path) -> None:
    with serving(environment(tmp_path), "--workers", "2") as server:
        for _ in range(12):  # a connection each, so both workers take some
            response = httpx.get(
                f"{server.url}/healthz", headers={"Connection": "close"}, timeout=WAIT
            )
            assert response.status_code == 200
        text = httpx.get(f"{server.url}/metrics", timeout=WAIT).text
    labels = {"route": "/healthz", "method": "GET", "status": "200"}
    assert sample(text, "pitchgen_http_requests_total", **labels) == 12
    # Read from the store by the worker that answers: once, not once per worker.
    assert text.count("# TYPE pitchgen_batch_queue_depth gauge") == 1
    assert sample(text, "pitchgen_batch_queue_depth", state="queued") == 0


async def no_content(scope, receive, send) -> None:
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


@contextmanager
def served_by(protocol, header_seconds: float = 10.0) -> Iterator[tuple[str, int]]:
    """A tiny app under uvicorn with `pitchgen serve`'s options and `protocol`."""
    options = uvicorn_options() | {"lifespan": "off", "log_level": "warning"}
    options["http"] = with_header_deadline(header_seconds, base=protocol)
    server = uvicorn.Server(uvicorn.Config(no_content, **options))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]})
    thread.start()
    try:
        yield sock.getsockname()
    finally:
        server.should_exit = True
        thread.join()
        sock.close()


@pytest.mark.parametrize("protocol", [H11Deadlines, HttpToolsDeadlines], ids=["h11", "httptools"])
def test_a_client_trickling_its_headers_is_cut_off_with_either_parser(protocol) -> None:
    with served_by(protocol, header_seconds=0.2) as address:
        with socket.create_connection(address, timeout=WAIT) as slow:
            slow.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")  # and nothing more
            assert slow.recv(1024) == b""  # closed by the server, unanswered
        with socket.create_connection(address, timeout=WAIT) as prompt:
            prompt.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
            assert prompt.recv(1024).startswith(b"HTTP/1.1 204")


@pytest.mark.parametrize("protocol", [H11Deadlines, HttpToolsDeadlines], ids=["h11", "httptools"])
def test_a_request_head_growing_past_16_kib_is_refused_with_either_parser(protocol) -> None:
    with served_by(protocol) as address:
        with socket.create_connection(address, timeout=WAIT) as big:
            # A head that keeps growing is refused once it passes the limit, ended or not.
            big.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: " + b"a" * 40_000)
            answer = b"".join(iter(lambda: big.recv(65536), b""))
        assert answer.startswith(b"HTTP/1.1 400 ")
        with socket.create_connection(address, timeout=WAIT) as fine:
            fine.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Fine: " + b"a" * 8_000)
            fine.sendall(b"\r\n\r\n")
            assert fine.recv(1024).startswith(b"HTTP/1.1 204")


def test_serve_uses_the_fast_loop_and_parser_when_installed() -> None:
    options = uvicorn_options()
    assert options["loop"] == "auto"
    assert options["http"] == "pitchgen.server.deadlines:HttpToolsDeadlines"
