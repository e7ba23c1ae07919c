"""Helpers for the tests against the real Waline of `.ci/waline.sh` (the npm package
@waline/vercel with SQLite on 127.0.0.1): where it is, article pages that embed it, seeding
threads through its own API, its own tree, and the outbox's side of a test (`Local`, `Faulty`).

Every test writes to thread paths of its own (a stamp per run), so tests never see each other's
comments and the server needs no reset between them. Threads are seeded through Waline's own
API (`POST /api/comment`, with `pid`/`rid` as the client sends them).
"""

from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from feedserver import FeedServer
from standins.threads import Item

from blogtui.core.config import Identity
from blogtui.core.drafts.store import DraftStore
from blogtui.core.models import Article, EntryData
from blogtui.core.posting import queue_reply
from blogtui.core.store import Store

REPO_ROOT = Path(__file__).resolve().parents[2]
START_HINT = "bash .ci/waline.sh install && bash .ci/waline.sh start"
STAMP = f"{time.time():.0f}"
ME = Identity("Jörg Prüfer", "joerg.pruefer@example.org", "https://joerg.example/")
LATER = time.time() + 86400


def state_dir() -> Path:
    """Where .ci/waline.sh keeps its state and waline.json (WALINE_STATE)."""
    return Path(os.environ.get("WALINE_STATE") or "/tmp/blogtui-waline")


def problem() -> tuple[str, str]:
    """(what is missing, "") or ("", the server's URL)."""
    path = state_dir() / "waline.json"
    try:
        url = str(json.loads(path.read_text(encoding="utf-8"))["url"])
    except FileNotFoundError:
        return f"{path} does not exist", ""
    except (OSError, ValueError, KeyError) as error:
        return f"{path} is unreadable: {error}", ""
    try:
        answer = httpx.get(f"{url}/api/comment?type=count&url=/", timeout=10)
    except httpx.HTTPError as error:
        return f"Waline at {url} does not answer ({type(error).__name__})", ""
    if answer.status_code != 200:
        return f"Waline at {url} answered HTTP {answer.status_code}", ""
    return "", url


def page_html(server: str, path: str | None = None, title: str = "Ein Artikel") -> str:
    """An article page embedding the Waline client the way its docs show."""
    option = f"\n    path: {json.dumps(path)}," if path is not None else ""
    return f"""<!doctype html><html><head><title>{title}</title>
<link rel="stylesheet" href="https://unpkg.com/@waline/client@v3/dist/waline.css" />
</head><body><article><h1>{title}</h1><p>Text.</p></article>
<div id="waline"></div>
<script type="module">
  import {{ init }} from 'https://unpkg.com/@waline/client@v3/dist/waline.js';
  init({{
    el: '#waline',
    serverURL: '{server}',{option}
    lang: 'de',
  }});
</script></body></html>"""


@dataclass
class Blog:
    """Article pages on a loopback server, each embedding the real Waline."""

    server: FeedServer
    waline: str

    def article(self, slug: str, *, path: str | None = None, waline: str = "") -> str:
        """The URL of a new article page (its Waline thread `path`, else the page's path)."""
        page = f"/{STAMP}/{slug}/"
        html = page_html(waline or self.waline, path)
        return self.server.route(page, body=html.encode(), headers={"Content-Type": "text/html"})


def post_comment(waline: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST one comment through Waline's own API; its `data` (raises on an error answer)."""
    answer = httpx.post(f"{waline}/api/comment?lang=en", json={"ua": "seed", **body}, timeout=30)
    answer.raise_for_status()
    data = answer.json()
    assert data.get("errno") == 0, data
    return dict(data["data"])


def seed(waline: str, path: str, items: list[Item]) -> dict[int, str]:
    """Post `items` (parents first) to thread `path`; their Waline ids by item number."""
    ids: dict[int, str] = {}
    roots: dict[int, str] = {}
    for item in items:
        body: dict[str, Any] = {"comment": item.text, "nick": item.author, "url": path,
                                "mail": f"leser{item.number}@example.org"}  # fmt: skip
        if item.parent:
            parent = ids[item.parent]
            root = roots[item.parent]
            body.update(pid=int(parent), rid=int(root), at=item.author)
        made = post_comment(waline, body)
        ids[item.number] = str(made["objectId"])
        roots[item.number] = roots[item.parent] if item.parent else ids[item.number]
    return ids


def server_tree(waline: str, path: str) -> set[tuple[str, str]]:
    """The server's own tree of `path` as (id, parent id) pairs, read with raw requests, every
    page of its default page size (10), nesting from each reply's `pid`."""
    found: set[tuple[str, str]] = set()
    page, pages = 1, 1
    while page <= pages:
        answer = httpx.get(f"{waline}/api/comment", params={"path": path, "page": page}, timeout=30)
        data = answer.json()["data"]
        pages = int(data["totalPages"])
        for root in data["data"]:
            found.add((str(root["objectId"]), ""))
            found.update((str(c["objectId"]), str(c["pid"])) for c in root["children"])
        page += 1
    return found


class Local:
    """A store with the article, its drafts, and the thread path on the Waline server."""

    def __init__(self, tmp_path, url: str) -> None:
        self.store = Store(tmp_path / "db.sqlite")
        feed, _ = self.store.add_feed(url + "feed.xml", "Testblog")
        entry = EntryData(key=url, title="Ein Artikel", link=url)
        self.store.upsert_articles(feed.id, [entry])
        article = self.store.get_article(self.store.article_ids([feed.id])[0])
        assert article is not None
        self.article: Article = article
        self.drafts = DraftStore(tmp_path / "drafts")
        self.url, self.path = url, urlsplit(url).path

    def queue(self, text: str, parent: str = "", who: Identity = ME) -> str:
        draft = self.drafts.new(blog="waline", article_url=self.url, parent_id=parent,
                                identity=who, text=text)  # fmt: skip
        queue_reply(self.store, self.drafts, draft, self.article.id)
        return draft.id


def raw_items(waline: str, path: str) -> list[dict[str, Any]]:
    """Every comment object of `path` as Waline lists it."""
    data = httpx.get(f"{waline}/api/comment", params={"path": path, "pageSize": 100}).json()
    return [c for root in data["data"]["data"] for c in [root, *root["children"]]]


def on_server(waline: str, path: str, text: str) -> list[dict[str, Any]]:
    return [c for c in raw_items(waline, path) if c.get("orig") == text]


class Faulty(httpx.AsyncBaseTransport):
    """In front of the real Waline: the next comment POST reaches it and is stored, but its
    answer is lost (a 502 from a proxy, a timeout, a dropped connection). Counts POSTs."""

    def __init__(self, mode: str) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.mode = mode
        self.posts = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method != "POST":
            return await self.inner.handle_async_request(request)
        self.posts += 1
        mode, self.mode = self.mode, "pass"
        response = await self.inner.handle_async_request(request)
        await response.aread()
        if mode == "502-after":
            return httpx.Response(502, headers={"Content-Type": "text/html"}, content=b"<h1>502")
        if mode == "timeout-after":
            raise httpx.ReadTimeout("timed out", request=request)
        if mode == "dropped-after":
            raise httpx.RemoteProtocolError("Server disconnected", request=request)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
