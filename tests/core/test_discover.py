"""Feed discovery against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
import pytest_asyncio

from blogtui.core.errors import DiscoveryError
from blogtui.core.feeds.client import make_client
from blogtui.core.feeds.discover import (
    Discovered,
    fallback_urls,
    find_feed_links,
    looks_like_comments,
    normalize_url,
)
from blogtui.core.feeds.discover import discover_feed as discover

on_module_loop = pytest.mark.asyncio(loop_scope="module")
"""Network tests share the module's event loop, so they can share one client."""

RSS = "application/rss+xml; charset=utf-8"
HTML = "text/html; charset=utf-8"


def rss(title: str, link: str = "http://blog.example/") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>{link}</link><description>d</description><item><title>Hello</title>"
        f"<link>{link}hello</link><guid>{link}hello</guid></item></channel></rss>"
    ).encode()


def atom(title: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{title}</title><id>urn:x</id><updated>2024-01-01T00:00:00Z</updated>"
        '<link rel="alternate" href="http://atom.example/"/>'
        "<entry><title>E</title><id>urn:e</id><updated>2024-01-01T00:00:00Z</updated>"
        '<link href="http://atom.example/e"/></entry></feed>'
    ).encode()


def page(head: str, body: str = "<p>Hello</p>") -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode()


@dataclass(frozen=True)
class Route:
    """One answer of the test server."""

    status: int
    kind: str
    body: bytes
    location: str = ""
    delay: float = 0.0


@dataclass
class Site:
    """What the test server serves, by path with query, and the paths it was asked for."""

    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    base: str = ""

    def add(self, path: str, body: bytes, kind: str = HTML, status: int = 200, **extra) -> str:
        self.routes[path] = Route(status, kind, body, **extra)
        return self.base + path

    def redirect(self, path: str, to: str, status: int) -> str:
        return self.add(path, b"", "text/plain", status, location=to)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        site: Site = self.server.site  # type: ignore[attr-defined]
        site.requests.append(self.path)
        route = site.routes.get(self.path, Route(404, "text/plain", b"not found"))
        time.sleep(route.delay)
        try:
            self.send_response(route.status)
            self.send_header("Content-Type", route.kind)
            self.send_header("Content-Length", str(len(route.body)))
            if route.location:
                self.send_header("Location", route.location)
            self.end_headers()
            self.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up first (the deadline test)

    def log_message(self, *_args: object) -> None:
        """Keep test output quiet."""


@pytest.fixture
def site() -> Iterator[Site]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.site = Site(base=f"http://127.0.0.1:{server.server_address[1]}")  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server.site  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def client() -> AsyncIterator[httpx.AsyncClient]:
    """One client for the module: building one (its TLS context) takes a noticeable while."""
    async with make_client(4) as http:
        yield http


@on_module_loop
async def test_feed_url_is_the_feed(site: Site, client: httpx.AsyncClient) -> None:
    url = site.add("/feed.xml", rss("Posts", f"{site.base}/"), RSS)
    assert await discover(client, url) == Discovered(url, "Posts", f"{site.base}/")
    assert site.requests == ["/feed.xml"]


@on_module_loop
async def test_permanent_redirect_gives_the_new_url(site: Site, client: httpx.AsyncClient) -> None:
    feed = site.add("/new.xml", rss("Moved"), RSS)
    old = site.redirect("/old.xml", "/new.xml", 301)
    assert (await discover(client, old)).feed_url == feed


@on_module_loop
async def test_temporary_redirect_keeps_the_given_url(
    site: Site, client: httpx.AsyncClient
) -> None:
    site.add("/new.xml", rss("Moved"), RSS)
    given = site.redirect("/now.xml", "/new.xml", 302)
    assert (await discover(client, given)).feed_url == given


@on_module_loop
async def test_links_resolve_against_the_redirected_page(
    site: Site, client: httpx.AsyncClient
) -> None:
    home = site.redirect("/", "/blog/", 302)
    site.add("/blog/", page('<link rel="alternate" type="application/rss+xml" href="rss">'))
    feed = site.add("/blog/rss", rss("Blog"), RSS)
    assert await discover(client, home) == Discovered(feed, "Blog", "http://blog.example/")


@on_module_loop
async def test_posts_feed_preferred_over_comments_listed_first(
    site: Site, client: httpx.AsyncClient
) -> None:
    head = (
        '<link rel="alternate" type="application/rss+xml" title="Blog &raquo; Comments Feed"'
        f' href="{site.base}/comments/feed/">'
        '<link rel="alternate" type="application/rss+xml" title="Hello Comments Feed"'
        f' href="{site.base}/2024/hello/feed/">'
        '<link rel="alternate" type="application/rss+xml" title="Blog &raquo; Feed"'
        f' href="{site.base}/feed/">'
    )
    home = site.add("/", page(head))
    site.add("/comments/feed/", rss("Comments for Blog"), RSS)
    site.add("/2024/hello/feed/", rss("Comments on: Hello"), RSS)
    feed = site.add("/feed/", rss("Blog"), RSS)
    found = await discover(client, home)
    assert found == Discovered(feed, "Blog", "http://blog.example/")
    assert site.requests == ["/", "/feed/"]


@on_module_loop
async def test_only_comment_feeds_still_gives_one(site: Site, client: httpx.AsyncClient) -> None:
    head = '<link rel="alternate" type="application/rss+xml" href="/comments/feed/">'
    home = site.add("/", page(head))
    comments = site.add("/comments/feed/", rss("Comments for Blog"), RSS)
    assert (await discover(client, home)).feed_url == comments


@on_module_loop
async def test_relative_hrefs_and_several_rel_tokens(site: Site, client: httpx.AsyncClient) -> None:
    head = '<link rel="Alternate home" type="Application/Atom+XML; charset=utf-8" href="atom.xml">'
    home = site.add("/blog/", page(head))
    feed = site.add("/blog/atom.xml", atom("Atomic"), "application/atom+xml")
    assert await discover(client, home) == Discovered(feed, "Atomic", "http://atom.example/")


@on_module_loop
async def test_base_href_resolves_links(site: Site, client: httpx.AsyncClient) -> None:
    head = (
        '<link rel="alternate" type="application/rss+xml" href="rss.xml"><base href="/elsewhere/">'
    )
    home = site.add("/blog/index.html", page(head))
    feed = site.add("/elsewhere/rss.xml", rss("Based"), RSS)
    assert (await discover(client, home)).feed_url == feed


@on_module_loop
async def test_fallback_to_feed_path(site: Site, client: httpx.AsyncClient) -> None:
    home = site.add("/", page("<title>No links</title>"))
    feed = site.add("/feed/", rss("Guessed", f"{site.base}/"), RSS)
    assert await discover(client, home) == Discovered(feed, "Guessed", f"{site.base}/")


@on_module_loop
async def test_fallback_to_query_feed(site: Site, client: httpx.AsyncClient) -> None:
    home = site.add("/", page("<title>No links</title>"))
    feed = site.add("/?feed=rss2", rss("Plain permalinks"), RSS)
    assert (await discover(client, home)).feed_url == feed
    assert site.requests == ["/", "/feed/", "/?feed=rss2"]


@on_module_loop
async def test_fallback_under_page_path_first(site: Site, client: httpx.AsyncClient) -> None:
    page_url = site.add("/blog", page("<title>Blog in a folder</title>"))
    site.add("/feed/", rss("Root site"), RSS)
    feed = site.add("/blog/feed/", rss("The blog"), RSS)
    assert (await discover(client, page_url)).feed_url == feed


@on_module_loop
async def test_broken_link_falls_back(site: Site, client: httpx.AsyncClient) -> None:
    head = '<link rel="alternate" type="application/rss+xml" href="/gone.xml">'
    home = site.add("/", page(head))
    feed = site.add("/feed/", rss("Fallback"), RSS)
    assert (await discover(client, home)).feed_url == feed


@on_module_loop
async def test_broken_link_is_named(site: Site, client: httpx.AsyncClient) -> None:
    head = '<link rel="alternate" type="application/rss+xml" href="/gone.xml">'
    home = site.add("/", page(head))
    with pytest.raises(
        DiscoveryError, match=r"the page links to .*/gone\.xml, which failed: HTTP 404"
    ):
        await discover(client, home)


@on_module_loop
async def test_page_without_feed(site: Site, client: httpx.AsyncClient) -> None:
    home = site.add("/", page("<title>Nothing</title>"))
    site.add("/feed/", page("<title>Catch-all</title>"))
    with pytest.raises(DiscoveryError) as caught:
        await discover(client, home)
    assert str(caught.value) == (
        f"no feed found at {home} (looked for <link rel=alternate>, /feed/, /?feed=rss2)"
    )


@pytest.mark.parametrize(
    "kind, body",
    [("image/png", b"\x89PNG\r\n\x1a\n" + bytes(64)), ("application/json", b'{"a": [1, 2]}')],
)
@on_module_loop
async def test_non_feed_response(
    site: Site, client: httpx.AsyncClient, kind: str, body: bytes
) -> None:
    url = site.add("/thing", body, kind)
    with pytest.raises(DiscoveryError, match=f"not a feed or a web page .*{kind}"):
        await discover(client, url)
    assert site.requests == ["/thing"]


@on_module_loop
async def test_http_error(site: Site, client: httpx.AsyncClient) -> None:
    url = site.add("/broken", b"oops", "text/plain", status=500)
    with pytest.raises(DiscoveryError, match="500"):
        await discover(client, url)


@on_module_loop
async def test_gone_page(site: Site, client: httpx.AsyncClient) -> None:
    url = site.add("/gone", b"", "text/plain", status=410)
    with pytest.raises(DiscoveryError, match=f"cannot fetch {url}: HTTP 410 Gone"):
        await discover(client, url)


@on_module_loop
async def test_overall_deadline(site: Site, client: httpx.AsyncClient) -> None:
    home = site.add("/", page("<title>No links</title>"))
    site.add("/feed/", rss("Slow"), RSS, delay=1.0)
    with pytest.raises(DiscoveryError, match="timed out|gave up"):
        await discover(client, home, deadline=0.5)


@on_module_loop
async def test_unreachable_host(client: httpx.AsyncClient) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(DiscoveryError, match="cannot connect to 127.0.0.1"):
        await discover(client, f"http://127.0.0.1:{port}/")


@pytest.mark.parametrize(
    "url, message",
    [
        ("", "no URL given"),
        ("   ", "no URL given"),
        ("ftp://example.org/feed", "unsupported scheme 'ftp'; give an http or https URL"),
        ("mailto:me@example.org", "unsupported scheme 'mailto'"),
        ("javascript:alert(1)", "unsupported scheme 'javascript'"),
        ("http:///feed", "no host name"),
        ("https://exa mple.org/", "spaces or control characters"),
        ("https://example.org/\x00", "spaces or control characters"),
        ("https://example.org:99999/", "bad port"),
        ("https://xn--/", "bad host name"),
        ("http://[::1/", "invalid URL 'http://\\[::1/': Invalid IPv6 URL"),
    ],
)
@on_module_loop
async def test_invalid_urls(client: httpx.AsyncClient, url: str, message: str) -> None:
    with pytest.raises(DiscoveryError, match=message):
        await discover(client, url)


@pytest.mark.parametrize(
    "url, expected",
    [
        ("example.org/blog", "https://example.org/blog"),
        ("  example.org  ", "https://example.org"),
        ("localhost:8080/feed", "https://localhost:8080/feed"),
        ("//example.org/feed", "https://example.org/feed"),
        ("HTTP://Example.org/", "HTTP://Example.org/"),
    ],
)
def test_normalize_url(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


def test_find_feed_links_ignores_other_links() -> None:
    html = (
        '<link rel="stylesheet" href="/s.css"><link rel="alternate" hreflang="de" href="/de/">'
        '<link rel="alternate" type="application/json" href="/wp-json/">'
        '<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">'
        '<link rel="alternate" type="application/rss+xml" href="/a.xml?x=1&amp;y=2" title="A">'
    )
    links = find_feed_links(html, "https://example.org/post/")
    assert [(link.url, link.title) for link in links] == [
        ("https://example.org/wp-json/", ""),  # plain JSON: a JSON Feed maybe, tried last
        ("https://example.org/a.xml?x=1&y=2", "A"),
    ]


def test_fallback_urls() -> None:
    assert fallback_urls("https://e.org/blog/index.php?p=2") == [
        "https://e.org/blog/feed/",
        "https://e.org/blog/?feed=rss2",
        "https://e.org/feed/",
        "https://e.org/?feed=rss2",
    ]
    assert fallback_urls("https://e.org") == ["https://e.org/feed/", "https://e.org/?feed=rss2"]


@pytest.mark.parametrize(
    "url, title, expected",
    [
        ("https://e.org/comments/feed/", "", True),
        ("https://e.org/?feed=comments-rss2", "", True),
        ("https://e.org/2024/post/feed/", "Blog » Post Comments Feed", True),
        ("https://e.org/feed/", "Blog » Kommentar-Feed", True),
        ("https://e.org/feed/", "Commentary » Feed", False),
        ("https://e.org/feed/", "Blog » Feed", False),
    ],
)
def test_looks_like_comments(url: str, title: str, expected: bool) -> None:
    assert looks_like_comments(url, title) is expected
