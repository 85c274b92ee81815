"""Settings come from the environment, read once; a bad variable is named in one line."""

from __future__ import annotations

import pytest

from pitchgen.cli import main
from pitchgen.errors import ConfigError
from pitchgen.settings import get_settings


def test_the_contract_variables_are_read(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:8765/v1")
    monkeypatch.setenv("PITCHGEN_MODEL", "SmolLM2-135M-Instruct")
    monkeypatch.setenv("PITCHGEN_LLM", "replay")
    monkeypatch.setenv("PITCHGEN_API_KEYS", " key-one, key-two ,")
    settings = get_settings()
    assert settings.llm_configured
    assert (settings.model, settings.llm) == ("SmolLM2-135M-Instruct", "replay")
    assert [k.get_secret_value() for k in settings.api_keys] == ["key-one", "key-two"]
    assert "key-one" not in repr(settings)


def test_every_bad_variable_is_named_in_one_line(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PITCHGEN_LLM", "sometimes")
    monkeypatch.setenv("PITCHGEN_SMTP_PORT", "abc")
    monkeypatch.setenv("PITCHGEN_LLM_DEADLINE_SECONDS", "-1")
    with pytest.raises(ConfigError) as caught:
        get_settings()
    assert caught.value.message == (
        "invalid settings: PITCHGEN_LLM: must be one of 'auto', 'live', 'replay', 'record' or"
        " 'off' (got 'sometimes'); PITCHGEN_LLM_DEADLINE_SECONDS: must be more than 0.0"
        " (got '-1'); PITCHGEN_SMTP_PORT: not a number: 'abc'"
    )


def test_the_cli_reports_bad_settings_as_one_line_and_exit_1(monkeypatch, capsys):
    monkeypatch.setenv("PITCHGEN_SMTP_TLS", "sometimes")
    code = main(["draft", "fixtures/asks/summit-venue.yaml", "--no-save"])
    assert code == 1
    assert capsys.readouterr().err == (
        "error: invalid settings: PITCHGEN_SMTP_TLS: must be one of 'none', 'starttls' or"
        " 'tls' (got 'sometimes')\n"
    )
