"""Typed settings, read once from the environment (interfaces.md names the variables)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AliasChoices,
    Field,
    IPvAnyNetwork,
    SecretStr,
    ValidationError,
    field_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from pitchgen.errors import ConfigError, problems_from

__all__ = ["LOOPBACK_HOSTS", "MIN_KEY_LENGTH", "LLMMode", "Settings", "get_settings"]

LLMMode = Literal["auto", "live", "replay", "record", "off"]
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
MIN_KEY_LENGTH = 16


def _default_database_url() -> str:
    from platformdirs import user_data_path

    return f"sqlite:///{user_data_path('pitchgen', ensure_exists=True) / 'pitchgen.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PITCHGEN_", extra="ignore", frozen=True)

    openai_api_key: SecretStr | None = Field(default=None, validation_alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, validation_alias="OPENAI_BASE_URL")
    model: str = Field(
        default="gpt-4o-mini", validation_alias=AliasChoices("PITCHGEN_MODEL", "model")
    )
    llm: LLMMode = Field(default="auto", validation_alias=AliasChoices("PITCHGEN_LLM", "llm"))
    fixtures: Path = Field(
        default=Path("fixtures/llm"), validation_alias=AliasChoices("PITCHGEN_FIXTURES", "fixtures")
    )
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

    database_url: SecretStr | None = None
    api_keys: Annotated[list[SecretStr], NoDecode] = []
    # The server's own protections (README, "Security"): every default is the safe one.
    rate_limit_per_second: float = Field(default=5.0, gt=0)
    rate_limit_burst: int = Field(default=60, ge=1)
    allowed_hosts: Annotated[list[str], NoDecode] = list(LOOPBACK_HOSTS)
    trusted_proxies: Annotated[list[IPvAnyNetwork], NoDecode] = []
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
    follow_up_days: Annotated[list[int], NoDecode] = [3, 5]
    reminder_days: int = Field(default=3, ge=0, le=30)
    follow_run_minutes: float = Field(default=0, ge=0, le=24 * 60)

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

    def store_url(self) -> str:
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return _default_database_url()


_SECRETS = frozenset({"OPENAI_API_KEY", "PITCHGEN_DATABASE_URL", "PITCHGEN_API_KEYS",
                      "PITCHGEN_SMTP_PASSWORD"})  # fmt: skip


def _variable(name: str) -> str:
    """The environment variable behind a field name or alias in a validation error."""
    if name not in Settings.model_fields:
        return name  # already the alias, which is the variable
    alias = Settings.model_fields[name].validation_alias
    if isinstance(alias, AliasChoices):
        alias = alias.choices[0]
    return alias if isinstance(alias, str) else f"PITCHGEN_{name.upper()}"


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
