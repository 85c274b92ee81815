"""Typed settings, read once from the environment (interfaces.md names the variables).

`Settings()` reads the environment as pydantic-settings did for this flat model, keywords
winning: each field from `PITCHGEN_<FIELD>` (or its one alias, the openai SDK's own variables),
names matched in any case, the price table as JSON; no .env file. That is a few lines over
pydantic, where pydantic-settings, which imports asyncio, argparse and its cloud sources, cost
`pitchgen draft` a sixth of its start-up."""

from __future__ import annotations

import json
import os
from functools import cache
from ipaddress import IPv4Network, IPv6Network
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_core import PydanticCustomError, core_schema

from pitchgen.errors import ConfigError, problems_from

__all__ = [
    "LOOPBACK_HOSTS",
    "MIN_KEY_LENGTH",
    "LLMMode",
    "LogFormat",
    "Price",
    "Settings",
    "get_settings",
]

LLMMode = Literal["auto", "live", "replay", "record", "off"]
LogFormat = Literal["json", "text"]
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
MIN_KEY_LENGTH = 16


def _default_database_url() -> str:
    from platformdirs import user_data_path

    return f"sqlite:///{user_data_path('pitchgen', ensure_exists=True) / 'pitchgen.db'}"


class Price(BaseModel):
    """What a model costs per million tokens, in the operator's own currency."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # inside Settings

    prompt: float = Field(ge=0)
    completion: float = Field(ge=0)

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        return (prompt_tokens * self.prompt + completion_tokens * self.completion) / 1_000_000


def _network(value: Any) -> IPv4Network | IPv6Network:
    try:
        return IPv4Network(value)
    except ValueError:
        pass
    try:
        return IPv6Network(value)
    except ValueError:
        raise PydanticCustomError(
            "ip_any_network", "value is not a valid IPv4 or IPv6 network"
        ) from None


class _AnyNetwork:
    """pydantic's `IPvAnyNetwork` written out (the same validation, error, serialization and
    schema): importing `pydantic.networks` for it cost every command about 2 ms."""

    @classmethod
    def __get_pydantic_core_schema__(cls, _source: Any, _handler: Any) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            _network, serialization=core_schema.to_string_ser_schema()
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, _schema: Any, _handler: Any) -> dict[str, str]:
        return {"type": "string", "format": "ipvanynetwork"}


class Settings(BaseModel):
    # Defaults are validated too: the allowed hosts' are normalized like any others.
    model_config = ConfigDict(extra="ignore", frozen=True, validate_default=True)

    openai_api_key: SecretStr | None = Field(default=None, validation_alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, validation_alias="OPENAI_BASE_URL")
    model: str = "gpt-4o-mini"
    llm: LLMMode = "auto"
    fixtures: Path = Path("fixtures/llm")
    llm_deadline_seconds: float = Field(default=30.0, gt=0)
    llm_temperature: float = Field(default=0.0, ge=0, le=2)
    llm_max_attempts: int = Field(default=4, ge=1, le=10)
    # A server asking us to wait longer than this is treated as down: the draft falls back.
    llm_retry_after_cap_seconds: float = Field(default=10.0, ge=0)
    llm_circuit_threshold: int = Field(default=5, ge=1)
    llm_circuit_cool_down_seconds: float = Field(default=30.0, gt=0)
    # Model calls in flight at once across a server's requests.
    llm_concurrency: int = Field(default=8, ge=1, le=256)
    # Batches (one ask to many partners): items drafted at once per process; where they run
    # (`auto`: the Procrastinate queue when the store is PostgreSQL, else in process); how long
    # a queue worker may be silent before its jobs are run again (above the longest model call).
    batch_concurrency: int = Field(default=4, ge=1, le=64)
    batch_runner: Literal["auto", "local", "queue"] = "auto"
    batch_stalled_seconds: float = Field(default=120.0, gt=0)

    # The operator's price table (PITCHGEN_PRICES, JSON: {"gpt-4o-mini": {"prompt": 0.15,
    # "completion": 0.6}} per million tokens); none by default, and never fetched.
    prices: dict[str, Price] = {}

    # Log lines: one per request and per model call, as JSON or as text for a person.
    log_format: LogFormat = "text"
    log_level: Literal["debug", "info", "warning", "error"] = "info"

    database_url: SecretStr | None = None
    api_keys: list[SecretStr] = []
    # The server's own protections (README, "Security"): every default is the safe one.
    rate_limit_per_second: float = Field(default=5.0, gt=0)
    rate_limit_burst: int = Field(default=60, ge=1)
    allowed_hosts: list[str] = list(LOOPBACK_HOSTS)
    trusted_proxies: list[_AnyNetwork] = []
    body_timeout_seconds: float = Field(default=10.0, gt=0)
    idempotency_window_hours: float = Field(default=24.0, gt=0)
    # Drafting to a partner asked within this many days warns (the over-asking guard).
    partner_ask_window_days: int = Field(default=90, ge=0, le=3650)

    smtp_host: str | None = None
    smtp_port: int | None = None
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_tls: Literal["none", "starttls", "tls"] = "starttls"
    # Seconds an SMTP server may take to accept a connection or answer one command, and to
    # finish the whole send; sends at once per server process (the rest queue).
    smtp_timeout_seconds: float = Field(default=20.0, gt=0, le=300)
    smtp_deadline_seconds: float = Field(default=60.0, gt=0, le=900)
    smtp_concurrency: int = Field(default=4, ge=1, le=64)

    # Follow-through (docs/follow-through.md): business days to the first follow-up after a
    # pitch and from the first to the second; business days before a commitment falls due
    # that its reminder is drafted; minutes between `follow run`s inside `pitchgen serve`
    # (0: never; run it from cron instead).
    follow_up_days: list[int] = [3, 5]
    reminder_days: int = Field(default=3, ge=0, le=30)
    follow_run_minutes: float = Field(default=0, ge=0, le=24 * 60)

    def __init__(self, **values: Any) -> None:
        super().__init__(**{**_environment(), **values})

    @field_validator("prices", mode="before")
    @classmethod
    def _json(cls, raw: object) -> object:
        if isinstance(raw, str):
            try:
                return json.loads(raw)
            except ValueError:
                raise ValueError('not JSON, e.g. {"gpt-4o-mini": {"prompt": 0.15, ...}}') from None
        return raw

    @field_validator("follow_up_days", mode="before")
    @classmethod
    def _two_numbers(cls, raw: object) -> object:
        if isinstance(raw, str):
            return [part.strip() for part in raw.split(",") if part.strip()]
        return raw

    @field_validator("follow_up_days")
    @classmethod
    def _two_gaps(cls, days: list[int]) -> list[int]:
        if len(days) != 2 or not all(1 <= d <= 30 for d in days):
            raise ValueError("two numbers of business days, each 1 to 30, e.g. 3,5")
        return days

    @field_validator("api_keys", "allowed_hosts", "trusted_proxies", mode="before")
    @classmethod
    def _comma_separated(cls, raw: object) -> object:
        # One variable holds every key: "key-one,key-two".
        if isinstance(raw, str):
            return [k.strip() for k in raw.split(",") if k.strip()]
        return raw

    @field_validator("allowed_hosts")
    @classmethod
    def _host_names(cls, hosts: list[str]) -> list[str]:
        from pitchgen.peers import host_name

        names = [host_name(h) for h in hosts]
        if not names or not all(names):
            raise ValueError("list host names, e.g. localhost,127.0.0.1,[::1],pitch.example.org")
        return names

    @property
    def short_keys(self) -> int:
        """How many keys are shorter than MIN_KEY_LENGTH. A right key always gets in, however
        many wrong ones came from its address before it: what stops guessing is the key's
        length, not the failed-key limit. The contract sets no length, so a short key is
        served with a warning rather than refused."""
        return sum(len(k.get_secret_value()) < MIN_KEY_LENGTH for k in self.api_keys)

    @property
    def llm_configured(self) -> bool:
        return self.openai_api_key is not None or self.openai_base_url is not None

    def price_for(self, model: str | None) -> Price | None:
        """The price of `model`: its own entry, else the longest entry it starts with (an
        endpoint reports `gpt-4o-mini-2024-07-18` for `gpt-4o-mini`); None when unpriced."""
        if not model or not self.prices:
            return None
        if model in self.prices:
            return self.prices[model]
        known = [name for name in self.prices if model.startswith(name)]
        return self.prices[max(known, key=len)] if known else None

    def store_url(self) -> str:
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return _default_database_url()


_SECRETS = frozenset({"OPENAI_API_KEY", "PITCHGEN_DATABASE_URL", "PITCHGEN_API_KEYS",
                      "PITCHGEN_SMTP_PASSWORD"})  # fmt: skip


def _key(name: str) -> str:
    """What a value for the field `name` is given as: its name, or its alias."""
    alias = Settings.model_fields[name].validation_alias
    return alias if isinstance(alias, str) else name


def _variable(key: str) -> str:
    """The environment variable behind a field's key (see `_key`)."""
    return key if key.isupper() else f"PITCHGEN_{key.upper()}"


def _environment() -> dict[str, str]:
    """The settings the environment holds, by key; variable names match in any case."""
    environ = {name.upper(): value for name, value in os.environ.items()}
    keys = (_key(name) for name in Settings.model_fields)
    return {key: environ[_variable(key)] for key in keys if _variable(key) in environ}


@cache
def get_settings() -> Settings:
    """The process's settings, read once; tests build their own `Settings(...)`.

    A bad variable is a ConfigError naming it, in one line; a secret's value is never shown."""
    try:
        return Settings()
    except ValidationError as exc:
        parts = []
        for problem, error in zip(problems_from(exc), exc.errors(), strict=True):
            variable = _variable(str(error["loc"][0]))
            # Our own validators (value_error) never repeat the value; pydantic's may.
            secret = variable in _SECRETS and error["type"] != "value_error"
            shown = "not valid" if secret else problem.message
            parts.append(f"{variable}: {shown}")
        raise ConfigError(f"invalid settings: {'; '.join(parts)}") from None
