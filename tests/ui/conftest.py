"""Fixtures for the UI tests: an app on a throwaway store seeded with awkward text."""

from __future__ import annotations

import threading
import webbrowser
from collections.abc import AsyncIterator, Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from held_marks import HeldStore
from support.app import record_toasts, running
from textual.pilot import Pilot
from ui_helpers import HOSTILE_TITLE

from blogtui.core.config import Config
from blogtui.core.feeds.client import ACCEPT, USER_AGENT
from blogtui.core.models import EntryData
from blogtui.core.paths import Places, places
from blogtui.core.store import Store
from blogtui.ui.app import BlogtuiApp, build_app

BASE_TIME = 1_700_000_000.0
"""A fixed publication time, so snapshots do not drift."""


@pytest.fixture(autouse=True)
def keep_machine_out(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """Point BLOGTUI_HOME at tmp_path, and record browser opens instead of starting one."""
    monkeypatch.setenv("BLOGTUI_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, new=0: opened.append(url) or True)
    return opened


LOOPBACK = "127.0.0.1"
"""The only host a UI test may reach (its own servers); anything else would need DNS."""


class RemoteRefused(httpx.ConnectError):
    """A UI test's app tried to reach a host other than 127.0.0.1."""


def refuse_remote(request: httpx.Request) -> None:
    """Raise RemoteRefused unless `request` goes to 127.0.0.1."""
    if request.url.host != LOOPBACK:
        raise RemoteRefused(
            f"tests/ui: refused {request.url.host!r}: UI tests may only reach {LOOPBACK}",
            request=request,
        )


class LoopbackOnly(httpx.AsyncHTTPTransport):
    """httpx's transport, refusing every host but 127.0.0.1 before any DNS lookup."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        refuse_remote(request)
        return await super().handle_async_request(request)


def loopback_client() -> httpx.AsyncClient:
    """The client factory of the test apps: like core.fetch's, but only for 127.0.0.1."""
    return httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
        transport=LoopbackOnly(),
        timeout=httpx.Timeout(10.0, connect=5.0),
        follow_redirects=False,
        trust_env=False,
    )


@pytest.fixture
def client_factory() -> Callable[[], httpx.AsyncClient]:
    """The test apps' client factory (`loopback_client`)."""
    return loopback_client


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No UI test touches the network: apps built without `loopback_client` (demo apps,
    `build_app` called directly) still meet the same refusal in every httpx transport."""
    real_async = httpx.AsyncHTTPTransport.handle_async_request
    real_sync = httpx.HTTPTransport.handle_request

    async def guarded_async(
        self: httpx.AsyncHTTPTransport, request: httpx.Request
    ) -> httpx.Response:
        refuse_remote(request)
        return await real_async(self, request)

    def guarded_sync(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        refuse_remote(request)
        return real_sync(self, request)

    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", guarded_async)
    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", guarded_sync)


@pytest.fixture
def toasts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The text of every notification the test's apps show, in order."""
    return record_toasts(monkeypatch)


@pytest.fixture
def home(tmp_path: Path) -> Places:
    """The app's places under tmp_path."""
    return places(tmp_path / "home")


def seed(store: Store) -> dict[str, int]:
    """Feeds and articles: umlauts, „quotes“, hostile titles, folders, one broken feed."""
    ids: dict[str, int] = {}
    german, _ = store.add_feed("https://blog.example.de/feed/", "Grüße aus Köln", folder="Deutsch")
    hostile, _ = store.add_feed("https://evil.example/feed", HOSTILE_TITLE, folder="Tech/Security")
    plain, _ = store.add_feed("https://plain.example/rss", "Plain Blog")
    store.record_fetch(hostile.id, status=500, error="HTTP 500 [b]Internal[/b] Server Error")
    ids.update(german=german.id, hostile=hostile.id, plain=plain.id)
    store.upsert_articles(
        german.id,
        [
            EntryData(
                key="g1",
                title="Grüße aus dem „Süden“",
                author="Jürgen Größe",
                link="https://blog.example.de/gruesse",
                published=BASE_TIME + 300,
                content='<p>Schöne Grüße! <a href="https://blog.example.de/x">Link</a> und '
                '<a href="javascript:alert(1)">böse</a> und <a href="file:///etc/passwd">f</a></p>',
                comment_count=3,
            ),
            EntryData(
                key="g2",
                title="Zweiter Beitrag über Äpfel",
                author="Ölaf",
                link="https://blog.example.de/aepfel",
                published=BASE_TIME + 200,
                content="<p>Äpfel und Birnen.</p>",
            ),
        ],
    )
    store.upsert_articles(
        hostile.id,
        [
            EntryData(
                key="h1",
                title="[/] \x1b]0;evil-title\x07 [bold red]shout[/] \x1b[2J",
                author="[@click=app.quit]me[/]",
                link="javascript:alert(1)",
                published=BASE_TIME + 100,
                content="<p>\x1b]52;c;ZXZpbA==\x07clipboard</p>",
            )
        ],
    )
    store.upsert_articles(
        plain.id,
        [
            EntryData(
                key=f"p{n}",
                title=f"Plain article {n}",
                author="Ann",
                link=f"https://plain.example/{n}",
                published=BASE_TIME - n,
                content=f"<p>Body {n}</p>",
            )
            for n in range(1, 41)
        ],
    )
    return ids


@pytest.fixture
def store(home: Places) -> Store:
    """A seeded store under tmp_path."""
    opened = Store(home.database)
    seed(opened)
    yield opened
    opened.close()


@pytest.fixture
def feed_ids(store: Store) -> dict[str, int]:
    """Feed ids by name, from the seeded store."""
    feeds = {feed.url: feed.id for feed in store.list_feeds()}
    return {
        "german": feeds["https://blog.example.de/feed/"],
        "hostile": feeds["https://evil.example/feed"],
        "plain": feeds["https://plain.example/rss"],
    }


@pytest.fixture
def make_app(home: Places, store: Store) -> Callable[..., BlogtuiApp]:
    """Build the app the way the CLI does, on the seeded store (keywords go to build_app)."""

    def make(config: Config | None = None, **kwargs: Any) -> BlogtuiApp:
        kwargs.setdefault("client_factory", loopback_client)
        return build_app(home, config=config or Config(), store=store, **kwargs)

    return make


@pytest.fixture
def empty_app(home: Places) -> BlogtuiApp:
    """The app on a store without feeds (first launch)."""
    return build_app(
        home, config=Config(), store=Store(home.database), client_factory=loopback_client
    )


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>Served Blog</title><link>{base}/</link><description>d</description>
<item><title>Neu: Grüße vom Server</title><link>{base}/neu</link><guid>{base}/neu</guid>
<pubDate>Tue, 14 Nov 2023 22:30:00 GMT</pubDate>
<description>&lt;p&gt;Hallo&lt;/p&gt;</description></item>
</channel></rss>
"""


@pytest.fixture
def blog_site() -> Iterator[str]:
    """The base URL of a blog on 127.0.0.1: an RSS feed at <base>/feed.xml and an HTML page
    linking to it at <base>/ (tests/conftest.py's `feed_server` is the general server)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if self.path == "/feed.xml":
                body, kind = RSS.format(base=base).encode(), "application/rss+xml"
            elif self.path == "/":
                link = f'<link rel="alternate" type="application/rss+xml" href="{base}/feed.xml">'
                page = f"<html><head>{link}</head></html>"
                body, kind = page.encode(), "text/html; charset=utf-8"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
async def pilot(make_app: Callable[..., BlogtuiApp]) -> AsyncIterator[Pilot[None]]:
    """The app on the seeded store, running headless at 120x36 and settled (its `pilot.app`)."""
    async with running(make_app()) as running_pilot:
        yield running_pilot


@pytest.fixture
def held(home: Places, store: Store) -> Iterator[HeldStore]:
    """The seeded store as the app gets it: its mark writes counted and held back on request
    (tests/ui/held_marks.py)."""
    opened = HeldStore(home.database)
    yield opened
    opened.release()
    opened.close()
