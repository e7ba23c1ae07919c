"""Comment threads read from a real WordPress: blogtui's tree must equal WordPress's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from support.wordpress import wp_php

from blogtui.core.comments import PROVIDERS, Hints, load_thread
from blogtui.core.comments.marks import LIKE_POST_AUTHOR, ThreadMarks
from blogtui.core.comments.tree import build_tree, flatten
from blogtui.core.feeds.client import make_client
from blogtui.core.feeds.parse import parse_feed
from blogtui.core.models import Article, EntryData
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


LOOKALIKES = 'array("Die\\u{200B} Redaktion", "Die R\\u{0435}daktion", "\\u{FEFF}Die Redaktion")'
"""PHP names that show like the post author's display name ("Die Redaktion")."""


@pytest.fixture
def impostor_post(wordpress: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A post by the site's user with their own comment and guests imitating them (one with the
    user's email typed in); deleted with its comments afterwards."""
    user = int(wordpress["app_user_id"])
    made = wp_php(
        f"$u = get_user_by('id', {user});"
        "$p = wp_insert_post(array('post_title' => 'blogtui identity test', 'post_content' =>"
        f" 'x', 'post_status' => 'publish', 'comment_status' => 'open', 'post_author' => {user}));"
        "$c = function ($name, $mail, $uid) use ($p) { return wp_insert_comment(array("
        "'comment_post_ID' => $p, 'comment_author' => $name, 'comment_author_email' => $mail,"
        "'comment_content' => 'Hallo', 'comment_approved' => 1, 'user_id' => $uid,"
        "'comment_author_IP' => '192.0.2.77')); };"
        "$ids = array('author' => $c($u->display_name, $u->user_email, $u->ID),"
        " 'forged' => $c($u->display_name, $u->user_email, 0));"
        f"foreach ({LOOKALIKES} as $i => $n) {{ $ids['like' . $i] = $c($n, 'x@example.net', 0); }}"
        "echo json_encode(array('post' => $p, 'ids' => $ids, 'name' => $u->display_name));"
    )
    info = json.loads(made.strip().splitlines()[-1])
    try:
        yield info
    finally:
        wp_php(f"wp_delete_post({int(info['post'])}, true);")


async def test_author_mark_rests_on_the_user_id(
    wordpress: dict[str, Any], impostor_post: dict[str, Any], tmp_path: Path
) -> None:
    base, post = wordpress["base_url"], impostor_post["post"]
    raw = rest_comments(wordpress, post)
    assert all("author" in c and "author_avatar_urls" in c for c in raw)  # given to visitors
    store = Store(tmp_path / "blogtui.db")
    feed, _ = store.add_feed(wordpress["feed_url"])
    link = f"{base}/?p={post}"
    store.upsert_articles(feed.id, [EntryData(key=link, title="t", link=link, guid=link,
                                              author=impostor_post["name"])])  # fmt: skip
    item = store.get_article(store.article_ids([feed.id])[0])
    assert item is not None
    result = await load(store, item)
    assert result.ok and result.provider == "wordpress"
    state = store.thread_state(item.id)
    assert state.post_author_key == f"wordpress-user:{wordpress['app_user_id']}"
    marks = ThreadMarks(result.comments, state, post_author=item.author)
    ids = {str(v): k for k, v in impostor_post["ids"].items()}
    by_role = {ids[c.key]: marks.of(c) for c in result.comments}
    assert set(by_role) == set(ids.values())
    assert by_role["author"].post_author and not by_role["author"].warning
    for role, got in by_role.items():
        if role != "author":
            assert not got.post_author and LIKE_POST_AUTHOR in got.warning, role
