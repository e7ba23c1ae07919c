"""NUL, form feeds, noncharacters and lone surrogates never reach the store (issue 12 item 8).

A malformed feed carrying them raw and as references is served on 127.0.0.1 and refreshed into a
real store twice (the second time a changed copy: updates go through the same filter, and a guid
that differs only by them stays one article); a WordPress REST comment page (JSON, where a lone
surrogate is one `\\ud800` away) goes through the provider's parser into the same store. Raw SQL
then reads every text column of every table.
"""

from __future__ import annotations

import json
import sqlite3
import sys

from feedserver import FeedServer, Response
from hostile_support import refresh
from hypothesis import given
from hypothesis import strategies as st

from blogtui.core.comments.wordpress import comments_of
from blogtui.core.models import EntryData
from blogtui.core.store import Store
from blogtui.core.text.storable import storable

NOT_TEXT = {"\x00", "\x0c", "\x0b", "\x01", "\x1b", "\ufffe", "\uffff", "\ufdd0", "\U0001fffe"}
# Raw in the bytes (feedparser's loose parser keeps them) and as numeric references.
PAYLOAD = (
    "a\x00b\x0cc\ufffe\uffff\ufdd0\U0001fffe\x0b\x01\x1bd &#0; &#12; &#xFFFE; &#xFFFF; &#xFDD0;"
)


def _feed(title: str, guid_tail: str) -> bytes:
    item = (
        f"<item><title>Artikel {title}</title><link>http://127.0.0.1/post?x={title}</link>"
        f"<guid isPermaLink='false'>g-1{guid_tail}</guid><dc:creator>Autorin {title}</dc:creator>"
        f"<description>&lt;p&gt;Inhalt {title} Ende&lt;/p&gt;</description></item>"
    )
    document = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>Feedname {title}</title><link>http://127.0.0.1/</link>{item}</channel></rss>"
    )
    return document.encode("utf-8")


def _bad_characters(database: str) -> list[tuple[str, str, str]]:
    """(table, column, repr of the value) for every stored text holding a character that is
    not text; read with a plain sqlite3 connection."""
    found = []
    with sqlite3.connect(database) as db:
        db.text_factory = lambda raw: raw.decode("utf-8", "surrogatepass")
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            if table.startswith("articles_fts_"):
                continue
            columns = [row[1] for row in db.execute(f"PRAGMA table_info('{table}')")]
            for row in db.execute(f"SELECT * FROM '{table}'"):
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, str) and (
                        NOT_TEXT & set(value) or any(0xD800 <= ord(c) <= 0xDFFF for c in value)
                    ):
                        found.append((table, column, repr(value[:80])))
    return found


async def test_a_malformed_feed_stores_no_character_that_is_not_text(
    feed_server: FeedServer, store: Store
) -> None:
    url = feed_server.route(
        "/feed",
        [Response(200, _feed(PAYLOAD, "\x00")), Response(200, _feed(PAYLOAD + " neu", ""))],
    )
    feed, _ = store.add_feed(url)
    first = await refresh(store, [feed])
    assert first.failed == 0, first.outcomes
    second = await refresh(store, [store.get_feed(feed.id) or feed])
    assert second.failed == 0, second.outcomes
    store.index_all()
    assert _bad_characters(str(store.path)) == []
    assert len(store.article_ids()) == 1  # "g-1\x00", then "g-1": the same article
    article = store.get_article(store.article_ids()[0])
    assert article is not None and "neu" in article.title
    assert "Feedname" in (store.get_feed(feed.id) or feed).title


async def test_guids_that_differ_only_by_such_characters_are_one_article(
    feed_server: FeedServer, store: Store
) -> None:
    twins = _feed("eins", "").replace(b"</channel>", _item(b"zwei", b"\x00") + b"</channel>")
    url = feed_server.route(
        "/feed", [Response(200, _feed("eins", "")), Response(200, twins), Response(200, twins)]
    )
    feed, _ = store.add_feed(url)
    for _ in range(3):
        summary = await refresh(store, [store.get_feed(feed.id) or feed])
        assert summary.failed == 0, summary.outcomes
    assert len(store.article_ids()) == 1
    assert _bad_characters(str(store.path)) == []


def _item(title: bytes, guid_tail: bytes) -> bytes:
    document = _feed(title.decode(), guid_tail.decode())
    return document[document.index(b"<item>") : document.index(b"</channel>")]


def test_comments_from_json_store_no_lone_surrogate(store: Store) -> None:
    feed, _ = store.add_feed("http://127.0.0.1/feed")
    page = (
        '[{"id": 7, "parent": 0, "author_name": "Eve \\ud800 \\u0000 \\ufffe",'
        ' "content": {"rendered": "<p>Hallo \\udfff \\ud83d\\ude00 \\u000c</p>"},'
        ' "link": "http://127.0.0.1/post#comment-7", "date_gmt": "2024-01-01T00:00:00"}]'
    )
    comments = comments_of(json.loads(page))
    assert "\ud800" in comments[0].author  # the provider hands the store a lone surrogate
    store.upsert_articles(feed.id, [EntryData(key="k", title="Beitrag")])
    article_id = store.article_ids()[0]
    store.store_thread(article_id, comments, provider="wordpress", error="")
    store.record_thread_error(article_id, "wordpress", "kaputt \x00 \ud800")
    [stored] = store.comments_for(article_id)
    assert stored.author == "Eve \ufffd  "
    assert "\U0001f600" in stored.content  # a pair that came as two halves is joined
    assert _bad_characters(str(store.path)) == []


def test_storable_keeps_text_and_is_idempotent() -> None:
    text = "Grüße\tund\nZeilen\r\n日本 😀 \u202e ␛ \x85"
    assert storable(text) == text
    assert storable(PAYLOAD) == "abcd &#0; &#12; &#xFFFE; &#xFFFF; &#xFDD0;"
    assert storable("x\ud800y\udc00\U0010ffff") == "x\ufffdy\ufffd"
    noncharacters = [*range(0xFDD0, 0xFDF0)] + [
        p << 16 | low for p in range(17) for low in (0xFFFE, 0xFFFF)
    ]
    assert len(noncharacters) == 66
    assert all(storable(f"a{chr(code)}b") == "ab" for code in noncharacters)
    assert all(storable(chr(code)) == "" for code in range(32) if chr(code) not in "\t\n\r")


@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=sys.maxunicode)))
def test_storable_is_idempotent_and_encodable(text: str) -> None:
    once = storable(text)
    assert storable(once) == once
    once.encode("utf-8")  # no lone surrogate left
