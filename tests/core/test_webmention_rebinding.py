"""DNS rebinding: a name that answers a public address when it is checked and 127.0.0.1 when it
is connected to. The endpoint rule resolves a name once per hop, checks every address, and
connects to exactly the checked one (Host header and TLS server name stay the name's).

The resolver is injected (`resolver=`), answering differently on each call; a loopback server
stands where a rebinding would lead. A vetted public address is never really dialled: the
request to it goes to a recording transport (`transport=`), as the tests have no internet."""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from blogtui.core.comments.webmention_endpoint import (
    Address,
    EndpointRefused,
    Vetted,
    guarded_request,
    pinned_client,
    pinned_request,
    vet,
)

PUBLIC = "93.184.216.34"


class Flipping:
    """A resolver answering `answers[n]` on its n-th call (the last one from then on)."""

    def __init__(self, *answers: list[str]) -> None:
        self.answers = [[ipaddress.ip_address(a) for a in answer] for answer in answers]
        self.calls: list[tuple[str, int]] = []

    async def __call__(self, host: str, port: int) -> list[Address]:
        self.calls.append((host, port))
        return self.answers[min(len(self.calls), len(self.answers)) - 1]


class Loopback:
    """A server on 127.0.0.1 recording (method, path, Host header) of every request."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, str]] = []
        seen = self.seen

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                seen.append((self.command, self.path, self.headers.get("Host", "")))
                self.send_response(202)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    server = Loopback()
    try:
        yield server
    finally:
        server.close()


class Recording(httpx.AsyncBaseTransport):
    """Where requests would have been connected to: their URL, Host header, TLS server name."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(202, content=b"accepted")


async def test_public_then_loopback_goes_to_the_vetted_public_address(client, loopback):
    resolver = Flipping([PUBLIC], ["127.0.0.1"])
    recording = Recording()
    url = f"http://rebind.example:{loopback.port}/webmention"
    answer = await guarded_request(client, "POST", url, loopback_ok=True, form={"a": "b"},
                                   resolver=resolver, transport=recording)  # fmt: skip
    assert answer.status == 202 and answer.url == url
    assert resolver.calls == [("rebind.example", loopback.port)]  # resolved once
    [sent] = recording.requests
    assert (sent.url.host, sent.url.port) == (PUBLIC, loopback.port)
    assert sent.headers["host"] == f"rebind.example:{loopback.port}"
    assert loopback.seen == []


async def test_loopback_then_public_is_refused_before_any_connection(client, loopback):
    resolver = Flipping(["127.0.0.1"], [PUBLIC])
    url = f"http://rebind.example:{loopback.port}/webmention"
    with pytest.raises(EndpointRefused, match=r"private address \(127\.0\.0\.1\)"):
        await guarded_request(client, "POST", url, loopback_ok=True, form={"a": "b"},
                              resolver=resolver)  # fmt: skip
    assert len(resolver.calls) == 1 and loopback.seen == []


async def test_an_answer_with_one_private_address_among_public_ones_is_refused(client, loopback):
    resolver = Flipping([PUBLIC, "127.0.0.1"])
    url = f"http://rebind.example:{loopback.port}/webmention"
    with pytest.raises(EndpointRefused, match="private address"):
        await guarded_request(client, "GET", url, loopback_ok=True, resolver=resolver)
    assert loopback.seen == []


async def test_each_redirect_hop_is_resolved_once_and_pinned(client, loopback):
    """The endpoint (a loopback literal the reader chose) redirects to a rebinding name."""
    resolver = Flipping([PUBLIC], ["127.0.0.1"])
    recording = Recording()

    class Redirecting(Recording):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.host == "127.0.0.1":
                headers = {"Location": f"https://rebind.example:{loopback.port}/wm"}
                return httpx.Response(307, headers=headers)
            return await recording.handle_async_request(request)

    url = f"http://127.0.0.1:{loopback.port}/webmention"
    answer = await guarded_request(client, "POST", url, loopback_ok=True, form={"a": "b"},
                                   resolver=resolver, transport=Redirecting())  # fmt: skip
    assert answer.url == f"https://rebind.example:{loopback.port}/wm"
    [sent] = recording.requests
    assert (sent.url.scheme, sent.url.host) == ("https", PUBLIC)
    assert sent.headers["host"] == f"rebind.example:{loopback.port}"
    assert sent.extensions["sni_hostname"] == "rebind.example"  # TLS checks the name
    assert len(resolver.calls) == 1 and loopback.seen == []


async def test_a_pinned_request_reaches_exactly_the_vetted_address(client, loopback):
    """Through a real socket: the name is not resolved again; the address given is dialled, and
    the server sees the name in Host."""
    vetted = Vetted(
        f"http://nowhere.invalid:{loopback.port}/wm?x=1", ipaddress.ip_address("127.0.0.1")
    )
    async with pinned_client(client) as http:
        response = await http.send(pinned_request(http, "POST", vetted, form={"a": "b"}))
    assert response.status_code == 202
    assert loopback.seen == [("POST", "/wm?x=1", f"nowhere.invalid:{loopback.port}")]


async def test_vet_pins_literals_and_resolves_a_name_once() -> None:
    resolver = Flipping([PUBLIC], ["127.0.0.1"])
    named = await vet("https://blog.example/wm", loopback_ok=False, resolver=resolver)
    assert str(named.address) == PUBLIC and resolver.calls == [("blog.example", 443)]
    literal = await vet("http://[::1]:9/wm", loopback_ok=True, resolver=resolver)
    assert str(literal.address) == "::1" and len(resolver.calls) == 1
    with pytest.raises(EndpointRefused, match="on this machine"):
        await vet("http://127.0.0.1:9/wm", loopback_ok=False, resolver=resolver)


async def test_a_resolver_that_fails_or_answers_nothing_is_refused() -> None:
    async def failing(host: str, port: int) -> list[Address]:
        raise OSError("no such host")

    with pytest.raises(EndpointRefused, match="cannot be found"):
        await vet("https://gone.example/wm", loopback_ok=False, resolver=failing)
    with pytest.raises(EndpointRefused, match="has no address"):
        await vet("https://empty.example/wm", loopback_ok=False, resolver=Flipping([]))
