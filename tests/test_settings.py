"""Settings come from the environment, read once; a bad variable is named in one line."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from pitchgen.cli import main
from pitchgen.errors import ConfigError
from pitchgen.settings import Settings, get_settings


def test_the_contract_variables_are_read(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:8765/v1")
    monkeypatch.setenv("PITCHGEN_MODEL", "SmolLM2-135M-Instruct")
    monkeypatch.setenv("PITCHGEN_LLM", "replay")
    monkeypatch.setenv("PITCHGEN_API_KEYS", " key-one-0123456789, key-two-0123456789 ,")
    settings = get_settings()
    assert settings.llm_configured
    assert (settings.model, settings.llm) == ("SmolLM2-135M-Instruct", "replay")
    assert [k.get_secret_value() for k in settings.api_keys] == [
        "key-one-0123456789",
        "key-two-0123456789",
    ]
    assert "key-one" not in repr(settings)


def test_the_security_variables_are_read(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PITCHGEN_ALLOWED_HOSTS", "Pitch.Example.org:443, [::1]")
    monkeypatch.setenv("PITCHGEN_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.1")
    settings = get_settings()
    assert settings.allowed_hosts == ["pitch.example.org", "[::1]"]
    assert [str(n) for n in settings.trusted_proxies] == ["10.0.0.0/8", "192.0.2.1/32"]


def test_a_bad_proxy_is_named(monkeypatch):
    monkeypatch.setenv("PITCHGEN_TRUSTED_PROXIES", "10.0.0.0/8,proxy.example")
    with pytest.raises(ConfigError) as caught:
        get_settings()
    assert caught.value.message.startswith("invalid settings: PITCHGEN_TRUSTED_PROXIES")


@pytest.mark.parametrize(
    "given",
    ["10.0.0.0/8", "192.0.2.1", "::1/128", "2001:db8::/32", "10.0.0.1/8", "proxy.example",
     "", "300.1.1.1", 5, 2**130, -1, b"1.2.3.4", None, 1.5, ("10.0.0.0", 8)],
)  # fmt: skip
def test_a_proxy_is_read_as_pydantics_ip_network_reads_it(given) -> None:
    # Settings spell out pydantic's IPvAnyNetwork (its module costs start-up): the same
    # networks, the same error, the same JSON.
    from pydantic import IPvAnyNetwork, TypeAdapter

    def outcome(read):
        try:
            return read()
        except ValidationError as exc:
            return [(e["type"], e["msg"]) for e in exc.errors()]

    theirs = TypeAdapter(list[IPvAnyNetwork])
    ours = outcome(lambda: Settings(trusted_proxies=[given]).trusted_proxies)
    assert ours == outcome(lambda: theirs.validate_python([given]))
    if not isinstance(ours[0], tuple):
        dumped = Settings(trusted_proxies=[given]).model_dump(mode="json")["trusted_proxies"]
        assert dumped == theirs.dump_python(ours, mode="json")
    schema = Settings.model_json_schema()["properties"]["trusted_proxies"]["items"]
    assert schema == theirs.json_schema()["items"]


def test_short_keys_are_counted_for_a_warning_not_refused(monkeypatch):
    monkeypatch.setenv("PITCHGEN_API_KEYS", "long-enough-key-0123,tiny-key")
    assert get_settings().short_keys == 1


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


def test_a_price_table_that_is_not_json_is_named(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PITCHGEN_PRICES", "gpt-4o-mini: 0.15")
    with pytest.raises(ConfigError) as caught:
        get_settings()
    assert caught.value.message.startswith("invalid settings: PITCHGEN_PRICES: not JSON")


def test_keywords_win_over_the_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PITCHGEN_LLM", "replay")
    monkeypatch.setenv("PITCHGEN_MODEL", "from-the-environment")
    settings = Settings(llm="off")
    assert (settings.llm, settings.model) == ("off", "from-the-environment")
