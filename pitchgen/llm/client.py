"""The OpenAI-compatible client: one retry loop (ours), a deadline, a circuit breaker, and
replay/record of fixtures.

The SDK's own retries are off (`max_retries=0`) so exactly one policy runs: retry on 408, 409,
429, 5xx, connection errors and timeouts with jittered exponential backoff, honouring
`Retry-After` up to a cap (past it: give up at once, the draft falls back), all within the
draft's deadline. 400/401/403/404 are not retried. Every failure leaves as an `LLMError`
whose `reason` is the draft's `fallback_reason`; the API key never appears in a message.

A 200 whose body is not a chat completion (not JSON, as a gateway's HTML page; no object; no
non-empty `choices` list; no `message` object; content neither text nor null) was delivered,
so no transport retry runs: the `Completion` carries its `problem`, and drafting judges it invalid
output like unparseable content (one re-ask, then the template with `llm_invalid_output`, as
interfaces.md defines it: "unparseable ... after the re-ask"; `llm_unavailable` stays for
connection, timeout and 5xx). The circuit counts it as a failed call: an endpoint that does
not speak the protocol wastes every call made to it.

This module imports openai and tenacity; `drafting` imports it only on the LLM path.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import httpx2
import openai
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    wait_random_exponential,
)

from pitchgen.errors import LLMRejected, LLMUnavailable
from pitchgen.llm.circuit import Circuit
from pitchgen.llm.completion import Completion, read_completion
from pitchgen.llm.pacing import Pause
from pitchgen.llm.prompts import Prompt
from pitchgen.llm.recordings import FixtureStore
from pitchgen.settings import Settings

__all__ = [
    "MAX_TOKENS",
    "Circuit",
    "Completion",
    "LLMClient",
]

log = logging.getLogger("pitchgen.llm")

BACKOFF_SECONDS = 0.5
BACKOFF_MAX_SECONDS = 8.0
MAX_TOKENS = {"email": 600, "call_script": 1200, "meeting_agenda": 1000}
RETRYABLE_STATUS = frozenset({408, 409, 429})
REPLAY_BASE_URL = "http://replay.invalid/v1"


class _Transient(Exception):
    """A failure worth another attempt; `retry_after` is the server's wish, if it said one."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _redactor(settings: Settings) -> Callable[[str], str]:
    secret = settings.openai_api_key.get_secret_value() if settings.openai_api_key else ""

    def redact(text: str) -> str:
        return text.replace(secret, "***") if secret else text

    return redact


def _rejects_json_schema(error: openai.APIStatusError) -> bool:
    said = f"{error.message} {error.response.text}".lower()
    return error.status_code in (400, 422, 500) and (
        "json_schema" in said or "response_format" in said
    )


def _retry_after(headers: httpx2.Headers) -> float | None:
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is not None:
            try:
                return max(0.0, float(value) * scale)
            except ValueError:
                return None
    return None


class LLMClient:
    """One endpoint (live, replay or record), shared by every draft of a run.

    `concurrency` bounds the HTTP calls in flight; `sleep` is the backoff's sleep (tests pass
    one that returns at once). `pause` is shared by every call: a `Retry-After` told to one
    holds them all back (see `pacing`), so a batch slows down as a whole. In record mode,
    `reuse_recorded` answers a request already recorded from its fixture and calls the
    endpoint only for the rest. The structured-output
    mode starts at `json_schema` and drops to `json_object` plus schema the first time the
    server rejects it, for the client's life.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        mode: str = "live",
        store: FixtureStore | None = None,
        http_client: httpx2.AsyncClient | None = None,
        concurrency: int | None = None,
        circuit: Circuit | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        reuse_recorded: bool = False,
        pause: Pause | None = None,
    ) -> None:
        if mode in ("replay", "record") and store is None:
            raise ValueError(f"{mode} mode needs a fixture store")
        self.settings = settings
        self.mode = mode
        self.store = store
        self.reuse_recorded = reuse_recorded
        self.circuit = circuit or Circuit(
            settings.llm_circuit_threshold, settings.llm_circuit_cool_down_seconds
        )
        self.structured = "json_schema"
        self.usage: dict[str, list[int]] = {}
        self._sleep = sleep
        self.pause = pause or Pause(sleep=sleep)
        self._slots = asyncio.Semaphore(concurrency) if concurrency else None
        self._redact = _redactor(settings)
        if mode == "replay":
            http_client = http_client or httpx2.AsyncClient(
                transport=httpx2.MockTransport(self._serve_fixture)
            )
        key = settings.openai_api_key
        self._openai = openai.AsyncOpenAI(
            # A local server wants no key, but the SDK refuses to start without one.
            api_key=key.get_secret_value() if key else "unused",
            base_url=REPLAY_BASE_URL if mode == "replay" else settings.openai_base_url,
            max_retries=0,
            http_client=http_client,
        )

    async def __aenter__(self) -> LLMClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._openai.close()

    @staticmethod
    def body_for(
        prompt: Prompt,
        structured: str,
        settings: Settings,
        messages: Sequence[dict[str, str]] | None = None,
    ) -> dict[str, Any]:
        """The `/chat/completions` body for `prompt` in a structured-output mode."""
        if structured == "json_schema":
            response_format: dict[str, Any] = {
                "type": "json_schema",
                "json_schema": {"name": prompt.channel.value, "schema": prompt.schema},
            }
        else:
            response_format = {"type": "json_object", "schema": prompt.schema}
        return {
            "model": settings.model,
            "messages": list(prompt.messages if messages is None else messages),
            "temperature": settings.llm_temperature,
            "max_tokens": MAX_TOKENS[prompt.channel.value],
            "response_format": response_format,
        }

    async def complete(
        self, prompt: Prompt, messages: Sequence[dict[str, str]], *, deadline: float
    ) -> Completion:
        """One completion within `deadline` (the event loop's clock), retried per the policy."""
        channel = prompt.channel.value
        self.circuit.before_call()
        loop = asyncio.get_running_loop()
        started = loop.time()

        def past_deadline(state: RetryCallState) -> bool:
            return loop.time() + (state.upcoming_sleep or 0.0) >= deadline

        told_to_wait = 0
        attempts = self.settings.llm_max_attempts

        def out_of_attempts(state: RetryCallState) -> bool:
            # An answer that said when to come back (a 429 with Retry-After) is the endpoint
            # pacing us, not failing: it spends the deadline, not the attempts (up to a bound).
            nonlocal told_to_wait
            error = state.outcome.exception() if state.outcome else None
            told_to_wait += isinstance(error, _Transient) and error.retry_after is not None
            failed = state.attempt_number - told_to_wait
            spent = failed >= attempts or state.attempt_number >= attempts * 4
            return spent or past_deadline(state)

        retrying = AsyncRetrying(
            retry=retry_if_exception_type(_Transient),
            stop=out_of_attempts,
            wait=self._wait,
            sleep=self._backoff,
            reraise=True,
        )
        try:
            reply = await retrying(self._attempt, prompt, messages, deadline)
        except _Transient as failed:
            self.circuit.failed()
            log.warning("%s: model unavailable after retries: %s", channel, failed)
            raise LLMUnavailable(f"{channel}: {failed}") from None
        except LLMUnavailable:
            self.circuit.failed()
            raise
        except LLMRejected:
            self.circuit.succeeded()
            raise
        except BaseException:
            self.circuit.abandoned()
            raise
        tokens = self.usage.setdefault(channel, [0, 0])
        tokens[0] += reply.prompt_tokens
        tokens[1] += reply.completion_tokens
        if reply.problem is not None:
            # The endpoint answered, but not in the protocol (a wrong base URL, a proxy): every
            # call to it is wasted, which is what the circuit is for. Drafting still re-asks.
            self.circuit.failed()
            log.warning("%s: the reply is not a chat completion: %s", channel, reply.problem)
            return reply
        self.circuit.succeeded()
        log.info(
            "%s: %s replied in %.0f ms (%d+%d tokens, finish %s)",
            channel,
            reply.model,
            (loop.time() - started) * 1000,
            reply.prompt_tokens,
            reply.completion_tokens,
            reply.finish_reason,
        )
        return reply

    async def _backoff(self, seconds: float) -> None:
        if seconds > 0:
            await self._sleep(seconds)

    @staticmethod
    def _wait(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, _Transient) and error.retry_after is not None:
            return 0.0  # the shared pause holds the next attempt back (`_attempt`)
        return wait_random_exponential(multiplier=BACKOFF_SECONDS, max=BACKOFF_MAX_SECONDS)(state)

    async def _attempt(
        self, prompt: Prompt, messages: Sequence[dict[str, str]], deadline: float
    ) -> Completion:
        if not await self.pause.wait(deadline):
            raise LLMUnavailable(
                f"{prompt.channel.value}: rate limited for"
                f" {self.pause.remaining():.0f} s more, past the draft's deadline"
            )
        if self._slots is None:
            return await self._exchange(prompt, messages, deadline)
        async with self._slots:
            return await self._exchange(prompt, messages, deadline)

    async def _exchange(
        self, prompt: Prompt, messages: Sequence[dict[str, str]], deadline: float
    ) -> Completion:
        structured = self.structured
        try:
            return await self._post(prompt, messages, deadline, structured)
        except openai.APIStatusError as error:
            # Concurrent first calls may all meet the rejection; each resends once.
            if structured == "json_schema" and _rejects_json_schema(error):
                if self.structured == "json_schema":
                    log.info("the endpoint rejects json_schema output; using json_object mode")
                self.structured = "json_object"
                return await self._post(prompt, messages, deadline, "json_object")
            raise

    async def _post(
        self,
        prompt: Prompt,
        messages: Sequence[dict[str, str]],
        deadline: float,
        structured: str,
    ) -> Completion:
        channel = prompt.channel.value
        body = self.body_for(prompt, structured, self.settings, messages)
        if self.mode == "replay":
            assert self.store is not None
            self.store.lookup(body, channel)
        elif self.mode == "record" and self.reuse_recorded:
            assert self.store is not None
            if (known := self.store.find(body)) is not None:
                return read_completion(known.response)
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
            raise LLMUnavailable(f"{channel}: the deadline passed before the model answered")
        try:
            async with asyncio.timeout(remaining):
                # The SDK's own client (auth, base URL, errors, timeouts), minus the type
                # transform `chat.completions.create` runs over the body: the body is ours,
                # already plain JSON, and walking it again cost more than the rest of a call.
                raw = await self._openai.post(
                    "/chat/completions",
                    body=body,
                    cast_to=httpx2.Response,
                    options={"timeout": remaining},
                )
        except (openai.APITimeoutError, TimeoutError):
            raise _Transient(f"no answer within {remaining:.1f} s") from None
        except openai.APIConnectionError as error:
            raise _Transient(self._redact(f"connection failed: {error}")) from None
        except openai.APIStatusError as error:
            raise self._status_error(error, channel, structured) from None
        try:
            response: Any = raw.json()
        except ValueError:
            response = raw.text  # kept as received, for the reviewer and the fixture
        reply = read_completion(response)
        if self.mode == "record":
            assert self.store is not None
            self.store.write(
                prefix=channel,
                channel=channel,
                prompt_version=prompt.version,
                note=f"recorded from {reply.model or self.settings.model}",
                request=body,
                status=raw.status_code,
                response=response,
            )
        return reply

    def _status_error(
        self, error: openai.APIStatusError, channel: str, structured: str
    ) -> Exception:
        status = error.status_code
        said = self._redact(str(error.message))[:200]
        if structured == "json_schema" and _rejects_json_schema(error):
            return error
        if status in RETRYABLE_STATUS or status >= 500:
            wait = _retry_after(error.response.headers)
            cap = self.settings.llm_retry_after_cap_seconds
            if wait is not None and wait > cap:
                return LLMUnavailable(
                    f"{channel}: HTTP {status}, asked to retry after {wait:.0f} s"
                    f" (past the {cap:.0f} s cap)"
                )
            if wait is not None:
                self.pause.hold(wait)
            return _Transient(f"HTTP {status}: {said}", retry_after=wait)
        log.warning("%s: model endpoint refused the request: HTTP %d", channel, status)
        return LLMRejected(f"{channel}: HTTP {status} from the model endpoint: {said}")

    def _serve_fixture(self, request: httpx2.Request) -> httpx2.Response:
        assert self.store is not None
        fixture = self.store.lookup(json.loads(request.content), "replay")
        if isinstance(fixture.response, str):
            return httpx2.Response(fixture.status, text=fixture.response)
        return httpx2.Response(fixture.status, json=fixture.response)
