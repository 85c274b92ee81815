"""Who is asking, and by which name: the client's address (through trusted proxies only), the
`Host` a request names, and the key a failed-key or per-address limit counts under.

A proxy header is a claim anyone can make. It is believed only when the connection itself comes
from an address in `PITCHGEN_TRUSTED_PROXIES`, and then read from the right: each trusted proxy
appends the address it saw, so the first untrusted hop from the right is the one no client
could have written.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable, MutableMapping
from typing import Any

__all__ = ["Peers", "host_name", "limit_key"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
_SCHEMES = {"http", "https"}


@functools.lru_cache(maxsize=1024)
def host_name(host: str) -> str:
    """The name in a `Host` header or an allow-list entry, lower case, without port or final
    dot ("" when it is not a host at all): `[::1]:8000` → `[::1]`, `LocalHost.:80` → `localhost`."""
    host = host.strip().lower()
    if host.startswith("["):
        end = host.find("]")
        rest = host[end + 1 :] if end > 0 else "x"
        return host[: end + 1] if rest == "" or (rest[:1] == ":" and rest[1:].isdigit()) else ""
    name, colon, port = host.rpartition(":")
    if colon:
        if not port.isdigit() or ":" in name:
            # A bare IPv6 address names itself only in brackets; anything else is malformed.
            return _bracketed(host)
        host = name
    return host.removesuffix(".")


def _bracketed(host: str) -> str:
    try:
        return f"[{ipaddress.IPv6Address(host)}]"
    except ValueError:
        return ""


@functools.lru_cache(maxsize=4096)
def limit_key(address: str) -> str:
    """What a per-address limit counts under: the address, or for IPv6 its /64, which one
    subscriber usually holds whole (one address each would give them 2^64 fresh budgets).
    Every loopback address is this one machine: a local client can connect from any of the
    16 million in 127.0.0.0/8, so they share one budget."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "loopback"
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def _address(text: str) -> Address | None:
    text = text.strip().strip('"')
    if text.startswith("["):  # Forwarded: for="[2001:db8::1]:4711"
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:  # an IPv4 address with a port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


class Peers:
    """The proxies whose forwarding headers are believed (none by default)."""

    def __init__(self, trusted: Iterable[Network]) -> None:
        self._trusted = tuple(trusted)

    def _trusts(self, address: Address | None) -> bool:
        return address is not None and any(address in net for net in self._trusted)

    def resolve(self, scope: MutableMapping[str, Any]) -> str:
        """The client's address; behind a trusted proxy, also puts the forwarded client and
        scheme into `scope`, so cookies and URLs see what the client used."""
        client = scope.get("client")
        peer = client[0] if client else "unknown"
        if not self._trusted or not self._trusts(_address(peer)):
            return peer
        hops, schemes = _forwarded(scope["headers"])
        found = peer
        for hop in reversed(hops):
            address = _address(hop)
            found = str(address) if address is not None else hop.strip()[:64]
            if not self._trusts(address):
                break
        if schemes and schemes[-1] in _SCHEMES:
            scope["scheme"] = schemes[-1]
        scope["client"] = (found, 0)
        return found


def _forwarded(headers: Iterable[tuple[bytes, bytes]]) -> tuple[list[str], list[str]]:
    """The `for` hops and `proto` values, left to right, from `Forwarded` (RFC 7239) when
    present, else from `X-Forwarded-For` and `X-Forwarded-Proto`; every header line counts."""
    rfc: list[str] = []
    xff: list[str] = []
    xfp: list[str] = []
    for name, value in headers:
        text = value.decode("latin-1")
        if name == b"forwarded":
            rfc.extend(text.split(","))
        elif name == b"x-forwarded-for":
            xff.extend(text.split(","))
        elif name == b"x-forwarded-proto":
            xfp.extend(p.strip().lower() for p in text.split(","))
    if not rfc:
        return [h for h in xff if h.strip()], xfp
    hops, schemes = [], []
    for element in rfc:
        pairs = dict(_pair(p) for p in element.split(";") if "=" in p)
        if "for" in pairs:
            hops.append(pairs["for"])
        if "proto" in pairs:
            schemes.append(pairs["proto"].strip('"').lower())
    return hops, schemes


def _pair(text: str) -> tuple[str, str]:
    name, _, value = text.partition("=")
    return name.strip().lower(), value.strip()
