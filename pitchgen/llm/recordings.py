"""Recorded LLM exchanges: one JSON file per exchange in `fixtures/llm/`.

Each file holds the exact request body sent to `/chat/completions` and the exact response
body received (a body that was not JSON, a gateway's page say, as a JSON string of its
text), so any OpenAI-compatible replay server could serve them. No headers are stored, so
no API key can leak into a fixture.

A file is named `<prefix>-<key>.json`, where the key hashes the canonical request: the body
without the model name (a fixture set recorded from one model replays under any configured
model; the draft names the model that answered) and with the structured-output request
reduced to its schema (a server that needed `json_object` mode answered the same question
as one that took `json_schema`). Recorded files are prefixed by channel; hand-written ones
by `synthetic-`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pitchgen.errors import ReplayMiss

__all__ = [
    "Fixture",
    "FixtureMissing",
    "FixtureStore",
    "ask_in_request",
    "canonical_request",
    "miss_message",
    "request_key",
]

FORMAT = 1
KEY_LENGTH = 16
_ASK_BLOCK = re.compile(r"<ask_data>\n(.*?)\n</ask_data>", re.DOTALL)


class FixtureMissing(AssertionError):
    """A replay miss under a strict store (the test suite): the test fails, naming the fix."""


def canonical_request(body: dict[str, Any]) -> dict[str, Any]:
    canonical = {k: v for k, v in body.items() if k != "model"}
    fmt = body.get("response_format")
    if isinstance(fmt, dict):
        schema = fmt.get("json_schema", {}).get("schema") or fmt.get("schema")
        canonical["response_format"] = {"schema": schema}
    return canonical


def request_key(body: dict[str, Any]) -> str:
    text = json.dumps(
        canonical_request(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(text.encode()).hexdigest()[:KEY_LENGTH]


def ask_in_request(body: dict[str, Any]) -> dict[str, Any] | None:
    """The ask the request was drafted from (its data block), or None if it holds none."""
    for message in body.get("messages", []):
        found = _ASK_BLOCK.search(message.get("content") or "")
        if message.get("role") == "user" and found:
            return json.loads(found.group(1))["ask"]
    return None


def miss_message(channel: str, key: str) -> str:
    return (
        f"no recorded LLM exchange for {channel} (key {key}) in the fixtures; record it with"
        f" `pitchgen fixtures record ASK_FILE --channel {channel}` against a live endpoint"
    )


@dataclass(frozen=True)
class Fixture:
    path: Path
    key: str
    channel: str
    prompt_version: str
    note: str
    request: dict[str, Any]
    status: int
    response: Any

    @property
    def synthetic(self) -> bool:
        return self.path.name.startswith("synthetic-")


def _load(path: Path) -> Fixture:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Fixture(
        path=path,
        key=data["key"],
        channel=data["channel"],
        prompt_version=data["prompt_version"],
        note=data.get("note", ""),
        request=data["request"],
        status=data["status"],
        response=data["response"],
    )


class FixtureStore:
    """The fixtures folder: looked up by key, written in record mode.

    `strict` turns a miss into `FixtureMissing` (a failed test) instead of `ReplayMiss` (a
    template fallback). `served` and `missed` collect the lookups, `written` the recordings,
    for `pitchgen fixtures`. `prefix` and `note`, when given, name and describe what is
    written (hand-written synthetic exchanges, say) instead of the recorder's defaults.
    """

    def __init__(
        self,
        folder: Path,
        *,
        strict: bool = False,
        prefix: str | None = None,
        note: str | None = None,
    ) -> None:
        self.folder = Path(folder)
        self.strict = strict
        self.prefix = prefix
        self.note = note
        self.served: set[str] = set()
        self.missed: set[tuple[str, str]] = set()
        self.written: list[Path] = []
        self._index = {
            path.stem.rsplit("-", 1)[-1]: path for path in sorted(self.folder.glob("*.json"))
        }

    def __len__(self) -> int:
        return len(self._index)

    def find(self, body: dict[str, Any]) -> Fixture | None:
        key = request_key(body)
        path = self._index.get(key)
        if path is None:
            return None
        self.served.add(key)
        return _load(path)

    def lookup(self, body: dict[str, Any], channel: str) -> Fixture:
        key = request_key(body)
        path = self._index.get(key)
        if path is None:
            self.missed.add((channel, key))
            if self.strict:
                raise FixtureMissing(miss_message(channel, key))
            raise ReplayMiss(miss_message(channel, key))
        self.served.add(key)
        return _load(path)

    def all(self) -> list[Fixture]:
        return [_load(path) for path in self._index.values()]

    def write(
        self,
        *,
        prefix: str,
        channel: str,
        prompt_version: str,
        note: str,
        request: dict[str, Any],
        status: int,
        response: Any,
    ) -> Path:
        key = request_key(request)
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{self.prefix or prefix}-{key}.json"
        for older in self.folder.glob(f"*-{key}.json"):
            older.unlink()
        record = {
            "format": FORMAT,
            "key": key,
            "channel": channel,
            "prompt_version": prompt_version,
            "note": self.note or note,
            "request": request,
            "status": status,
            "response": response,
        }
        path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        self._index[key] = path
        self.written.append(path)
        return path
