"""What the guard promises an operator beyond keys and headers: one client's wrong keys never
lock out another's right one, proxy headers are believed only from trusted proxies, the server
answers only to its own names, a trickled body is cut off, and the limiter stays small."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from pitchgen.cli.serve import uvicorn_options
from pitchgen.peers import Peers, host_name, limit_key
from pitchgen.server import create_app, guard
from pitchgen.server.limits import RateLimit, TokenBuckets
from pitchgen.settings import Settings

KEY, OTHER_KEY = "k-3a1f9e0c6b8d4f2a-first", "k-7d2e5b1a9c0f3e6d-second"
UNLIMITED = RateLimit(per_second=1e6, burst=1_000_000)
SUMMIT = {"ask": {}}  # any JSON body: the guard answers before validation matters


def client_for(app: FastAPI, peer: str = "203.0.113.7", host: str = "localhost:8610"):
    transport = httpx.ASGITransport(app=app, client=(peer, 5000))
    return httpx.AsyncClient(transport=transport, base_url=f"http://{host}")


def keyed_app(**settings: object) -> FastAPI:
    settings.setdefault("api_keys", f"{KEY},{OTHER_KEY}")
    return create_app(Settings(llm="off", **settings), rate_limit=UNLIMITED)


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def guess(client: httpx.AsyncClient, times: int, **headers: str) -> list[int]:
    statuses = []
    for n in range(times):
        response = await client.get("/v1/drafts", headers=bearer(f"guess-{n}") | headers)
        statuses.append(response.status_code)
    return statuses


# --- wrong keys and right ones -------------------------------------------------------------------


async def test_wrong_keys_from_an_address_never_lock_out_a_right_key() -> None:
    async with client_for(keyed_app()) as client:
        assert await guess(client, 12) == [401] * 10 + [429] * 2
        by_bearer = await client.get("/v1/drafts", headers=bearer(KEY))
        by_header = await client.get("/v1/drafts", headers={"X-API-Key": OTHER_KEY})
        still_guessing = await client.get("/v1/drafts", headers=bearer("guess-12"))
    assert (by_bearer.status_code, by_header.status_code) == (200, 200)
    assert still_guessing.status_code == 429


async def test_a_right_key_signs_in_to_the_review_page_after_others_guessed() -> None:
    async with client_for(keyed_app()) as client:
        await guess(client, 10)
        await client.get("/review/login")
        csrf = client.cookies["pitchgen_review_csrf"]
        wrong = await client.post("/review/login", data={"key": "guess-10", "csrf": csrf})
        right = await client.post("/review/login", data={"key": KEY, "csrf": csrf})
    assert wrong.status_code == 429
    assert right.status_code == 303 and "pitchgen_review_session" in right.cookies


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        (bearer("wrong-key-000000000") | {"X-API-Key": KEY}, 401),
        (bearer(KEY) | {"X-API-Key": "wrong-key-000000000"}, 401),
        (bearer(KEY) | {"X-API-Key": OTHER_KEY}, 401),
        (bearer(KEY) | {"X-API-Key": KEY}, 200),
        ({"Authorization": f"Basic {OTHER_KEY}", "X-API-Key": KEY}, 200),
    ],
    ids=["wrong-bearer", "wrong-x-api-key", "two-right-keys", "same-key-twice", "basic-ignored"],
)
async def test_every_key_a_request_sends_must_be_the_same_right_one(
    headers: dict, status: int
) -> None:
    async with client_for(keyed_app()) as client:
        assert (await client.get("/v1/drafts", headers=headers)).status_code == status


async def test_guessing_from_ever_new_loopback_addresses_is_one_client() -> None:
    app, statuses = keyed_app(), []
    for n in range(11):
        async with client_for(app, peer=f"127.0.{n}.{n + 2}") as client:
            statuses += await guess(client, 1)
    assert statuses == [401] * 10 + [429]


async def test_the_rate_and_burst_are_settings() -> None:
    app = create_app(
        Settings(llm="off", api_keys=KEY, rate_limit_per_second=0.001, rate_limit_burst=2)
    )
    async with client_for(app) as client:
        statuses = [
            (await client.get("/v1/drafts", headers=bearer(KEY))).status_code for _ in "abc"
        ]
    assert statuses == [200, 200, 429]


def test_the_limiter_table_stays_at_its_cap_however_many_addresses_come() -> None:
    buckets = TokenBuckets(RateLimit(per_second=1 / 60, burst=10), max_clients=10_000)
    for n in range(20_000):
        buckets.take(f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}", 0.0)
    assert len(buckets) == 10_000


def test_the_limiter_forgets_the_least_recently_seen_address_first() -> None:
    buckets = TokenBuckets(RateLimit(per_second=1 / 60, burst=1), max_clients=2)
    buckets.take("old", 0)
    buckets.take("limited", 0)
    buckets.take("old", 1)  # refused, and seen again
    buckets.take("new", 2)
    assert buckets.due("limited", 2) == 0  # forgotten
    assert buckets.due("old", 2) > 0 and buckets.due("new", 2) > 0


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("198.51.100.4", "198.51.100.4"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
        ("::ffff:198.51.100.4", "198.51.100.4"),
        ("unknown", "unknown"),
        # A local client may connect from any loopback address: all of them are one machine.
        ("127.0.0.1", "loopback"),
        ("127.0.3.9", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.2", "loopback"),
    ],
)
def test_a_client_is_limited_by_its_address_its_64_or_as_loopback(address: str, key: str) -> None:
    assert limit_key(address) == key


# --- proxies -------------------------------------------------------------------------------------

PROXY = "10.0.0.5"


@pytest.mark.parametrize(
    ("trusted", "peer", "headers", "client"),
    [
        ([], "127.0.0.1", [(b"x-forwarded-for", b"198.51.100.1")], "127.0.0.1"),
        (["10.0.0.0/8"], "192.0.2.9", [(b"x-forwarded-for", b"198.51.100.1")], "192.0.2.9"),
        (["10.0.0.0/8"], PROXY, [(b"x-forwarded-for", b"198.51.100.1")], "198.51.100.1"),
        # The client wrote the left part itself; the trusted proxy appended the right one.
        (["10.0.0.0/8"], PROXY, [(b"x-forwarded-for", b"1.2.3.4, 198.51.100.1")], "198.51.100.1"),
        (["10.0.0.0/8"], PROXY, [(b"x-forwarded-for", b"1.2.3.4, 198.51.100.1, 10.0.0.9")],
         "198.51.100.1"),
        (["10.0.0.0/8"], PROXY, [(b"x-forwarded-for", b"1.2.3.4"), (b"x-forwarded-for",
         b"198.51.100.1")], "198.51.100.1"),
        (["10.0.0.0/8"], PROXY, [(b"forwarded", b'for=1.2.3.4, for="[2001:db8::1]:4711"')],
         "2001:db8::1"),
        (["10.0.0.0/8"], PROXY, [(b"forwarded", b"for=198.51.100.1:80;proto=https")],
         "198.51.100.1"),
        (["10.0.0.0/8"], PROXY, [], PROXY),
    ],
)  # fmt: skip
def test_forwarding_headers_are_believed_from_trusted_proxies_only(
    trusted: list[str], peer: str, headers: list, client: str
) -> None:
    proxies = Settings(trusted_proxies=",".join(trusted)).trusted_proxies
    scope = {"client": (peer, 1234), "headers": headers, "scheme": "http"}
    assert Peers(proxies).resolve(scope) == client


def test_a_trusted_proxy_tells_the_scheme() -> None:
    proxies = Settings(trusted_proxies="10.0.0.0/8").trusted_proxies
    scope = {"client": (PROXY, 1), "headers": [(b"x-forwarded-proto", b"https")], "scheme": "http"}
    Peers(proxies).resolve(scope)
    untrusted = {"client": ("192.0.2.1", 1), "headers": scope["headers"], "scheme": "http"}
    Peers(proxies).resolve(untrusted)
    assert (scope["scheme"], untrusted["scheme"]) == ("https", "http")


async def test_behind_a_trusted_proxy_each_client_has_its_own_failed_key_limit() -> None:
    app = keyed_app(trusted_proxies="10.0.0.0/8")
    async with client_for(app, peer=PROXY) as client:
        first = await guess(client, 11, **{"X-Forwarded-For": "1.1.1.1, 198.51.100.1"})
        other = await guess(client, 1, **{"X-Forwarded-For": "198.51.100.1, 198.51.100.2"})
    assert first == [401] * 10 + [429]
    assert other == [401]


async def test_rotating_x_forwarded_for_from_an_untrusted_peer_changes_nothing() -> None:
    async with client_for(keyed_app(), peer="127.0.0.1") as client:
        statuses = [
            (await guess(client, 1, **{"X-Forwarded-For": f"198.51.100.{n}"}))[0] for n in range(11)
        ]
    assert statuses == [401] * 10 + [429]


def test_a_client_trickling_its_headers_is_disconnected(served: str) -> None:
    port = int(served.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as slow:
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")  # and nothing more
        assert slow.recv(1024) == b""  # closed by the server, unanswered
    with httpx.Client(base_url=served, timeout=10) as client:
        assert client.get("/healthz").status_code == 200  # a prompt client is served


@pytest.fixture
def served() -> Iterator[str]:
    """The keyed app under uvicorn with `pitchgen serve`'s options, on a loopback port."""
    app = keyed_app()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    server = uvicorn.Server(uvicorn.Config(app, **uvicorn_options(header_seconds=0.2)))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]})
    thread.start()
    try:
        yield f"http://localhost:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join()
        sock.close()


BIG = 16 * 1024 * 1024  # more than any socket buffers hold, so the server has to wait


async def big_response(scope: dict, receive: object, send) -> None:
    headers = [(b"content-length", str(BIG).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"x" * BIG})


def test_a_client_that_stops_reading_its_response_is_disconnected() -> None:
    options = uvicorn_options(write_seconds=0.2) | {"log_level": "warning", "lifespan": "off"}
    server = uvicorn.Server(uvicorn.Config(big_response, **options))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]})
    thread.start()
    try:
        with socket.socket() as stalled:
            stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            stalled.connect(sock.getsockname())
            stalled.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
            # The client reads nothing; the server gives up on it rather than wait forever.
            assert eventually(lambda: server.server_state.connections)
            assert eventually(lambda: not server.server_state.connections)
            assert len(read_all(stalled)) < BIG
    finally:
        server.should_exit = True
        thread.join()
        sock.close()


def eventually(condition, seconds: float = 10.0) -> bool:
    """Polls `condition` until it holds (True) or `seconds` pass (False)."""
    tick = threading.Event()
    for _ in range(int(seconds / 0.02)):
        if condition():
            return True
        tick.wait(0.02)
    return bool(condition())


def read_all(conn: socket.socket) -> bytes:
    received = b""
    try:
        while chunk := conn.recv(1 << 16):
            received += chunk
    except ConnectionResetError:
        pass
    return received


def test_a_request_framed_two_ways_is_refused_and_ends_its_connection(served: str) -> None:
    port = int(served.rsplit(":", 1)[1])
    smuggled = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(
            b"POST /v1/recommendation HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: application/json\r\nContent-Length: 44\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled
        )
        answers = read_all(conn)
    # One answer, and the request a proxy reading Content-Length would not see is never served.
    assert answers.startswith(b"HTTP/1.1 400 ")
    assert answers.count(b"HTTP/1.1 ") == 1


def test_pitchgen_serve_does_not_let_uvicorn_believe_x_forwarded_for(served: str) -> None:
    with httpx.Client(base_url=served, timeout=10) as client:
        statuses = [
            client.get(
                "/v1/drafts",
                headers=bearer(f"guess-{n}") | {"X-Forwarded-For": f"198.51.100.{n}"},
            ).status_code
            for n in range(11)
        ]
    assert statuses == [401] * 10 + [429]


# --- the server's names --------------------------------------------------------------------------

REBIND = "rebind.attacker.example:8610"


async def test_a_dns_rebinding_page_cannot_act_through_a_keyless_server() -> None:
    app = create_app(Settings(llm="off"), rate_limit=UNLIMITED)
    origin = {"Origin": f"http://{REBIND}"}
    async with client_for(app, peer="127.0.0.1", host=REBIND) as client:
        created = await client.post("/v1/drafts", json=SUMMIT, headers=origin)
        listed = await client.get("/v1/drafts")
        page = await client.get("/review")
    assert (created.status_code, listed.status_code, page.status_code) == (400, 400, 400)
    assert created.headers["content-type"] == "application/problem+json"
    assert "PITCHGEN_ALLOWED_HOSTS" in created.json()["detail"]
    assert page.headers["content-type"].startswith("text/plain")


async def test_a_wrong_host_is_refused_with_a_right_key_too() -> None:
    async with client_for(keyed_app(), host=REBIND) as client:
        response = await client.get("/v1/drafts", headers=bearer(KEY))
    assert response.status_code == 400


@pytest.mark.parametrize(
    "host", ["localhost", "localhost:8610", "127.0.0.1:1", "[::1]:8000", "LOCALHOST."]
)
async def test_the_loopback_names_are_served_on_any_port(host: str) -> None:
    async with client_for(create_app(Settings(llm="off")), host=host) as client:
        assert (await client.get("/v1/drafts")).status_code == 200


async def test_the_allowed_hosts_are_a_setting() -> None:
    app = create_app(Settings(llm="off", api_keys=KEY, allowed_hosts="pitch.example.org"))
    async with client_for(app, host="pitch.example.org") as ours:
        served = await ours.get("/healthz")
    async with client_for(app, host="localhost") as loopback:
        refused = await loopback.get("/healthz")
    assert (served.status_code, refused.status_code) == (200, 400)


async def test_a_page_on_another_port_of_an_allowed_host_is_another_site() -> None:
    app = create_app(Settings(llm="off"), rate_limit=UNLIMITED)
    async with client_for(app, host="localhost:8610") as client:
        response = await client.post(
            "/v1/drafts", json=SUMMIT, headers={"Origin": "http://localhost:3000"}
        )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("header", "name"),
    [("Example.ORG:443", "example.org"), ("[::1]", "[::1]"), ("::1", "[::1]"), ("a:b", ""),
     ("[::1]x", ""), ("example.org:", "")],
)  # fmt: skip
def test_host_names(header: str, name: str) -> None:
    assert host_name(header) == name


# --- slow bodies ---------------------------------------------------------------------------------


async def test_a_body_trickled_past_the_deadline_is_cut_off_with_408() -> None:
    app = create_app(Settings(llm="off", body_timeout_seconds=0.05), rate_limit=UNLIMITED)
    never = asyncio.Event()

    async def trickle() -> AsyncIterator[bytes]:
        yield b'{"ask": '
        await never.wait()  # the rest never comes

    async with client_for(app) as client:
        response = await asyncio.wait_for(
            client.post(
                "/v1/drafts", content=trickle(), headers={"content-type": "application/json"}
            ),
            timeout=10,
        )
    assert response.status_code == 408
    assert response.headers["connection"] == "close"
    assert response.headers["content-type"] == "application/problem+json"


def _secured_one_at_a_time(headers: list, request_id: str, protected: bool) -> list:
    """The security headers as the guard added them before it added them in one step."""
    names = {name.lower() for name, _ in headers}
    headers = headers + [h for h in guard._HEADERS if h[0] not in names]
    headers.append((b"x-request-id", request_id.encode()))
    if b"content-security-policy" not in names:
        headers.append(guard._CSP)
    if protected and b"cache-control" not in names:
        headers.append(guard._NO_STORE)
    return headers


_SET_BY_APPS = [(b"X-Frame-Options", b"SAMEORIGIN"), (b"content-security-policy", b"default-src"),
                (b"Cache-Control", b"max-age=60"), (b"referrer-policy", b"origin"),
                (b"x-content-type-options", b"nosniff")]  # fmt: skip


@pytest.mark.parametrize("protected", [True, False])
@pytest.mark.parametrize("mask", range(2 ** len(_SET_BY_APPS)))
def test_the_security_headers_an_app_did_not_set_are_added_each_once(protected, mask) -> None:
    own = [(b"content-type", b"application/json")]
    own += [h for i, h in enumerate(_SET_BY_APPS) if mask >> i & 1]
    headers = list(own)
    guard._secure(headers, "req-1", protected)
    assert headers == _secured_one_at_a_time(own, "req-1", protected)
