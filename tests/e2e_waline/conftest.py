"""The real Waline of `.ci/waline.sh` (the npm package @waline/vercel with SQLite on 127.0.0.1).

`bash .ci/waline.sh install && bash .ci/waline.sh start` runs it on http://127.0.0.1:8360 and
describes it in `${WALINE_STATE:-/tmp/blogtui-waline}/waline.json`. Without it the tests that
need it skip on a dev box (node or the install missing) and FAIL under CI=true.

Every test writes to thread paths of its own (a stamp per run), so tests never see each other's
comments and the server needs no reset between them. Threads are seeded through Waline's own
API (`POST /api/comment`, with `pid`/`rid` as the client sends them).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from feedserver import FeedServer
from standins.threads import Item

from blogtui.core.feeds.fetch import make_client

START_HINT = "bash .ci/waline.sh install && bash .ci/waline.sh start"
STAMP = f"{time.time():.0f}"


def state_dir() -> Path:
    """Where .ci/waline.sh keeps its state and waline.json (WALINE_STATE)."""
    return Path(os.environ.get("WALINE_STATE") or "/tmp/blogtui-waline")


def _problem() -> tuple[str, str]:
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


@pytest.fixture(scope="session")
def waline() -> str:
    """The real Waline server's URL; skips (fails under CI=true) when it is not running."""
    problem, url = _problem()
    if url:
        return url
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"real Waline not available: {problem}; start it with: {START_HINT}")
    pytest.skip(f"real Waline not running: run '{START_HINT}' ({problem})")


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(4) as shared:
        yield shared


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
    pages: dict[str, str] = field(default_factory=dict)

    def article(self, slug: str, *, path: str | None = None, waline: str = "") -> str:
        """The URL of a new article page (its Waline thread `path`, else the page's path)."""
        page = f"/{STAMP}/{slug}/"
        html = page_html(waline or self.waline, path)
        return self.server.route(page, body=html.encode(), headers={"Content-Type": "text/html"})


@pytest.fixture
def blog(waline: str) -> Iterator[Blog]:
    server = FeedServer()
    try:
        yield Blog(server, waline)
    finally:
        server.close()


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
