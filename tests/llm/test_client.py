"""The model client: one retry policy, the deadline, the circuit breaker, structured output
negotiation, and the API key kept out of every message."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import httpx2
import pytest
from fake_openai import Answer, FakeOpenAI, Recorder, completion, mock_http_client

from pitchgen.ask import Channel, load_ask
from pitchgen.errors import CircuitOpen, LLMRejected, LLMUnavailable
from pitchgen.llm.client import Circuit, LLMClient
from pitchgen.llm.prompts import build_prompt
from pitchgen.settings import Settings

ASKS = Path(__file__).resolve().parents[2] / "fixtures" / "asks"
SECRET = "sk-test-DO-NOT-LEAK-1234"
REPLY = {"subject": "A room for the summit", "body": "Hello"}


def settings(**extra) -> Settings:
    values = {"OPENAI_API_KEY": SECRET, "OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "model": "m"}
    return Settings(**(values | extra))


def scripted(*answers: Answer | dict) -> Recorder:
    """Answers in order; the last one repeats."""
    queue = list(answers)
    return Recorder(lambda body: queue.pop(0) if len(queue) > 1 else queue[0])


@pytest.fixture
def prompt():
    return build_prompt(load_ask(ASKS / "summit-venue.yaml"), Channel.email)


@pytest.fixture
def sleeps() -> list[float]:
    return []


def client_for(recorder: Recorder, sleeps: list[float], **kwargs) -> LLMClient:
    async def no_wait(seconds: float) -> None:
        sleeps.append(seconds)

    return LLMClient(
        kwargs.pop("settings", settings()),
        http_client=mock_http_client(recorder),
        sleep=no_wait,
        **kwargs,
    )


async def complete(client: LLMClient, prompt, seconds: float = 30.0):
    deadline = asyncio.get_running_loop().time() + seconds
    return await client.complete(prompt, prompt.messages, deadline=deadline)


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
async def test_transient_statuses_are_retried_with_backoff(status, prompt, sleeps):
    server = scripted(Answer(status, {"error": {"message": "busy"}}), completion(REPLY))
    async with client_for(server, sleeps) as client:
        reply = await complete(client, prompt)
    assert reply.text == '{"subject": "A room for the summit", "body": "Hello"}'
    assert len(server.bodies) == 2
    assert len(sleeps) == 1
    assert 0 <= sleeps[0] <= 8


@pytest.mark.parametrize("status", [400, 401, 403, 404])
async def test_client_errors_are_not_retried(status, prompt, sleeps):
    server = scripted(Answer(status, {"error": {"message": "no"}}))
    async with client_for(server, sleeps) as client:
        with pytest.raises(LLMRejected) as failed:
            await complete(client, prompt)
    assert failed.value.reason == "llm_rejected"
    assert len(server.bodies) == 1
    assert sleeps == []


async def test_one_retry_loop_makes_exactly_max_attempts_requests(prompt, sleeps):
    server = scripted(Answer(503, {"error": {"message": "down"}}))
    async with client_for(server, sleeps) as client:
        with pytest.raises(LLMUnavailable):
            await complete(client, prompt)
    assert len(server.bodies) == Settings().llm_max_attempts
    assert len(sleeps) == Settings().llm_max_attempts - 1
    assert all(0 <= s <= 8 for s in sleeps)  # jittered, capped


async def test_connection_errors_are_retried_then_reported_unavailable(prompt, sleeps):
    def refuse(body):
        raise httpx2.ConnectError("connection refused")

    server = Recorder(refuse)
    async with client_for(server, sleeps) as client:
        with pytest.raises(LLMUnavailable) as failed:
            await complete(client, prompt)
    assert len(server.bodies) == Settings().llm_max_attempts
    assert failed.value.reason == "llm_unavailable"


@pytest.mark.parametrize(
    ("header", "value", "expected"),
    [("retry-after", "3", 3.0), ("retry-after-ms", "1500", 1.5), ("retry-after", "0", 0.0)],
)
async def test_retry_after_is_honoured(header, value, expected, prompt, sleeps):
    server = scripted(Answer(429, {"error": {}}, {header: value}), completion(REPLY))
    async with client_for(server, sleeps) as client:
        await complete(client, prompt)
    # The wait asked for, and a jitter of at most a quarter more (see llm/pacing).
    assert expected <= sum(sleeps) <= expected * 1.25
    assert len(server.bodies) == 2


async def test_waits_the_endpoint_asked_for_spend_the_deadline_not_the_attempts(prompt, sleeps):
    paced = Answer(429, {"error": {}}, {"retry-after": "1"})
    attempts = Settings().llm_max_attempts
    server = scripted(*[paced] * (attempts + 2), completion(REPLY))
    async with client_for(server, sleeps) as client:
        reply = await complete(client, prompt)
    assert reply.text and len(server.bodies) == attempts + 3
    assert client.pause.pauses >= 1


async def test_retry_after_past_the_cap_falls_back_at_once(prompt, sleeps):
    too_long = str(int(Settings().llm_retry_after_cap_seconds) + 50)
    server = scripted(Answer(429, {"error": {}}, {"retry-after": too_long}), completion(REPLY))
    async with client_for(server, sleeps) as client:
        with pytest.raises(LLMUnavailable, match="past the"):
            await complete(client, prompt)
    assert len(server.bodies) == 1
    assert sleeps == []


async def test_a_wait_past_the_deadline_is_not_taken(prompt, sleeps):
    server = scripted(Answer(429, {"error": {}}, {"retry-after": "5"}), completion(REPLY))
    async with client_for(server, sleeps) as client:
        with pytest.raises(LLMUnavailable):
            await complete(client, prompt, seconds=2.0)
    assert len(server.bodies) == 1
    assert sleeps == []


def test_a_silent_server_is_cut_off_at_the_deadline(prompt):
    with FakeOpenAI(lambda body: completion(REPLY), latency=30) as server:

        async def run():
            async with LLMClient(settings(OPENAI_BASE_URL=server.base_url)) as client:
                return await complete(client, prompt, seconds=0.3)

        with pytest.raises(LLMUnavailable, match="no answer within"):
            asyncio.run(run())


async def test_json_schema_rejection_switches_to_json_object_once(prompt, sleeps):
    rejection = Answer(
        500, {"error": {"message": "response_format.type: Input should be 'text' or 'json_object'"}}
    )
    server = Recorder(
        lambda body: (
            rejection if body["response_format"]["type"] == "json_schema" else completion(REPLY)
        )
    )
    async with client_for(server, sleeps) as client:
        await complete(client, prompt)
        await complete(client, prompt)
    kinds = [b["response_format"]["type"] for b in server.bodies]
    assert kinds == ["json_schema", "json_object", "json_object"]
    assert server.bodies[1]["response_format"]["schema"] == prompt.schema
    assert sleeps == []


async def test_concurrent_first_calls_meeting_the_rejection_resend_without_backoff(prompt, sleeps):
    rejection = Answer(500, {"error": {"message": "response_format: json_schema unsupported"}})
    server = Recorder(
        lambda body: (
            rejection if body["response_format"]["type"] == "json_schema" else completion(REPLY)
        )
    )
    async with client_for(server, sleeps) as client:
        await asyncio.gather(*(complete(client, prompt) for _ in range(3)))
    kinds = [b["response_format"]["type"] for b in server.bodies]
    assert kinds.count("json_object") == 3
    assert len(kinds) <= 6
    assert sleeps == []


async def test_json_schema_is_sent_first_with_the_channel_schema(prompt, sleeps):
    server = scripted(completion(REPLY))
    async with client_for(server, sleeps) as client:
        await complete(client, prompt)
    body = server.bodies[0]
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "email", "schema": prompt.schema},
    }
    assert body["temperature"] == 0
    assert body["model"] == "m"
    assert body["messages"] == list(prompt.messages)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_circuit_opens_after_repeated_failures_and_a_probe_closes_it(prompt, sleeps):
    clock = Clock()
    healthy = False
    server = Recorder(
        lambda body: completion(REPLY) if healthy else Answer(503, {"error": {"message": "x"}})
    )
    circuit = Circuit(threshold=2, cool_down=30, clock=clock)
    async with client_for(server, sleeps, circuit=circuit) as client:
        for _ in range(2):
            with pytest.raises(LLMUnavailable):
                await complete(client, prompt)
        calls = len(server.bodies)
        with pytest.raises(CircuitOpen) as failed:
            await complete(client, prompt)
        assert failed.value.reason == "circuit_open"
        assert len(server.bodies) == calls  # not called at all while open

        clock.now += 31
        healthy = True
        await complete(client, prompt)  # the probe
        await complete(client, prompt)
    assert circuit.state == "closed"


@pytest.mark.parametrize(
    ("body", "state"),
    [
        ({"choices": []}, "open"),  # the endpoint does not speak the protocol
        (Answer(200, "<html>502 Bad Gateway</html>"), "open"),
        (completion("Sure! Here is your email."), "closed"),  # the model wrote poorly
    ],
    ids=["not a chat completion", "not JSON", "unparseable content"],
)
async def test_only_a_reply_that_is_not_a_chat_completion_counts_against_the_circuit(
    body, state, prompt, sleeps
):
    circuit = Circuit(threshold=2, cool_down=30, clock=Clock())
    server = scripted(body)
    async with client_for(server, sleeps, circuit=circuit) as client:
        for _ in range(2):
            await complete(client, prompt)
    assert circuit.state == state
    assert len(server.bodies) == 2  # answered: never retried as a transport failure
    assert sleeps == []


async def test_a_failed_probe_reopens_the_circuit(prompt, sleeps):
    clock = Clock()
    server = scripted(Answer(503, {"error": {}}))
    circuit = Circuit(threshold=1, cool_down=30, clock=clock)
    async with client_for(server, sleeps, circuit=circuit) as client:
        with pytest.raises(LLMUnavailable):
            await complete(client, prompt)
        clock.now += 31
        with pytest.raises(LLMUnavailable):
            await complete(client, prompt)
        with pytest.raises(CircuitOpen):
            await complete(client, prompt)


async def test_the_api_key_never_appears_in_errors_or_logs(prompt, sleeps, caplog):
    caplog.set_level(logging.DEBUG)

    def echo_key(body):
        return Answer(401, {"error": {"message": f"bad key {SECRET}"}})

    server = Recorder(echo_key)
    async with client_for(server, sleeps) as client:
        with pytest.raises(LLMRejected) as failed:
            await complete(client, prompt)
    assert server.authorizations == [f"Bearer {SECRET}"]
    assert SECRET not in str(failed.value)
    assert SECRET not in caplog.text
    assert SECRET not in repr(settings())


async def test_usage_is_counted_per_channel(prompt, sleeps):
    server = scripted(completion(REPLY, prompt_tokens=700, completion_tokens=120))
    async with client_for(server, sleeps) as client:
        await complete(client, prompt)
        await complete(client, prompt)
    assert client.usage == {"email": [1400, 240]}


def test_only_one_probe_passes_a_half_open_circuit_and_an_abandoned_one_is_replaced():
    clock = Clock()
    circuit = Circuit(threshold=1, cool_down=30, clock=clock)
    circuit.failed()
    clock.now += 31
    circuit.before_call()  # the probe
    with pytest.raises(CircuitOpen):
        circuit.before_call()
    circuit.abandoned()  # the probe was cancelled
    circuit.before_call()
    assert circuit.state == "half_open"
