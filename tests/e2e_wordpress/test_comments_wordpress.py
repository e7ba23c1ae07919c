"""Comment threads read from a real WordPress: blogtui's tree must equal WordPress's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from blogtui.core.comments import PROVIDERS, Hints, load_thread
from blogtui.core.comments.tree import build_tree, flatten
from blogtui.core.feeds.fetch import make_client
from blogtui.core.feeds.parse import parse_feed
from blogtui.core.models import Article
from blogtui.core.store import Store


def rest_comments(site: dict[str, Any], post: int) -> list[dict[str, Any]]:
    """Every approved comment of `post`, straight from the REST API, page by page."""
    found: list[dict[str, Any]] = []
    page, pages = 1, 1
    while page <= pages:
        response = httpx.get(
            site["base_url"] + "/",
            params={"rest_route": "/wp/v2/comments", "post": post, "per_page": 50, "page": page},
            timeout=30,
        )
        response.raise_for_status()
        pages = int(response.headers["X-WP-TotalPages"])
        found.extend(response.json())
        page += 1
    return found


def expected_shape(site: dict[str, Any], post: int) -> list[tuple[str, str, int]]:
    """(id, parent, depth) in display order, computed here from WordPress's own data."""
    items = rest_comments(site, post)
    children: dict[int, list[dict[str, Any]]] = {}
    for item in items:
        children.setdefault(item["parent"], []).append(item)
    for replies in children.values():
        replies.sort(key=lambda c: (c["date_gmt"], c["id"]))
    out: list[tuple[str, str, int]] = []
    stack = [(c, 0) for c in reversed(children.get(0, []))]
    while stack:
        item, depth = stack.pop()
        out.append((str(item["id"]), str(item["parent"] or ""), depth))
        stack.extend((c, depth + 1) for c in reversed(children.get(item["id"], [])))
    assert len(out) == len(items)
    return out


@pytest.fixture
async def threads(wordpress: dict[str, Any], tmp_path: Path) -> Any:
    store = Store(tmp_path / "blogtui.db")
    feed_url = wordpress["feed_url"]
    response = httpx.get(feed_url, timeout=30)
    parsed = parse_feed(response.content, feed_url, dict(response.headers))
    feed, _ = store.add_feed(feed_url)
    store.upsert_articles(feed.id, parsed.entries)
    articles = {store.get_article(i).guid: store.get_article(i) for i in store.article_ids()}
    return store, articles


async def load(store: Store, item: Article) -> Any:
    async with make_client(8) as client:
        return await load_thread(client, store, item, deadline=60)


@pytest.mark.parametrize("which", ["nested", "many"])
async def test_tree_equals_wordpress(wordpress: dict[str, Any], threads: Any, which: str) -> None:
    store, articles = threads
    post = wordpress["posts"][which]
    item = articles[post["url"]]
    result = await load(store, item)
    assert result.ok, result.error
    assert result.provider == "wordpress" and not result.partial
    assert result.comments_open is True
    shape = [
        (n.comment.key, n.comment.parent_key, d) for n, d in flatten(build_tree(result.comments))
    ]
    assert shape == expected_shape(wordpress, post["id"])
    assert len(shape) == wordpress["comment_counts"][which]
    if which == "nested":
        assert max(depth for _, _, depth in shape) >= 5
    assert store.blog_provider(wordpress["base_url"])[0] == "wordpress"


async def test_closed_post(wordpress: dict[str, Any], threads: Any) -> None:
    store, articles = threads
    result = await load(store, articles[wordpress["posts"]["closed"]["url"]])
    assert result.ok and result.comments_open is False
    assert store.thread_state(result.article_id).comments_open is False


async def test_comment_feeds_agree(wordpress: dict[str, Any], threads: Any) -> None:
    _, articles = threads
    for which in ("nested", "many"):
        post = wordpress["posts"][which]
        item = articles[post["url"]]
        full = {(c["id"], c["parent"]) for c in rest_comments(wordpress, post["id"])}
        full_keys = {(str(i), str(p) if p else "") for i, p in full}
        async with make_client(4) as client:
            provider = PROVIDERS["rss"]
            target = await provider.detect(client, item, Hints(item))
            assert target is not None
            thread = await provider.fetch(client, target)
        got = {(c.key, c.parent_key) for c in thread.comments}
        assert got <= full_keys and len(got) == 10
        assert thread.partial
