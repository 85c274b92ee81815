"""`pitchgen serve`: the HTTP API and the review pages under uvicorn, in one process or in
`--workers N` worker processes sharing the port."""

from __future__ import annotations

import ipaddress
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from pitchgen.errors import ConfigError

if TYPE_CHECKING:
    from pitchgen.settings import Settings

__all__ = ["is_loopback", "serve_command", "shutdown_seconds", "uvicorn_options"]

# prometheus_client's multiprocess mode, read by each worker when it imports the library.
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# What `--workers` hands its worker processes by name (a class made at run time cannot be).
PROTOCOLS = {
    "httptools": "pitchgen.server.deadlines:HttpToolsDeadlines",
    "h11": "pitchgen.server.deadlines:H11Deadlines",
}


def shutdown_seconds(settings: Settings) -> float:
    """How long a stopping server waits for the requests in flight: the longest a draft
    (the model's deadline) or a send (the SMTP deadline) may take, and a margin to store it."""
    return max(settings.llm_deadline_seconds, settings.smtp_deadline_seconds) + 10


def uvicorn_options(
    header_seconds: float | None = None,
    write_seconds: float | None = None,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """How `pitchgen serve` runs uvicorn (README, "Security" and "Deploying")."""
    import importlib.util

    from pitchgen.server.deadlines import HEADER_SECONDS, WRITE_SECONDS, with_header_deadline

    if header_seconds is None and write_seconds is None:
        fast = importlib.util.find_spec("httptools") is not None
        http: Any = PROTOCOLS["httptools" if fast else "h11"]
    else:
        header, write = header_seconds or HEADER_SECONDS, write_seconds or WRITE_SECONDS
        http = with_header_deadline(header, write)
    options: dict[str, Any] = {
        "access_log": False,
        "server_header": False,
        "log_level": "info",
        # uvloop when installed (`uvicorn[standard]`, the serve extra), else asyncio's loop.
        "loop": "auto",
        # Forwarding headers are read by the app's guard, from PITCHGEN_TRUSTED_PROXIES only;
        # uvicorn's own reading would believe any X-Forwarded-For sent from 127.0.0.1.
        "proxy_headers": False,
        "forwarded_allow_ips": "",
        # Slow clients: a request's headers must arrive within 10 s, a response the client
        # stops reading is cut off after 30 s, an idle keep-alive
        # connection closes after 5 s, a request line and headers may not pass 16 KiB (h11's
        # own limit; ours on httptools), and past 1,000 connections new requests get 503 at
        # once rather than memory running out.
        # Bodies have a deadline in the app (PITCHGEN_BODY_TIMEOUT_SECONDS).
        "http": http,
        "timeout_keep_alive": 5,
        "h11_max_incomplete_event_size": 16 * 1024,
        "limit_concurrency": 1000,
    }
    if settings is not None:
        from pitchgen.server.logs import log_config

        # SIGTERM: stop taking connections, let the requests in flight finish, then exit.
        options["timeout_graceful_shutdown"] = shutdown_seconds(settings)
        options["log_config"] = log_config(settings)
        options["log_level"] = settings.log_level
    return options


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
    port: int = typer.Option(
        8000, "--port", min=0, max=65535, help="Port to listen on (0: any free one)."
    ),
    workers: int = typer.Option(
        1,
        "--workers",
        min=1,
        max=64,
        help="Worker processes sharing the port (each with its own model client and store"
        " connections; about one per core).",
    ),
) -> None:
    """Serve the HTTP API and the review pages. Beyond loopback only with PITCHGEN_API_KEYS set.
    SIGTERM lets the requests in flight finish, then exits."""
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

    # Access logs would record every client's raw path; the guard writes one line per request.
    options = uvicorn_options(settings=settings) | {"host": host, "port": port}
    if workers == 1:
        from pitchgen.server import create_app

        uvicorn.run(create_app(settings), **options)
        return
    with _metrics_directory():
        # Each worker reads the same environment and builds the same app (`serve_app`).
        uvicorn.run("pitchgen.server:serve_app", factory=True, workers=workers, **options)


@contextmanager
def _metrics_directory() -> Iterator[None]:
    """Where the workers' metrics meet (prometheus_client's multiprocess mode): the operator's
    PROMETHEUS_MULTIPROC_DIR, emptied of a previous run's numbers, or a directory of our own."""
    given = os.environ.get(MULTIPROC_ENV)
    if given:
        for stale in Path(given).glob("*.db"):
            stale.unlink()
        yield
        return
    with tempfile.TemporaryDirectory(prefix="pitchgen-metrics-") as own:
        os.environ[MULTIPROC_ENV] = own
        try:
            yield
        finally:
            del os.environ[MULTIPROC_ENV]
