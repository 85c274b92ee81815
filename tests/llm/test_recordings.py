"""Recorded exchanges: record writes the exact bodies (and never a key), replay serves them with
no network, and a miss says which channel, which key, and how to record it."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from fake_openai import Answer, FakeOpenAI, Recorder, completion

from pitchgen.ask import Channel, load_ask
from pitchgen.errors import ReplayMiss
from pitchgen.llm.client import LLMClient
from pitchgen.llm.prompts import build_prompt
from pitchgen.llm.recordings import FixtureMissing, FixtureStore, ask_in_request, request_key
from pitchgen.settings import Settings

ASKS = Path(__file__).resolve().parents[2] / "fixtures" / "asks"
SECRET = "sk-test-never-in-a-fixture"
REPLY = {"subject": "A room for the summit", "body": "Hello"}


@pytest.fixture
def prompt():
    return build_prompt(load_ask(ASKS / "summit-venue.yaml"), Channel.email)


async def complete(client: LLMClient, prompt):
    deadline = asyncio.get_running_loop().time() + 30
    return await client.complete(prompt, prompt.messages, deadline=deadline)


def record(tmp_path: Path, prompt) -> tuple[Recorder, Path]:
    with FakeOpenAI(lambda body: completion(REPLY, model="recorded-model")) as server:
        settings = Settings(OPENAI_API_KEY=SECRET, OPENAI_BASE_URL=server.base_url, model="m")

        async def run():
            store = FixtureStore(tmp_path)
            async with LLMClient(settings, mode="record", store=store) as client:
                await complete(client, prompt)

        asyncio.run(run())
    return server.recorder, next(tmp_path.glob("*.json"))


def test_record_writes_the_exact_exchange_and_no_secret(tmp_path, prompt):
    server, path = record(tmp_path, prompt)
    saved = json.loads(path.read_text())
    assert saved["request"] == server.bodies[0]
    assert saved["response"] == completion(REPLY, model="recorded-model")
    assert saved["status"] == 200
    assert saved["channel"] == "email"
    assert saved["prompt_version"] == prompt.version
    assert path.name == f"email-{request_key(server.bodies[0])}.json"
    assert SECRET not in path.read_text()
    assert "authorization" not in path.read_text().lower()


def test_replay_serves_a_recording_with_no_network(tmp_path, prompt):
    record(tmp_path, prompt)
    # No base URL and no key: replay never opens a connection.
    settings = Settings(model="another-model")

    async def run():
        store = FixtureStore(tmp_path, strict=True)
        async with LLMClient(settings, mode="replay", store=store) as client:
            return await complete(client, prompt), store

    reply, store = asyncio.run(run())
    assert json.loads(reply.text) == REPLY
    assert reply.model == "recorded-model"
    assert len(store.served) == 1


@pytest.mark.parametrize(
    ("strict", "error"), [(False, ReplayMiss), (True, FixtureMissing)], ids=["cli", "tests"]
)
def test_a_miss_names_channel_key_and_the_command_to_record_it(tmp_path, prompt, strict, error):
    async def run():
        store = FixtureStore(tmp_path, strict=strict)
        async with LLMClient(Settings(), mode="replay", store=store) as client:
            await complete(client, prompt)

    with pytest.raises(error) as missed:
        asyncio.run(run())
    key = request_key(LLMClient.body_for(prompt, "json_schema", Settings()))
    message = str(missed.value)
    assert "email" in message
    assert key in message
    assert "pitchgen fixtures record" in message


def test_the_key_ignores_the_model_and_how_structured_output_is_spelled(prompt):
    settings = Settings(model="a")
    schema_body = LLMClient.body_for(prompt, "json_schema", settings)
    object_body = LLMClient.body_for(prompt, "json_object", Settings(model="b"))
    assert request_key(schema_body) == request_key(object_body)
    other = build_prompt(load_ask(ASKS / "summit-venue.yaml"), Channel.call_script)
    assert request_key(LLMClient.body_for(other, "json_schema", settings)) != request_key(
        schema_body
    )


def test_the_ask_can_be_read_back_from_a_request(prompt):
    body = LLMClient.body_for(prompt, "json_object", Settings())
    ask = ask_in_request(body)
    assert ask is not None
    assert ask["partner"]["organization"] == "Main Street Business Alliance"


def test_a_reply_that_is_not_json_is_recorded_as_text_and_replayed_as_received(tmp_path, prompt):
    page = "<html><body>502 Bad Gateway</body></html>"
    with FakeOpenAI(lambda body: Answer(200, page)) as server:
        settings = Settings(OPENAI_BASE_URL=server.base_url, model="m")

        async def run(mode):
            async with LLMClient(settings, mode=mode, store=FixtureStore(tmp_path)) as client:
                return await complete(client, prompt)

        recorded = asyncio.run(run("record"))
    (saved,) = FixtureStore(tmp_path).all()
    assert saved.response == page
    replayed = asyncio.run(run("replay"))
    assert replayed == recorded
    assert replayed.text == page
    assert replayed.problem == "the reply is not JSON"
