"""Who wrote a comment, as each provider says it (`core.comments.identity`), and where it is kept.

WordPress against the demo blog (its REST answers are WordPress's visitor view: `author` user id,
`author_avatar_urls`, the post's `author`); Isso and feeds with real-shape payloads on 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from feedserver import FeedServer, Response

from blogtui.core.comments import PROVIDERS, Target, load_thread
from blogtui.core.comments.atom_threading import AtomThreadingProvider
from blogtui.core.comments.identity import (
    email_key,
    email_keys,
    gravatar_key,
    isso_key,
    wordpress_user_key,
)
from blogtui.core.comments.isso import flatten_replies
from blogtui.core.comments.marks import ThreadMarks
from blogtui.core.comments.wordpress import comment_of
from blogtui.core.feeds.client import make_client
from blogtui.core.feeds.parse import parse_feed
from blogtui.core.models import CommentData, EntryData
from blogtui.core.store import Store
from blogtui.core.store.migrations import MIGRATIONS, keep_comment_author_identity
from blogtui.demo import DemoBlog


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoBlog]:
    blog = DemoBlog()
    blog.start()
    yield blog
    blog.stop()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "blogtui.db")
    yield opened
    opened.close()


def rest(base: str, path: str, **params: object) -> Any:
    return httpx.get(f"{base}/wp-json/wp/v2/{path}", params=params, timeout=10).json()


async def test_wordpress_identity_from_the_demo_blog(demo: DemoBlog, store: Store) -> None:
    url = demo.base_url + "/feed/"
    response = httpx.get(url, timeout=10)
    feed, _ = store.add_feed(url)
    store.upsert_articles(
        feed.id, parse_feed(response.content, url, dict(response.headers)).entries
    )
    by_author = 0
    async with make_client(8) as client:
        for article_id in store.article_ids([feed.id]):
            article = store.get_article(article_id)
            assert article is not None
            result = await load_thread(client, store, article, deadline=20)
            assert result.ok and result.provider == "wordpress"
            post_id = article.guid.rsplit("=", 1)[-1]
            post = rest(demo.base_url, f"posts/{post_id}")
            state = store.thread_state(article_id)
            assert state.post_author_key == f"wordpress-user:{post['author']}"
            items = {str(c["id"]): c for c in rest(demo.base_url, "comments", post=post_id,
                                                      per_page=100)}  # fmt: skip
            marks = ThreadMarks(result.comments, state, post_author=article.author)
            for stored in result.comments:
                item = items[stored.key]
                if item["author"]:
                    assert stored.author_key == f"wordpress-user:{item['author']}"
                else:
                    digest = item["author_avatar_urls"]["48"].split("/avatar/")[1].split("?")[0]
                    assert stored.author_key == f"gravatar:{digest}"
                assert marks.of(stored).post_author == (item["author"] == post["author"])
                by_author += item["author"] == post["author"]
    assert by_author > 0  # the demo's authors answer in their threads


def test_wordpress_comment_fields() -> None:
    guest = {"id": 5, "parent": 0, "author": 0, "author_name": "Ann",
             "author_avatar_urls": {"24": "https://secure.gravatar.com/avatar/"
                                    "0bc83cb571cd1c50ba6f3e8a78ef1346?s=24&d=mm&r=g"}}  # fmt: skip
    assert comment_of(guest).author_key == "gravatar:0bc83cb571cd1c50ba6f3e8a78ef1346"  # type: ignore[union-attr]
    user = {**guest, "author": 12}
    assert comment_of(user).author_key == "wordpress-user:12"  # type: ignore[union-attr]
    hidden = {"id": 6, "author": 0, "author_name": "Bo"}  # avatars switched off
    assert comment_of(hidden).author_key == ""  # type: ignore[union-attr]


@pytest.mark.parametrize("value", [0, "0", True, None, -3, "3a", 2.5, "1" * 30, []])
def test_a_wordpress_guest_or_garbage_has_no_user_key(value: object) -> None:
    assert wordpress_user_key(value) == ""


@pytest.mark.parametrize(
    "urls",
    [
        {"24": "https://blog.example/wp-content/uploads/me-24x24.png"},  # a local avatar plugin
        {"24": "https://secure.gravatar.com/avatar/not-a-hash?s=24"},
        "https://secure.gravatar.com/avatar/0bc83cb571cd1c50ba6f3e8a78ef1346",
        {},
    ],
)
def test_avatars_without_a_hash_give_no_key(urls: object) -> None:
    assert gravatar_key(urls) == ""


def test_email_keys_hash_and_refuse_placeholders() -> None:
    key = email_key(" Ann@Example.ORG ")
    assert key == "email:" + hashlib.sha256(b"ann@example.org").hexdigest()
    assert key == email_key("<ann@example.org>") and "example" not in key
    for address in ("noreply@blogger.com", "no-reply@x.org", "nobody@x.org", "ann", "a b@x.org",
                    "ann@localhost", "", None):  # fmt: skip
        assert email_key(address) == "", address
    assert email_keys("ann@example.org, noreply@blogger.com, bo@example.org") == {
        email_key("ann@example.org"), email_key("bo@example.org")}  # fmt: skip


def test_isso_hash_is_the_key() -> None:
    data = {"id": None, "total_replies": 2, "hidden_replies": 0, "replies": [
        {"id": 1, "parent": None, "author": "Ann", "website": None, "created": 1700000000.5,
         "modified": None, "text": "<p>a</p>", "mode": 1, "hash": "4505c1eeda98", "likes": 0,
         "dislikes": 0, "replies": [
            {"id": 2, "parent": 1, "author": None, "website": None, "created": 1700000001.0,
             "text": "<p>b</p>", "mode": 1, "hash": None, "replies": []}]}]}  # fmt: skip
    comments, _ = flatten_replies(data)
    assert [c.author_key for c in comments] == ["isso:4505c1eeda98", ""]
    assert isso_key("<script>") == "" and isso_key(12) == ""


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0">
<title>Comments</title><id>tag:c</id><updated>2024-03-01T10:00:00Z</updated>
<entry><id>tag:c1</id><title>c1</title><updated>2024-03-01T10:00:00Z</updated>
<author><name>Ann</name><email>Ann@Example.org</email><uri>http://ann.example/</uri></author>
<content type="html">a</content><thr:in-reply-to ref="tag:post"/></entry>
<entry><id>tag:c2</id><title>c2</title><updated>2024-03-01T11:00:00Z</updated>
<author><name>Anonymous</name><email>noreply@blogger.com</email></author>
<content type="html">b</content><thr:in-reply-to ref="tag:post"/></entry>
<entry><id>tag:c3</id><title>c3</title><updated>2024-03-01T12:00:00Z</updated>
<author><email>bo@example.org</email></author>
<content type="html">c</content><thr:in-reply-to ref="tag:post"/></entry>
<entry><id>tag:c4</id><title>c4</title><updated>2024-03-01T13:00:00Z</updated>
<author><name>Cy</name><uri>http://ann.example/</uri></author>
<content type="html">d</content><thr:in-reply-to ref="tag:post"/></entry>
</feed>"""


async def test_atom_authors_give_hashed_addresses_never_names_with_them(
    feed_server: FeedServer,
) -> None:
    url = feed_server.route("/replies", Response(200, ATOM.encode(),
                            {"Content-Type": "application/atom+xml"}))  # fmt: skip
    async with httpx.AsyncClient() as client:
        thread = await AtomThreadingProvider().fetch(client, Target("atom", url, "tag:post"))
    got = {c.key: (c.author, c.author_key) for c in thread.comments}
    assert got == {
        "tag:c1": ("Ann", email_key("ann@example.org")),
        "tag:c2": ("Anonymous", ""),
        "tag:c3": ("", email_key("bo@example.org")),
        "tag:c4": ("Cy", ""),  # a typed website is no identity
    }


async def test_rss_author_address_is_hashed(feed_server: FeedServer) -> None:
    body = ('<?xml version="1.0"?><rss version="2.0"><channel><title>c</title>'
            "<item><link>http://x/p/#comment-3</link><author>jo@example.org (Jo Doe)</author>"
            "<description>hi</description></item></channel></rss>")  # fmt: skip
    url = feed_server.route("/c/", status=200, body=body.encode(),
                            headers={"Content-Type": "application/rss+xml"})  # fmt: skip
    async with httpx.AsyncClient() as client:
        thread = await PROVIDERS["rss"].fetch(client, Target("rss", url))
    [only] = thread.comments
    assert (only.author, only.author_key) == ("Jo Doe", email_key("jo@example.org"))


def test_the_store_keeps_identity(store: Store) -> None:
    feed, _ = store.add_feed("http://x/feed")
    store.upsert_articles(feed.id, [EntryData(key="p", title="P", link="http://x/p")])
    article_id = store.article_ids([feed.id])[0]
    comments = [CommentData("1", "", "Ann", "a", author_key="wordpress-user:2"),
                CommentData("2", "", "Bo", "b")]  # fmt: skip
    store.store_thread(
        article_id, comments, provider="wordpress", post_author_key="wordpress-user:2"
    )
    assert [c.author_key for c in store.comments_for(article_id)] == ["wordpress-user:2", ""]
    assert store.thread_state(article_id).post_author_key == "wordpress-user:2"
    changed = [CommentData("1", "", "Ann", "a", author_key="wordpress-user:3")]
    store.store_thread(article_id, changed, provider="wordpress", partial=True)
    assert store.comments_for(article_id)[0].author_key == "wordpress-user:3"
    # the RSS feed after the REST API gives no identity: the one given stays
    store.store_thread(article_id, [CommentData("1", "", "Ann", "a")], provider="rss", partial=True)
    assert store.comments_for(article_id)[0].author_key == "wordpress-user:3"
    assert store.thread_state(article_id).post_author_key == "wordpress-user:2"


def test_an_older_store_gains_the_identity_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    before = MIGRATIONS.index(keep_comment_author_identity)
    with sqlite3.connect(path) as db:
        for migration in MIGRATIONS[:before]:
            migration(db)
        db.execute(f"PRAGMA user_version = {before}")
    db.close()
    store = Store(path)
    try:
        comments = {row[1] for row in store.db.execute("PRAGMA table_info(comments)")}
        threads = {row[1] for row in store.db.execute("PRAGMA table_info(threads)")}
        assert "author_key" in comments and "post_author_key" in threads
        assert store.thread_state(1).post_author_key == ""
    finally:
        store.close()
