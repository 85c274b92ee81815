"""Email addresses in an ask, validated as email-validator validates them, without paying for
its import where the address is plain.

email-validator compiles patterns over the whole of Unicode when it is imported, a large part
of `pitchgen draft`'s start-up. Almost every address is plain ASCII: dot-separated atoms of
letters, digits, `_`, `+` and `-`, at a domain of letter-digit-hyphen labels under a TLD of
letters. Such an address passes every rule email-validator applies without deliverability
checks (its length, no dots or hyphens at a label's edge, no `--` in third place, a period in
the domain, a TLD ending in a letter, no special-use domain), so it is accepted here as it is;
any other address, valid or not, goes to email-validator, which decides and says why.
tests/ask/test_addresses.py holds the two to the same answers.
"""

from __future__ import annotations

from pitchgen import patterns

__all__ = ["email_address", "is_plain_address"]

# The special-use and reserved names email-validator refuses (its SPECIAL_USE_DOMAIN_NAMES).
SPECIAL_USE = frozenset({"arpa", "invalid", "local", "localhost", "onion", "test"})
EMAIL_MAX_LENGTH = 254
DOMAIN_MAX_LENGTH = 253
_PLAIN = patterns.compile(
    r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?P<tld>[A-Za-z]{2,63})"
)


def is_plain_address(value: str) -> bool:
    """Whether `value` is a plain ASCII address that email-validator accepts as it is."""
    if len(value) > EMAIL_MAX_LENGTH or not (m := _PLAIN.fullmatch(value)):
        return False
    domain = value[value.index("@") + 1 :]
    return (
        len(domain) <= DOMAIN_MAX_LENGTH
        and "--" not in domain
        and m["tld"].lower() not in SPECIAL_USE
    )


def email_address(value: str) -> str:
    """`value` when it is a valid email address; ValueError says why it is not."""
    if is_plain_address(value):
        return value
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(f"not an email address: {value!r} ({exc})") from None
    return value
