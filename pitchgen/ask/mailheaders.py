"""Address headers (From, To) built from ask text with the email package's address objects,
and parsed back before use: a header that does not read back as exactly the one mailbox we
meant is never written.

Python's folder drops the quotes around a long display name when it folds it, so a name with a
comma or a quote could turn into extra recipients. A header that would not survive its own
folding is written with the name as RFC 2047 encoded words instead, which carry every special
character encoded; if even that does not read back, the name is refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pitchgen import patterns

if TYPE_CHECKING:
    from email.headerregistry import Address, Group
    from email.policy import EmailPolicy

__all__ = ["FORBIDDEN", "address_header", "header_name_problem"]

# Characters that make a name read as an address, or that quoting must escape: no name needs
# them, and a reader shown `"Ann" <evil@example>` as a name would be misled even when quoted.
FORBIDDEN = frozenset('<>"@\\')
_PROBE_DOMAIN = "example.invalid"
# Words of letters and digits (any script), apostrophes and hyphens, between single spaces: atoms
# that need no quoting, so folding anywhere keeps one name. Most names are this, and proving it
# costs microseconds where the email package's parse-back costs milliseconds and its import
# a large part of `pitchgen draft`'s start-up.
_PLAIN = patterns.compile(r"(?:[^\W_]|['’-])+(?: (?:[^\W_]|['’-])+)*")
# With a stop or a comma ("Dr. Hannah Weiss, PhD") the name is quoted, which is safe while the
# name fits on the header's first line: only a fold inside it drops the quotes.
_SHORT_PUNCTUATED = patterns.compile(r"(?:[^\W_]|['’.,-])+(?: (?:[^\W_]|['’.,-])+)*")
_UNFOLDED = 40


def header_name_problem(name: str) -> str | None:
    """Why `name` cannot be a display name in an email header, or None."""
    if found := sorted(FORBIDDEN & set(name)):
        shown = ", ".join(found)
        return f"cannot contain {shown}: in an email header it would read as part of an address"
    if _PLAIN.fullmatch(name) or (len(name) <= _UNFOLDED and _SHORT_PUNCTUATED.fullmatch(name)):
        return None
    from email import policy as policies

    for field in ("From", "To"):
        if (
            address_header(field, " ".join(name.split()), "probe", _PROBE_DOMAIN, policies.SMTP)
            is None
        ):
            return "cannot be written as one email header address; shorten or simplify it"
    return None


def address_header(
    field: str, name: str, username: str | None, domain: str | None, policy: EmailPolicy
) -> str | None:
    """`field`'s folded value ("Name <user@domain>", or the group "Name:;" without an address),
    or None when no form of it reads back as exactly that one mailbox."""
    from email.header import Header
    from email.headerregistry import Address, Group

    mailbox = Group(name, ()) if username is None else Address(name, username, domain)
    header = policy.header_factory(field, mailbox)
    folded = header.fold(policy=policy)
    if _reads_back(field, folded, mailbox, policy):
        return folded.split(":", 1)[1].strip()
    encoded = Header(name, "utf-8", header_name=field).encode(linesep=policy.linesep)
    # The address on a line of its own: the message is written with refold_source="none", so
    # this value goes out exactly as checked here.
    plain = (
        f"{encoded}:;" if username is None else f"{encoded}{policy.linesep} <{mailbox.addr_spec}>"
    )
    if _reads_back(field, f"{field}: {plain}{policy.linesep}", mailbox, policy):
        return plain
    return None


def _reads_back(field: str, folded: str, mailbox: Address | Group, policy: EmailPolicy) -> bool:
    from email import policy as policies
    from email.headerregistry import Group
    from email.parser import Parser

    try:
        parsed = Parser(policy=policies.default).parsestr(folded + policy.linesep)[field]
    except Exception:  # the parser's own errors on a header it cannot make sense of
        return False
    if parsed is None or len(parsed.groups) != 1:
        return False
    (group,) = parsed.groups
    if isinstance(mailbox, Group):
        return not group.addresses and _same(group.display_name, mailbox.display_name)
    if group.display_name is not None or len(group.addresses) != 1:
        return False
    (found,) = group.addresses
    return found.addr_spec == mailbox.addr_spec and _same(found.display_name, mailbox.display_name)


def _same(a: str | None, b: str | None) -> bool:
    # Whitespace never changes which mailboxes a header names, and Python 3.11 reads a space
    # into the fold between two encoded words.
    return "".join((a or "").split()) == "".join((b or "").split())
