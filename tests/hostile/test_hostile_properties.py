"""Property: arbitrary bytes (and feed-shaped noise) as a feed body never crash the refresh path.

parse_feed either returns entries or raises FeedError; whatever it returns is stored and
rendered. (Sanitiser and comment-tree properties live in tests/core.)"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blogtui.core.errors import FeedError
from blogtui.core.feeds.parse import parse_feed
from blogtui.core.store import Store
from blogtui.core.text.html import html_to_text

FRAGMENTS = [
    b'<?xml version="1.0" encoding="utf-8"?>', b'<?xml version="1.0" encoding="utf-16"?>',
    b"<rss version=\"2.0\">", b"<channel>", b"<item>", b"<title>", b"</title>", b"</item>",
    b"<feed xmlns=\"http://www.w3.org/2005/Atom\">", b"<entry>", b"<content type=\"html\">",
    b"<![CDATA[", b"]]>", b"<!DOCTYPE rss [", b"<!ENTITY a \"b\">", b"]>", b"&a;", b"&#27;",
    b"&uuml;", b"\x1b]0;x\x07", b"\xff\xfe", b"\xef\xbb\xbf", b"\x00", b"\xc3", b"<", b">",
    b"<description>&lt;p&gt;x&lt;/p&gt;</description>", b"<link>javascript:x</link>",
]  # fmt: skip
NOISE = st.one_of(
    st.binary(max_size=2000),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.binary(max_size=20)), max_size=40).map(
        b"".join
    ),
)
TYPES = ["text/xml; charset=utf-16", "application/xml; charset=bogus", "text/html",
         "application/rss+xml; charset=windows-1252"]  # fmt: skip
HEADERS = st.one_of(st.just({}), st.sampled_from(TYPES).map(lambda t: {"content-type": t}))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=NOISE, headers=HEADERS)
def test_any_body_is_a_feed_or_a_feed_error(body: bytes, headers: dict[str, str]) -> None:
    try:
        parsed = parse_feed(body, "http://127.0.0.1/feed", headers)
    except FeedError as error:
        assert error.message
        return
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "p.db")
        feed, _ = store.add_feed("http://127.0.0.1/feed")
        store.upsert_articles(feed.id, parsed.entries)
        for article_id in store.article_ids():
            article = store.get_article(article_id)
            assert article is not None
            html_to_text(article.content, article.link)
        store.close()
