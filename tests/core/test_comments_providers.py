"""Comment providers against the demo blog and small hostile servers on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from blogtui.core.comments import PROVIDERS, Hints, Target, find_thread, load_thread
from blogtui.core.comments.base import FetchedThread
from blogtui.core.comments.wordpress import FIELDS, MAX_PAGES, WordPressProvider
from blogtui.core.errors import CommentsUnavailable
from blogtui.core.feeds.parse import parse_feed
from blogtui.core.models import Article, CommentData, EntryData
from blogtui.core.store import Store
from blogtui.demo import DemoBlog

JSON = "application/json; charset=UTF-8"
HTML = "text/html; charset=UTF-8"
RSS = "application/rss+xml; charset=UTF-8"
ATOM = "application/atom+xml; charset=UTF-8"
Route = tuple[int, dict[str, str], bytes, float]
WP_FIELDS = "&_fields=" + FIELDS.replace(",", "%2C")


@dataclass
class Site:
    """What the fixture server answers: exact path+query (else path) -> route."""

    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    base: str = ""

    def add(self, path: str, body: bytes | str | object, kind: str = JSON, status: int = 200,
            headers: dict[str, str] | None = None, delay: float = 0.0) -> str:  # fmt: skip
        if not isinstance(body, bytes | str):
            body = json.dumps(body)
        data = body.encode() if isinstance(body, str) else body
        self.routes[path] = (status, {"Content-Type": kind, **(headers or {})}, data, delay)
        return self.base + path


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            site.requests.append(self.path)
            route = site.routes.get(self.path) or site.routes.get(self.path.split("?")[0])
            status, headers, body, delay = route or (404, {"Content-Type": HTML}, b"<h1>no</h1>", 0)
            time.sleep(delay)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoBlog]:
    blog = DemoBlog()
    blog.start()
    yield blog
    blog.stop()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "blogtui.db")


def article(link: str = "", **fields: object) -> Article:
    base = Article(id=0, feed_id=0, key=link, title="t", author="", link=link, published=None,
                   updated=None, content="", read=False)  # fmt: skip
    return replace(base, **fields)


def stored_articles(store: Store, url: str, body: bytes, headers: dict[str, str]) -> list[Article]:
    parsed = parse_feed(body, url, headers)
    feed, _ = store.add_feed(url)
    store.upsert_articles(feed.id, parsed.entries)
    return [store.get_article(i) for i in store.article_ids([feed.id])]  # type: ignore[misc]


def rest_tree(base: str, post: str) -> set[tuple[str, str]]:
    """(id, parent) of every comment, read straight from the REST API."""
    data = httpx.get(f"{base}/wp-json/wp/v2/comments?post={post}&per_page=100").json()
    return {(str(c["id"]), str(c["parent"]) if c["parent"] else "") for c in data}


def pairs(comments: list[CommentData] | list) -> set[tuple[str, str]]:
    return {(c.key, c.parent_key) for c in comments}


# ----------------------------------------------------------------------------- the demo blog


@pytest.mark.parametrize("feed_path", ["/feed/", "/feed/atom/"])
async def test_demo_threads_match_rest(demo: DemoBlog, store: Store, client, feed_path) -> None:
    url = demo.base_url + feed_path
    response = httpx.get(url)
    articles = stored_articles(store, url, response.content, dict(response.headers))
    assert articles
    for item in articles:
        result = await load_thread(client, store, item, deadline=20)
        assert result.ok and result.provider == "wordpress" and not result.partial
        post = item.guid.rsplit("=", 1)[-1]
        assert pairs(result.comments) == rest_tree(demo.base_url, post)
        assert result.new == len(result.comments)
        assert result.comments_open is not None
    assert store.blog_provider(demo.base_url)[0] == "wordpress"


async def test_demo_feeds_agree_with_rest_and_mark_partial(demo: DemoBlog, client) -> None:
    response = httpx.get(demo.base_url + "/feed/atom/")
    entries = parse_feed(response.content, response.url.__str__(), dict(response.headers)).entries
    rss = httpx.get(demo.base_url + "/feed/")
    comment_feeds = {
        e.guid: e.comment_feed
        for e in parse_feed(rss.content, demo.base_url + "/feed/", dict(rss.headers)).entries
    }
    for entry in entries:
        item = _article_of(entry, comment_feed=comment_feeds[entry.guid])
        full = rest_tree(demo.base_url, entry.guid.rsplit("=", 1)[-1])
        for name in ("atom", "rss"):
            provider = PROVIDERS[name]
            target = await provider.detect(client, item, Hints(item))
            assert target is not None, name
            thread = await provider.fetch(client, target)
            assert pairs(thread.comments) <= full, name
            assert len(thread.comments) == min(10, len(full))
            assert thread.partial == (len(full) >= 10), name
            assert all("In reply to" not in c.content for c in thread.comments)


def _article_of(entry: EntryData, **fields: object) -> Article:
    return article(entry.link, guid=entry.guid, replies_feed=entry.replies_feed,
                   comment_count=entry.comment_count, **fields)  # fmt: skip


async def test_demo_unknown_url_detects_from_the_page(demo: DemoBlog, client) -> None:
    link = demo.base_url + "/why-my-ride-log-cli-took-a-second-to-start/"
    found = await find_thread(client, article(link), deadline=20)
    assert found.provider == "wordpress"
    assert len(found.thread.comments) == 7


async def test_remembered_provider_is_tried_first(demo: DemoBlog, store: Store, client) -> None:
    link = demo.base_url + "/why-my-ride-log-cli-took-a-second-to-start/"
    feed, _ = store.add_feed(demo.base_url + "/feed/")
    store.upsert_articles(feed.id, [EntryData(key=link, title="x", link=link,
                                              comment_feed=link + "feed/")])  # fmt: skip
    item = store.get_article(store.article_ids([feed.id])[0])
    store.remember_blog(demo.base_url, "rss")
    result = await load_thread(client, store, item, deadline=20)
    assert result.provider == "rss" and len(result.comments) == 7


# ----------------------------------------------------------------------------- hostile REST


def rest_page(ids: range, pages: int) -> tuple[list[dict], dict[str, str]]:
    items = [{"id": i, "parent": i - 1 if i % 3 else 0, "author_name": f"n{i}",
              "date_gmt": "2024-03-01T10:00:00", "content": {"rendered": f"<p>{i}</p>"},
              "link": f"http://x/#comment-{i}"} for i in ids]  # fmt: skip
    return items, {"X-WP-TotalPages": str(pages), "X-WP-Total": str(pages * 100)}


def wp_target(site: Site, post: str = "7") -> Target:
    return Target("wordpress", site.base + "/wp-json/", post, api_root=site.base + "/wp-json/")


async def test_rest_reads_every_page(site: Site, client) -> None:
    for page in (1, 2, 3):
        items, headers = rest_page(range(page * 100 - 99, page * 100 + 1), 3)
        site.add(f"/wp-json/wp/v2/comments?post=7&per_page=100&page={page}&orderby=id&order=asc"
                 + WP_FIELDS, items, headers=headers)  # fmt: skip
    site.add("/wp-json/wp/v2/posts/7", {"comment_status": "closed"})
    thread = await WordPressProvider().fetch(client, wp_target(site))
    assert len(thread.comments) == 300 and not thread.partial
    assert thread.comments_open is False
    first = next(c for c in thread.comments if c.key == "1")
    assert first.parent_key == "" and first.published == 1709287200.0
    assert next(c for c in thread.comments if c.key == "2").parent_key == "1"


async def test_rest_caps_pages_and_marks_partial(site: Site, client) -> None:
    items, headers = rest_page(range(1, 101), 80)
    site.add("/wp-json/wp/v2/comments", items, headers=headers)
    thread = await WordPressProvider().fetch(client, wp_target(site))
    assert thread.partial and thread.comments_open is None
    assert sum("/comments" in r for r in site.requests) == MAX_PAGES


async def test_a_failing_later_page_marks_partial(site: Site, client) -> None:
    items, headers = rest_page(range(1, 101), 2)
    site.add("/wp-json/wp/v2/comments", items, headers=headers)
    path = [r for r in site.routes][0]
    site.routes[path + "?post=7&per_page=100&page=2&orderby=id&order=asc" + WP_FIELDS] = (
        500, {"Content-Type": HTML}, b"oops", 0.0)  # fmt: skip
    thread = await WordPressProvider().fetch(client, wp_target(site))
    assert thread.partial and len(thread.comments) == 100


@pytest.mark.parametrize(
    ("status", "kind", "body", "message"),
    [
        (200, HTML, b"<!doctype html><html><body>Hi</body></html>", "expected JSON"),
        (200, JSON, b'{"broken": [1, 2', "expected JSON"),
        (200, JSON, b"\xff\xfe garbage \x00", "expected JSON"),
        (200, JSON, b'{"code": "rest_no_route", "message": "No route"}', "No route"),
        (401, JSON, b'{"code": "rest_forbidden"}', "HTTP 401"),
        (404, HTML, b"<h1>Not found</h1>", "HTTP 404"),
        (500, HTML, b"Internal error", "HTTP 500"),
    ],
)
async def test_rest_hostile_answers(site: Site, client, status, kind, body, message) -> None:
    site.add("/wp-json/wp/v2/comments", body, kind=kind, status=status)
    with pytest.raises(CommentsUnavailable) as caught:
        await WordPressProvider().fetch(client, wp_target(site))
    assert message in caught.value.message
    assert "WordPress REST API" in caught.value.message


async def test_rest_timeout_is_reported(site: Site, client) -> None:
    site.add("/wp-json/wp/v2/comments", [], delay=3.0)
    started = time.monotonic()
    with pytest.raises(CommentsUnavailable) as caught:
        await find_thread(client, article(site.base + "/?p=7"), deadline=1.0,
                          api_root=site.base + "/wp-json/")  # fmt: skip
    assert time.monotonic() - started < 3.0
    assert "timed out" in caught.value.message or "gave up" in caught.value.message


async def test_rest_route_form_when_pretty_urls_are_off(site: Site, client) -> None:
    items, headers = rest_page(range(1, 4), 1)
    site.add("/", items, headers=headers)  # /?rest_route=/wp/v2/comments&…
    thread = await WordPressProvider().fetch(client, wp_target(site))
    assert len(thread.comments) == 3
    assert any("rest_route=%2Fwp%2Fv2%2Fcomments" in r for r in site.requests)


async def test_post_id_from_slug(site: Site, client) -> None:
    site.add("/wp-json/wp/v2/posts", [{"id": 42}])
    item = article(site.base + "/2024/my-post/")
    hints = Hints(item, site.base + "/wp-json/")
    target = await WordPressProvider().detect(client, item, hints)
    assert target is not None and target.ident == "42"
    assert any("slug=my-post" in r for r in site.requests)


async def test_post_id_and_root_from_the_page(site: Site, client) -> None:
    head = (f"<link rel='https://api.w.org/' href='{site.base}/wp-json/'>"
            f"<link rel='shortlink' href='{site.base}/?p=9'>")  # fmt: skip
    site.add("/a-post/", f"<html><head>{head}</head></html>", kind=HTML)
    item = article(site.base + "/a-post/")
    target = await WordPressProvider().detect(client, item, Hints(item))
    assert target == Target("wordpress", site.base + "/wp-json/", "9", site.base + "/wp-json/")


# ----------------------------------------------------------------------------- load_thread


async def test_failure_keeps_the_stored_thread(site: Site, store: Store, client) -> None:
    feed, _ = store.add_feed(site.base + "/feed/")
    store.upsert_articles(feed.id, [EntryData(key="k", title="t", link=site.base + "/?p=7",
                                              comment_feed=site.base + "/c/")])  # fmt: skip
    item = store.get_article(store.article_ids([feed.id])[0])
    store.store_thread(item.id, [CommentData("1", "", "A", "hi")], provider="rss")
    site.add("/c/", "<html><body>maintenance</body></html>", kind=HTML, status=503)
    result = await load_thread(client, store, item, deadline=5)
    assert not result.ok and "HTTP 503" in result.error
    assert [c.key for c in result.comments] == ["1"]
    assert store.thread_state(item.id).error == result.error


async def test_falls_back_from_broken_rest_to_the_comment_feed(site: Site, client) -> None:
    site.add("/wp-json/wp/v2/comments", "fatal error", kind=HTML, status=500)
    site.add("/c/", RSS_FEED, kind=RSS)
    item = article(site.base + "/?p=7", comment_feed=site.base + "/c/", comment_count=2)
    found = await find_thread(client, item, deadline=5, api_root=site.base + "/wp-json/")
    assert found.provider == "rss"
    assert pairs(found.thread.comments) == {("5", ""), ("6", "5")}
    reply = next(c for c in found.thread.comments if c.key == "6")
    assert reply.content.startswith("<p>Yes")
    assert not found.thread.partial


async def test_nothing_found_says_so(site: Site, client) -> None:
    site.add("/plain/", "<html><body>no comments here</body></html>", kind=HTML)
    with pytest.raises(CommentsUnavailable, match="no comments found"):
        await find_thread(client, article(site.base + "/plain/"), deadline=5)


async def test_rss_partial_when_the_count_is_larger(site: Site, client) -> None:
    site.add("/c/", RSS_FEED, kind=RSS)
    provider = PROVIDERS["rss"]
    thread = await provider.fetch(client, Target("rss", site.base + "/c/", expected=5))
    assert isinstance(thread, FetchedThread) and thread.partial


async def test_feed_with_entities_is_refused(site: Site, client) -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
            "<rss><channel><item><title>&b;</title></item></channel></rss>")  # fmt: skip
    site.add("/c/", bomb, kind=RSS)
    with pytest.raises(CommentsUnavailable, match="entities"):
        await PROVIDERS["rss"].fetch(client, Target("rss", site.base + "/c/"))


async def test_atom_threading_with_non_wordpress_ids(site: Site, client) -> None:
    site.add("/replies", ATOM_REPLIES, kind=ATOM)
    item = article("http://blog.example/post", guid="tag:blog.example,2024:post-1",
                   replies_feed=site.base + "/replies")  # fmt: skip
    target = await PROVIDERS["atom"].detect(client, item, Hints(item))
    assert target is not None
    thread = await PROVIDERS["atom"].fetch(client, target)
    assert pairs(thread.comments) == {
        ("tag:c1", ""), ("tag:c2", "tag:c1"), ("tag:c3", "tag:elsewhere")}  # fmt: skip
    assert not thread.partial


async def test_isso_from_the_page(site: Site, client) -> None:
    site.add("/post/", '<html><head><script data-isso="/isso/" src="/isso/js/embed.min.js">'
             '</script></head><body><section id="isso-thread" data-isso-id="/post/"></section>'
             "</body></html>", kind=HTML)  # fmt: skip
    site.add("/isso/", {"id": None, "total_replies": 3, "hidden_replies": 0, "replies": [
        {"id": 1, "parent": None, "author": None, "website": None, "created": 1700000000.5,
         "text": "<p>top</p>", "mode": 1, "replies": [
            {"id": 2, "parent": 1, "author": "B", "created": 1700000001.0, "text": "<p>r</p>",
             "mode": 1, "replies": []}]},
        {"id": 3, "parent": None, "author": "C", "created": 1700000002.0, "text": "",
         "mode": 4}]})  # fmt: skip
    found = await find_thread(client, article(site.base + "/post/"), deadline=5)
    assert found.provider == "isso"
    assert pairs(found.thread.comments) == {("1", ""), ("2", "1"), ("3", "")}
    assert [c.status for c in found.thread.comments] == ["approved", "approved", "deleted"]
    assert any(r.startswith("/isso/?uri=/post/") for r in site.requests)


RSS_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Comments on: P</title>
<item><title>Von: Zed</title><link>http://x/p/#comment-6</link><dc:creator>Zed</dc:creator>
<pubDate>Fri, 01 Mar 2024 11:00:00 +0000</pubDate><guid isPermaLink="false">http://x/?p=7#comment-6</guid>
<content:encoded><![CDATA[<p>Als Antwort auf <a href="http://x/p/#comment-5">Amy</a>.</p>
<p>Yes indeed</p>]]></content:encoded></item>
<item><title>Von: Amy</title><link>http://x/p/#comment-5</link><dc:creator>Amy</dc:creator>
<pubDate>Fri, 01 Mar 2024 10:00:00 +0000</pubDate><guid isPermaLink="false">http://x/?p=7#comment-5</guid>
<content:encoded><![CDATA[<p>First</p>]]></content:encoded></item>
</channel></rss>"""

ATOM_REPLIES = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0">
<title>Replies</title><id>tag:replies</id><updated>2024-03-01T10:00:00Z</updated>
<entry><id>tag:c1</id><title>c1</title><updated>2024-03-01T10:00:00Z</updated>
<author><name>One</name></author><content type="html">&lt;p&gt;first&lt;/p&gt;</content>
<thr:in-reply-to ref="tag:blog.example,2024:post-1" href="http://blog.example/post"/></entry>
<entry><id>tag:c2</id><title>c2</title><updated>2024-03-01T11:00:00Z</updated>
<thr:in-reply-to ref="tag:c1"/></entry>
<entry><id>tag:c3</id><title>c3</title><updated>2024-03-01T12:00:00Z</updated>
<thr:in-reply-to ref="tag:elsewhere"/></entry>
</feed>"""
