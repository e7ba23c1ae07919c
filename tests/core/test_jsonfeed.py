"""JSON Feed 1.0 and 1.1: every field, identity, bad input, discovery, paging, OPML."""

from __future__ import annotations

import json
from typing import Any

import pytest
from feedserver import Response

from blogtui.core.config import Config
from blogtui.core.errors import FeedError
from blogtui.core.feeds.client import make_client
from blogtui.core.feeds.discover import discover_feed
from blogtui.core.feeds.opml import OpmlFeed, parse_opml, write_opml
from blogtui.core.feeds.parse import MAX_ENTRIES, parse_feed
from blogtui.core.feeds.refresh import refresh_feeds
from blogtui.core.store import Store
from blogtui.core.text.html import html_to_text

URL = "https://blog.example/feed.json"
V10 = "https://jsonfeed.org/version/1"
V11 = "https://jsonfeed.org/version/1.1"
JSON_TYPE = {"Content-Type": "application/feed+json"}


def document(*items: dict[str, Any], version: str = V11, **top: Any) -> bytes:
    return json.dumps(
        {"version": version, "title": "JSON Blog", "items": list(items), **top}
    ).encode()


def parse(body: bytes, url: str = URL):
    return parse_feed(body, url, {"content-type": "application/feed+json"})


@pytest.fixture
def store(tmp_path):
    db = Store(tmp_path / "blogtui.db")
    yield db
    db.close()


# --- fields ------------------------------------------------------------------------------------


def test_version_1_1_every_item_field():
    item = {
        "id": "post-1",
        "url": "https://blog.example/1/",
        "external_url": "https://elsewhere.example/story",
        "title": "Hello & <welcome>",
        "content_html": '<p>Hi <a href="/about/">me</a></p>',
        "summary": "A summary",
        "image": "https://blog.example/1.png",
        "date_published": "2024-01-02T03:04:05Z",
        "date_modified": "2024-01-03T00:00:00+01:00",
        "authors": [{"name": "Ann", "url": "https://ann.example/"}, {"name": "Bob"}],
        "attachments": [
            {
                "url": "https://blog.example/ep1.mp3",
                "mime_type": "audio/mpeg",
                "title": "Episode 1",
                "size_in_bytes": 3 * 2**20,
                "duration_in_seconds": 125,
            }
        ],
    }
    parsed = parse(document(item, home_page_url="https://blog.example/"))
    assert (parsed.title, parsed.site_url, parsed.malformed) == (
        "JSON Blog",
        "https://blog.example/",
        "",
    )
    (entry,) = parsed.entries
    assert entry.key == entry.guid == "post-1"
    assert entry.link == "https://blog.example/1/"
    assert entry.title == "Hello & <welcome>"  # JSON Feed titles are plain text
    assert entry.author == "Ann, Bob" and entry.author_email == ""
    assert entry.published == 1704164645.0 and entry.updated == 1704236400.0
    assert 'href="https://blog.example/about/"' in entry.content
    assert '<img src="https://blog.example/1.png"' in entry.content
    assert 'href="https://elsewhere.example/story"' in entry.content
    rendered = html_to_text(entry.content)
    assert "Episode 1][3] (audio/mpeg, 3.0 MB, 2:05)" in rendered.text
    assert rendered.links[2] == "https://blog.example/ep1.mp3"
    assert parsed.encoding.startswith("utf-8")


def test_version_1_0_author_and_numeric_id():
    item = {"id": 42, "content_text": "x <y>\nz", "author": {"name": "Jo"}}
    (entry,) = parse(document(item, version=V10)).entries
    assert entry.key == entry.guid == "42"  # 1.0: a number is coerced to a string
    assert entry.author == "Jo"
    assert html_to_text(entry.content).text == "x <y>\nz"


def test_feed_authors_are_the_items_authors_when_they_have_none():
    top = {"authors": [{"name": "Feed Person"}]}
    first, second = parse(
        document(
            {"id": "1", "content_text": "a"},
            {"id": "2", "content_text": "b", "authors": [{"name": "Own"}]},
            **top,
        )
    ).entries
    assert (first.author, second.author) == ("Feed Person", "Own")


def test_summary_when_there_is_no_content_and_missing_titles():
    item = {"id": "1", "summary": "Only a summary here", "url": "/posts/untitled/"}
    (entry,) = parse(document(item)).entries
    assert html_to_text(entry.content).text == "Only a summary here"
    assert entry.title == "Only a summary here"
    assert entry.link == "https://blog.example/posts/untitled/"
    bare = parse(document({"id": "2", "url": "https://blog.example/2024/no-text/"})).entries[0]
    assert bare.title == "2024/no-text"


def test_external_url_is_the_link_when_there_is_no_url():
    (entry,) = parse(
        document({"id": "1", "external_url": "https://x.example/a", "content_text": "t"})
    ).entries
    assert entry.link == "https://x.example/a" and "Link:" not in entry.content


def test_identity_falls_back_to_url_then_a_hash():
    one, two = parse(
        document(
            {"url": "https://blog.example/a", "content_text": "a"},
            {"title": "T", "content_text": "b"},
        )
    ).entries
    assert one.key == "https://blog.example/a" and one.guid == ""
    assert two.key.startswith("sha1:") and two.key == parse(document({"title": "T"})).entries[0].key


def test_bom_and_whitespace_before_the_object():
    parsed = parse(b"\xef\xbb\xbf \n" + document({"id": "1", "content_text": "a"}))
    assert [e.key for e in parsed.entries] == ["1"]


# --- bad input ---------------------------------------------------------------------------------


def test_wrong_types_are_ignored_and_reported():
    items = [
        {"id": "1", "title": 7, "content_html": ["x"], "url": {"a": 1}, "date_published": 5},
        "not an object",
        {"id": True, "content_text": "ok", "authors": "Ann", "attachments": {"url": "x"}},
    ]
    parsed = parse(document(*items))
    first, second = parsed.entries
    assert first.key == "1" and first.title == ""  # no text, no link: nothing to name it by
    assert first.link == "" and first.published is None
    assert second.guid == "" and second.author == ""
    assert parsed.malformed.startswith("item 1: url is not a string")
    assert parsed.malformed.endswith("(and 8 more problems)")


def test_items_that_are_not_a_list():
    parsed = parse(json.dumps({"version": V11, "title": "T", "items": {"id": "1"}}).encode())
    assert parsed.entries == [] and parsed.malformed == "items is not a list"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (
            b'{"version": "https://jsonfeed.org/version/1.1", "items": [' + b"[" * 50_000,
            "nested too deeply",
        ),
        (b'{"a": 1}', "not a JSON Feed"),
        (b'{"version": "https://example.org/version/9", "items": []}', "not a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "bad JSON"),
        (b'{"version": 1, "items": 2' + b"9" * 5000 + b"}", "bad JSON"),
    ],
    ids=["array-bomb", "items-bomb", "no-version", "other-version", "truncated", "huge-int"],
)
def test_bad_documents_are_refused_with_the_reason(body, reason):
    with pytest.raises(FeedError, match=reason):
        parse(body)


def test_huge_strings_are_capped():
    item = {
        "id": "x" * 100_000,
        "title": "t" * 100_000,
        "url": "https://blog.example/" + "a" * 10_000,
    }
    (entry,) = parse(document(item)).entries
    assert len(entry.key) == 2000 and len(entry.title) <= 1000 and entry.link == ""


def test_items_are_capped():
    items = [{"id": str(n), "content_text": "a"} for n in range(MAX_ENTRIES + 5)]
    assert len(parse(document(*items)).entries) == MAX_ENTRIES


def test_links_with_other_schemes_are_dropped():
    item = {
        "id": "1",
        "url": "javascript:alert(1)",
        "image": "data:image/png;base64,AAAA",
        "content_text": "a",
    }
    (entry,) = parse(document(item)).entries
    assert entry.link == "" and "data:" not in entry.content


def test_next_url_kept_only_on_the_same_origin():
    assert (
        parse(document(next_url="/feed.json?page=2")).next_url
        == "https://blog.example/feed.json?page=2"
    )
    assert parse(document(next_url="https://evil.example/feed.json")).next_url == ""
    assert parse(document(next_url="http://blog.example/feed.json?page=2")).next_url == ""


# --- refresh: identity, dedup and paging --------------------------------------------------------


async def test_refresh_stores_json_items_once(feed_server, store):
    body = document(
        {"id": "1", "content_text": "a"},
        {"id": "1", "content_text": "dup"},
        {"id": "2", "content_text": "b"},
    )
    url = feed_server.route("/feed.json", body=body, headers=JSON_TYPE)
    feed, _ = store.add_feed(url)
    config = Config(concurrency=2, fetch_timeout=5.0)
    first = await refresh_feeds(store, [feed], config, processes=0)
    again = await refresh_feeds(store, [store.get_feed(feed.id)], config, processes=0)
    assert (first.new_articles, again.new_articles, first.failed) == (2, 0, 0)
    stored = store.get_feed(feed.id)
    assert stored.title == "JSON Blog" and stored.encoding.startswith("utf-8")


async def test_next_url_pages_are_followed_bounded_and_without_loops(feed_server, store):
    def page(n: int, next_path: str) -> Response:
        items = [{"id": f"{n}-{i}", "content_text": "x"} for i in range(2)]
        return Response(body=document(*items, next_url=next_path), headers=JSON_TYPE)

    feed_server.route("/p1", page(1, "/p2"))
    feed_server.route("/p2", page(2, "/p3"))
    feed_server.route("/p3", page(3, "/p1"))  # a loop back to the first page
    url = feed_server.url("/p1")
    feed, _ = store.add_feed(url)
    summary = await refresh_feeds(store, [feed], Config(fetch_timeout=5.0), processes=0)
    assert summary.new_articles == 6
    assert [len(feed_server.requests_to(p)) for p in ("/p1", "/p2", "/p3")] == [1, 1, 1]
    await refresh_feeds(store, [store.get_feed(feed.id)], Config(fetch_timeout=5.0), processes=0)
    assert len(feed_server.requests_to("/p2")) == 1  # nothing new on page 1: no paging


async def test_paging_stops_after_max_pages(feed_server, store):
    from blogtui.core.feeds.refresh import MAX_PAGES

    for n in range(1, 20):
        body = document({"id": str(n), "content_text": "x"}, next_url=f"/page{n + 1}")
        feed_server.route(f"/page{n}", body=body, headers=JSON_TYPE)
    feed, _ = store.add_feed(feed_server.url("/page1"))
    summary = await refresh_feeds(store, [feed], Config(fetch_timeout=5.0), processes=0)
    assert summary.new_articles == 1 + MAX_PAGES


# --- discovery and OPML ------------------------------------------------------------------------


async def test_discovery_finds_a_json_feed_link(feed_server):
    feed_server.route(
        "/feed.json", body=document({"id": "1", "content_text": "a"}), headers=JSON_TYPE
    )
    page = (
        b'<!doctype html><html><head><link rel="alternate" type="application/feed+json"'
        b' href="/feed.json" title="JSON"></head><body>hi</body></html>'
    )
    home = feed_server.route("/", body=page, headers={"Content-Type": "text/html"})
    async with make_client() as client:
        found = await discover_feed(client, home)
        direct = await discover_feed(client, feed_server.url("/feed.json"))
    assert found.feed_url == feed_server.url("/feed.json") and found.title == "JSON Blog"
    assert direct.feed_url == found.feed_url


async def test_opml_import_refresh_and_export_of_a_json_feed(feed_server, store):
    url = feed_server.route(
        "/feed.json", body=document({"id": "1", "content_text": "a"}), headers=JSON_TYPE
    )
    opml = (
        '<?xml version="1.0"?><opml version="2.0"><body><outline text="Tech">'
        f'<outline type="rss" text="J" xmlUrl="{url}" htmlUrl="https://blog.example/"/>'
        "</outline></body></opml>"
    )
    (entry,) = parse_opml(opml.encode())
    feed, _ = store.add_feed(entry.url, entry.title, entry.site_url, entry.folder)
    summary = await refresh_feeds(store, [feed], Config(fetch_timeout=5.0), processes=0)
    assert (summary.new_articles, summary.failed) == (1, 0)
    stored = store.get_feed(feed.id)
    exported = write_opml([OpmlFeed(stored.url, stored.title, stored.folder, stored.site_url)])
    assert parse_opml(exported.encode()) == [
        OpmlFeed(url, "JSON Blog", "Tech", "https://blog.example/")
    ]


def test_control_characters_never_reach_titles_or_authors():
    item = {"id": "1", "title": "\x1b[31mred\u202e", "authors": [{"name": "A\x07nn\x1b]0;x\x07"}]}
    (entry,) = parse(document(item)).entries
    assert "\x1b" not in entry.title + entry.author and "\u202e" not in entry.title
    assert entry.title.endswith("red")
