"""A fake OpenAI-compatible endpoint for the tests and the bench: in process (an httpx2 mock
transport, which the openai SDK sends through) or on loopback (a small HTTP/1.1 server in a
thread, with a fixed latency). Either way a handler maps each request body to an `Answer`.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx2

__all__ = ["Answer", "FakeOpenAI", "Recorder", "completion", "mock_http_client"]


def completion(
    content: str | dict,
    *,
    finish_reason: str = "stop",
    model: str = "fake-model",
    prompt_tokens: int = 100,
    completion_tokens: int = 50,
) -> dict[str, Any]:
    """A `chat.completion` body whose message is `content` (a dict is sent as JSON text)."""
    text = content if isinstance(content, str) else json.dumps(content)
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1_800_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "finish_reason": finish_reason,
                "message": {"role": "assistant", "content": text},
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


@dataclass
class Answer:
    status: int = 200
    body: dict[str, Any] | str = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[dict[str, Any]], Answer | dict[str, Any]]


@dataclass
class Recorder:
    """Wraps a handler and keeps every request body and Authorization header it saw."""

    handler: Handler
    bodies: list[dict[str, Any]] = field(default_factory=list)
    authorizations: list[str] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0

    def answer(self, body: dict[str, Any], authorization: str = "") -> Answer:
        self.bodies.append(body)
        self.authorizations.append(authorization)
        result = self.handler(body)
        return result if isinstance(result, Answer) else Answer(body=result)


def _response(answer: Answer) -> httpx2.Response:
    if isinstance(answer.body, str):
        return httpx2.Response(answer.status, text=answer.body, headers=answer.headers)
    return httpx2.Response(answer.status, json=answer.body, headers=answer.headers)


def mock_http_client(recorder: Recorder) -> httpx2.AsyncClient:
    """An httpx2 client that answers in process; a handler raising httpx2.ConnectError
    simulates a connection failure."""

    def serve(request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.content)
        return _response(recorder.answer(body, request.headers.get("authorization", "")))

    return httpx2.AsyncClient(transport=httpx2.MockTransport(serve))


class FakeOpenAI:
    """`POST /v1/chat/completions` and `GET /v1/models` on 127.0.0.1, answering each request
    after `latency` seconds. Use as a context manager; `base_url` is the SDK's base URL."""

    def __init__(self, handler: Handler, *, latency: float = 0.0) -> None:
        self.recorder = handler if isinstance(handler, Recorder) else Recorder(handler)
        self.latency = latency
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.AbstractServer | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        started = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._connection, "127.0.0.1", 0), self._loop
        )
        self._server = started.result(timeout=10)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def __exit__(self, *exc: object) -> None:
        async def stop() -> None:
            assert self._server is not None
            self._server.close()
            pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = {
                    k.strip().lower(): v.strip()
                    for k, v in (line.split(":", 1) for line in lines[1:] if ":" in line)
                }
                raw = await reader.readexactly(int(headers.get("content-length", "0")))
                answer = await self._answer(method, path, raw, headers)
                payload = (
                    answer.body if isinstance(answer.body, str) else json.dumps(answer.body)
                ).encode()
                extra = "".join(f"{k}: {v}\r\n" for k, v in answer.headers.items())
                writer.write(
                    f"HTTP/1.1 {answer.status} X\r\ncontent-type: application/json\r\n"
                    f"content-length: {len(payload)}\r\n{extra}\r\n".encode()
                    + payload
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _answer(self, method: str, path: str, raw: bytes, headers: dict) -> Answer:
        if method == "GET" and path.endswith("/models"):
            return Answer(body={"object": "list", "data": [{"id": "fake-model"}]})
        rec = self.recorder
        rec.in_flight += 1
        rec.max_in_flight = max(rec.max_in_flight, rec.in_flight)
        try:
            if self.latency:
                await asyncio.sleep(self.latency)
            return rec.answer(json.loads(raw), headers.get("authorization", ""))
        finally:
            rec.in_flight -= 1
