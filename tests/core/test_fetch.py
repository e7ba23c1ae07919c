"""fetch() against a real HTTP server on 127.0.0.1 (tests/feedserver.py)."""

from __future__ import annotations

import socket
import time
import tracemalloc
import zlib
from email.utils import formatdate

import httpx
import pytest
from feedserver import FeedServer, Response, gzipped

from blogtui.core.errors import FeedError
from blogtui.core.feeds.client import USER_AGENT, make_client
from blogtui.core.feeds.fetch import (
    FetchResult,
    HTTPStatusError,
    fetch,
    parse_retry_after,
)

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'


async def get(client: httpx.AsyncClient, url: str, **options: object) -> FetchResult:
    return await fetch(client, url, **options)  # type: ignore[arg-type]


async def test_200_gives_body_validators_and_lowercased_headers(feed_server, client):
    url = feed_server.route(
        "/feed",
        body=FEED,
        headers={"ETag": '"v1"', "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"},
    )
    result = await get(client, url)
    assert (result.status, result.body, result.not_modified) == (200, FEED, False)
    assert result.url == result.final_url == url and result.permanent_url == ""
    assert result.etag == '"v1"' and result.last_modified == "Mon, 01 Jan 2024 00:00:00 GMT"
    assert result.headers["etag"] == '"v1"'
    sent = feed_server.requests_to("/feed")[0].headers
    assert sent["user-agent"] == USER_AGENT and USER_AGENT.startswith("blogtui/")
    assert sent["accept-encoding"] == "gzip, deflate"
    assert "if-none-match" not in sent and "if-modified-since" not in sent


async def test_conditional_get_and_304(feed_server, client):
    url = feed_server.route("/feed", [Response(body=FEED, headers={"ETag": '"v1"'}), Response(304)])
    first = await get(client, url)
    second = await get(client, url, etag=first.etag, last_modified="Mon, 01 Jan 2024 00:00:00 GMT")
    assert second.not_modified and second.status == 304 and second.body == b""
    sent = feed_server.requests_to("/feed")[1].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Mon, 01 Jan 2024 00:00:00 GMT"


async def test_non_ascii_validators_are_never_sent(feed_server, client):
    url = feed_server.route("/feed", body=FEED, headers={"ETag": '"ok"'})
    await get(client, url, etag='"grüße"', last_modified="Mon,\n01 Jan")
    sent = feed_server.requests_to("/feed")[0].headers
    assert "if-none-match" not in sent and "if-modified-since" not in sent


@pytest.mark.parametrize("first,second,permanent", [(301, 308, True), (301, 302, False)])
async def test_redirect_chain(feed_server, client, first, second, permanent):
    feed_server.redirect("/a", "/b", first)
    feed_server.redirect("/b", feed_server.url("/feed"), second)
    url = feed_server.route("/feed", body=FEED)
    result = await get(client, feed_server.url("/a"))
    assert result.status == 200 and result.final_url == url and result.body == FEED
    assert result.permanent_url == (url if permanent else "")


@pytest.mark.parametrize("status", [302, 303, 307])
async def test_temporary_redirects_are_not_permanent(feed_server, client, status):
    start = feed_server.redirect("/old", "/feed", status)
    feed_server.route("/feed", body=FEED)
    result = await get(client, start)
    assert result.final_url == feed_server.url("/feed") and result.permanent_url == ""


async def test_validators_go_to_every_hop(feed_server, client):
    feed_server.redirect("/old", "/feed", 308)
    feed_server.route("/feed", status=304)
    result = await get(client, feed_server.url("/old"), etag='"e"')
    assert result.not_modified
    assert feed_server.requests_to("/feed")[0].headers["if-none-match"] == '"e"'


async def test_redirect_loop(feed_server, client):
    feed_server.redirect("/a", "/b")
    feed_server.redirect("/b", "/a")
    with pytest.raises(FeedError, match="^redirect loop$"):
        await get(client, feed_server.url("/a"))


async def test_too_many_redirects(feed_server, client):
    for hop in range(7):
        feed_server.redirect(f"/{hop}", f"/{hop + 1}", 302)
    feed_server.route("/7", body=FEED)
    with pytest.raises(FeedError, match="too many redirects"):
        await get(client, feed_server.url("/0"), max_hops=5)
    assert (await get(client, feed_server.url("/2"), max_hops=5)).body == FEED


@pytest.mark.parametrize(
    "target,scheme",
    [("file:///etc/passwd", "file"), ("ftp://127.0.0.1/x", "ftp"), ("gopher://h/", "gopher")],
)
async def test_redirect_to_unsupported_scheme(feed_server, client, target, scheme):
    url = feed_server.redirect("/r", target, 302)
    with pytest.raises(FeedError, match=f"^redirect to unsupported scheme '{scheme}'$"):
        await get(client, url)


@pytest.mark.parametrize("target", ["data:,hi", "javascript:alert(1)", "mailto:a@b.c"])
async def test_redirect_to_opaque_url(feed_server, client, target):
    url = feed_server.redirect("/r", target, 302)
    with pytest.raises(FeedError, match="^redirect to an invalid or unsupported URL"):
        await get(client, url)


async def test_410_is_a_result(feed_server, client):
    result = await get(client, feed_server.route("/gone", status=410, body=b"bye"))
    assert result.status == 410 and result.body == b""


@pytest.mark.parametrize(
    "value,expected",
    [("120", 120.0), ("5", 60.0), ("999999999", 86400.0), ("soon", None), (None, None)],
)
@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after(feed_server, client, status, value, expected):
    headers = {"Retry-After": value} if value else {}
    result = await get(client, feed_server.route("/busy", status=status, headers=headers))
    assert result.status == status and result.retry_after == expected


async def test_retry_after_http_date(feed_server, client):
    when = formatdate(time.time() + 600, usegmt=True)
    result = await get(
        client, feed_server.route("/busy", status=429, headers={"Retry-After": when})
    )
    assert result.retry_after is not None and 590 <= result.retry_after <= 601


def test_parse_retry_after_edges():
    now = 1_700_000_000.0
    assert parse_retry_after(formatdate(now - 3600, usegmt=True), now) == 60.0
    assert parse_retry_after(formatdate(now + 7200, usegmt=True), now) == 7200.0
    assert parse_retry_after("-5", now) is None and parse_retry_after("1.5", now) is None
    assert parse_retry_after("Mon, 99 Foo 2024", now) is None
    assert parse_retry_after("\u00b2", now) is None and parse_retry_after("\u0663", now) is None


@pytest.mark.parametrize("status,text", [(404, "HTTP 404 Not Found"), (500, "HTTP 500")])
async def test_error_statuses_raise(feed_server, client, status, text):
    with pytest.raises(HTTPStatusError, match=f"^{text}") as caught:
        await get(client, feed_server.route("/x", status=status, body=b"oops"))
    assert caught.value.status == status and isinstance(caught.value, FeedError)


async def test_slow_drip_fails_at_the_deadline(feed_server, client):
    url = feed_server.route("/slow", body=FEED, drip=0.2)
    start = time.monotonic()
    with pytest.raises(FeedError, match=r"^timed out after 1\.5 s$"):
        await get(client, url, deadline=1.5)
    assert 1.4 <= time.monotonic() - start < 2.5


async def test_endless_body_is_capped(feed_server, client):
    url = feed_server.route("/endless", endless=True)
    with pytest.raises(FeedError, match="^body larger than 256 KB$"):
        await get(client, url, max_bytes=256 * 1024)


async def test_oversize_content_length_is_refused_before_reading(feed_server, client):
    url = feed_server.route("/big", body=b"x" * (2 * 2**20 + 1))
    with pytest.raises(FeedError, match="^body larger than 2 MB$"):
        await get(client, url, max_bytes=2 * 2**20)
    assert len((await get(client, url, max_bytes=3 * 2**20)).body) == 2 * 2**20 + 1


@pytest.mark.parametrize(
    "encoding,encode",
    [
        ("gzip", gzipped),
        ("x-gzip", gzipped),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as IIS sent it
        ("identity", lambda data: data),
        ("GZIP", lambda data: gzipped(data[:50]) + gzipped(data[50:])),  # two members
    ],
)
async def test_content_encodings(feed_server, client, encoding, encode):
    url = feed_server.route("/z", body=encode(FEED), headers={"Content-Encoding": encoding})
    assert (await get(client, url)).body == FEED


async def test_gzip_bomb_stops_at_the_cap_quickly_and_small(feed_server, client):
    url = feed_server.route("/bomb", gzip_bomb=16 * 2**20)
    tracemalloc.start()
    start = time.monotonic()
    try:
        with pytest.raises(FeedError, match="^body larger than 1 MB$"):
            await get(client, url, max_bytes=2**20)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - start < 2.0
    assert peak < 8 * 2**20


@pytest.mark.parametrize(
    "header,message",
    [
        ("gzip, gzip", "stacked Content-Encoding 'gzip, gzip' is not supported"),
        ("br", "unknown Content-Encoding 'br'"),
        ("compress", "unknown Content-Encoding 'compress'"),
    ],
)
async def test_refused_encodings(feed_server, client, header, message):
    url = feed_server.route("/z", body=gzipped(gzipped(FEED)), headers={"Content-Encoding": header})
    with pytest.raises(FeedError, match=f"^{message}$"):
        await get(client, url)


async def test_truncated_and_corrupt_gzip(feed_server, client):
    truncated = feed_server.route(
        "/t", body=gzipped(FEED * 50)[:60], headers={"Content-Encoding": "gzip"}
    )
    corrupt = feed_server.route("/c", body=b"not gzip at all", headers={"Content-Encoding": "gzip"})
    with pytest.raises(FeedError, match="^gzip body is truncated$"):
        await get(client, truncated)
    with pytest.raises(FeedError, match="^bad gzip data"):
        await get(client, corrupt)


async def test_cannot_connect(client):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FeedError, match="^cannot connect: "):
        await get(client, f"http://127.0.0.1:{port}/feed", deadline=5)


async def test_unsupported_url_scheme(client):
    with pytest.raises(FeedError, match="unsupported URL scheme 'file'"):
        await get(client, "file:///etc/passwd")


async def test_loopback_bypasses_environment_proxies(feed_server, monkeypatch):
    dead = "http://127.0.0.1:9"  # nothing listens on the discard port
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, dead)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    url = feed_server.route("/feed", body=FEED)
    async with make_client(2) as http:
        assert (await fetch(http, url)).body == FEED
        assert (await fetch(http, url.replace("127.0.0.1", "localhost"))).body == FEED


async def test_keep_alive_reuses_connections_for_304(feed_server, client):
    url = feed_server.route("/feed", status=304)
    for _ in range(5):
        assert (await get(client, url, etag='"x"')).not_modified
    requests = feed_server.requests_to("/feed")
    assert len(requests) == 5 and len({r.client_port for r in requests}) == 1


def test_feed_server_is_standalone():
    server = FeedServer()
    try:
        assert httpx.get(server.route("/x", body=b"ok")).text == "ok"
    finally:
        server.close()


@pytest.mark.parametrize(
    ("content_type", "body", "text", "media_type"),
    [
        ("text/html; charset=ISO-8859-1", "Grüße".encode("latin-1"), "Grüße", "text/html"),
        (
            'Application/XHTML+xml; Charset="utf-8"',
            "Grüße".encode(),
            "Grüße",
            "application/xhtml+xml",
        ),
        ("text/html; charset=no-such-codec", "Grüße".encode(), "Grüße", "text/html"),
        ("", b"caf\xe9", "caf\ufffd", ""),
    ],
)
def test_a_result_reads_as_text_in_the_charset_it_names(content_type, body, text, media_type):
    headers = {"content-type": content_type} if content_type else {}
    result = FetchResult(200, "http://x/", "http://x/", body=body, headers=headers)
    assert (result.text, result.media_type) == (text, media_type)
