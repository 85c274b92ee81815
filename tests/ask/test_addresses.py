"""Plain addresses are accepted without email-validator only where it accepts them too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import example, given
from hypothesis import strategies as st

from pitchgen.ask.addresses import email_address, is_plain_address

ROOT = Path(__file__).resolve().parents[2]


def library_accepts(value: str) -> bool:
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


# Addresses near the edges of the plain form: dots, hyphens, "--", special-use and numeric
# TLDs, long labels, characters just outside it.
_label = st.text(alphabet="abAZ09-_.+", min_size=0, max_size=8)
_tld = st.sampled_from(["org", "com", "io", "test", "local", "Localhost", "arpa", "c", "x1",
                        "onion", "invalid", "ORG", "co", ""])  # fmt: skip
addresses = st.one_of(
    st.builds(
        lambda local, labels, tld: f"{local}@{'.'.join([*labels, tld])}",
        _label,
        st.lists(_label, min_size=0, max_size=4),
        _tld,
    ),
    st.from_regex(r"\A[A-Za-z0-9_+.-]{1,10}@([A-Za-z0-9-]{0,8}\.){1,4}[A-Za-z0-9]{0,6}\Z"),
    st.text(alphabet='ab.-_@+é"<> 1', max_size=20),
)


@given(addresses)
@example("ana@example.org")
@example("a-b@xy--z.org")
@example("a@xn--bcher-kva.org")
@example("a@-b.org")
@example("a@b-.org")
@example(".a@b.org")
@example("a.@b.org")
@example("a..b@c.org")
@example("a@b.test")
@example("a@" + "b" * 63 + ".org")
@example("a@" + "b" * 64 + ".org")
@example("a@" + ".".join(["b" * 60] * 5) + ".org")
@example("a" * 250 + "@b.org")
def test_a_plain_address_is_one_email_validator_accepts(value: str) -> None:
    if is_plain_address(value):
        assert library_accepts(value), value


@pytest.mark.parametrize("value", ["Ana.Ruiz+pitch@Coalition-Example.org", "a_b@c.d.io"])
def test_common_addresses_are_plain(value: str) -> None:
    assert is_plain_address(value)
    assert email_address(value) == value


@pytest.mark.parametrize("value", ["ana@bücher.de", "o'brien@example.org"])
def test_other_valid_addresses_still_pass_through_email_validator(value: str) -> None:
    assert not is_plain_address(value)
    assert email_address(value) == value


@pytest.mark.parametrize("value", ["ana@localhost", "ana@example", "ana..ruiz@example.org"])
def test_invalid_addresses_say_why(value: str) -> None:
    with pytest.raises(ValueError, match="not an email address"):
        email_address(value)


def test_loading_an_ask_with_plain_addresses_never_imports_email_validator() -> None:
    code = (
        "import sys; from pitchgen.ask import load_ask;"
        "load_ask('fixtures/asks/summit-venue.yaml');"
        "print('email_validator' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "False"
