"""`pitchgen serve`: the HTTP API under uvicorn."""

from __future__ import annotations

import ipaddress
from typing import Any

import typer

from pitchgen.errors import ConfigError

__all__ = ["is_loopback", "serve_command", "uvicorn_options"]


def uvicorn_options(
    header_seconds: float | None = None, write_seconds: float | None = None
) -> dict[str, Any]:
    """How `pitchgen serve` runs uvicorn (README, "Security")."""
    from pitchgen.server.deadlines import HEADER_SECONDS, WRITE_SECONDS, with_header_deadline

    return {
        "access_log": False,
        "server_header": False,
        "log_level": "info",
        # Forwarding headers are read by the app's guard, from PITCHGEN_TRUSTED_PROXIES only;
        # uvicorn's own reading would believe any X-Forwarded-For sent from 127.0.0.1.
        "proxy_headers": False,
        "forwarded_allow_ips": "",
        # Slow clients: a request's headers must arrive within 10 s, a response the client
        # stops reading is cut off after 30 s, an idle keep-alive
        # connection closes after 5 s, an unfinished request may not buffer past 16 KiB, and
        # past 1,000 connections new requests get 503 at once rather than memory running out.
        # Bodies have a deadline in the app (PITCHGEN_BODY_TIMEOUT_SECONDS).
        "http": with_header_deadline(
            header_seconds or HEADER_SECONDS, write_seconds or WRITE_SECONDS
        ),
        "timeout_keep_alive": 5,
        "h11_max_incomplete_event_size": 16 * 1024,
        "limit_concurrency": 1000,
    }


def is_loopback(host: str) -> bool:
    """Only addresses that cannot be reached from another machine; a name could resolve anywhere,
    so only `localhost` counts."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve_command(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
) -> None:
    """Serve the HTTP API. Beyond loopback only with PITCHGEN_API_KEYS set."""
    from pitchgen.cli.context import settings as read_settings
    from pitchgen.settings import MIN_KEY_LENGTH

    settings = read_settings()
    if not settings.api_keys and not is_loopback(host):
        raise ConfigError(
            f"refusing to serve on {host} without API keys: anyone who can reach it could read"
            " and approve drafts. Set PITCHGEN_API_KEYS (comma-separated keys), or serve on"
            " 127.0.0.1."
        )
    if settings.short_keys:
        typer.echo(
            f"warning: {settings.short_keys} of the API keys are shorter than {MIN_KEY_LENGTH}"
            " characters and could be guessed; use long random ones.",
            err=True,
        )

    import uvicorn

    from pitchgen.server import create_app

    # Access logs cost about a third of the throughput, and would record every client's path.
    uvicorn.run(create_app(settings), host=host, port=port, **uvicorn_options())
