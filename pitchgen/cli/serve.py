"""`pitchgen serve`: the HTTP API under uvicorn."""

from __future__ import annotations

import ipaddress

import typer

from pitchgen.errors import ConfigError

__all__ = ["UVICORN_OPTIONS", "is_loopback", "serve_command"]

UVICORN_OPTIONS = {
    "access_log": False,
    "server_header": False,
    "log_level": "info",
    # Forwarding headers are read by the app's guard, from PITCHGEN_TRUSTED_PROXIES only;
    # uvicorn's own reading would believe any X-Forwarded-For sent from 127.0.0.1.
    "proxy_headers": False,
    "forwarded_allow_ips": "",
    # Slow clients: an idle keep-alive connection closes after 5 s, a request's headers may
    # not grow past 16 KiB, and past 1,000 connections new requests get 503 at once rather than
    # memory running out. Bodies have a deadline in the app (PITCHGEN_BODY_TIMEOUT_SECONDS);
    # uvicorn has none for headers, which is a reverse proxy's job (see README, "Security").
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

    settings = read_settings()
    if not settings.api_keys and not is_loopback(host):
        raise ConfigError(
            f"refusing to serve on {host} without API keys: anyone who can reach it could read"
            " and approve drafts. Set PITCHGEN_API_KEYS (comma-separated keys), or serve on"
            " 127.0.0.1."
        )

    import uvicorn

    from pitchgen.server import create_app

    # Access logs cost about a third of the throughput, and would record every client's path.
    uvicorn.run(create_app(settings), host=host, port=port, **UVICORN_OPTIONS)
