"""Articles without dates (RSS 0.91 feeds, hand-written ones), or with the same date, are shown
in the feed's own order, newest (first in the document) on top, in the first refresh and after."""

from __future__ import annotations

from blogtui.core.feeds.parse import parse_feed
from blogtui.core.store import Store

URL = "http://old.example/rss"


def rss(items: list[tuple[str, str]]) -> bytes:
    """An RSS 0.91 feed of (title, pubDate or "") items, in this order."""
    body = ""
    for title, date in items:
        when = f"<pubDate>{date}</pubDate>" if date else ""
        body += f"<item><title>{title}</title><link>http://old.example/{title}</link>{when}</item>"
    return (
        f'<?xml version="1.0"?><rss version="0.91"><channel><title>Old</title>{body}'
        "</channel></rss>"
    ).encode()


def shown(store: Store, feed_id: int) -> list[str]:
    return [store.get_article(i).title for i in store.article_ids([feed_id])]


def test_undated_articles_keep_the_feeds_order(tmp_path):
    store = Store(tmp_path / "db.sqlite")
    feed, _ = store.add_feed(URL)
    store.upsert_articles(
        feed.id, parse_feed(rss([("Third", ""), ("Second", ""), ("First", "")]), URL).entries
    )
    assert shown(store, feed.id) == ["Third", "Second", "First"]
    later = rss([("Fourth", ""), ("Third", ""), ("Second", ""), ("First", "")])
    store.upsert_articles(feed.id, parse_feed(later, URL).entries)
    assert shown(store, feed.id) == ["Fourth", "Third", "Second", "First"]
    store.close()


def test_articles_of_the_same_date_keep_the_feeds_order(tmp_path):
    store = Store(tmp_path / "db.sqlite")
    feed, _ = store.add_feed(URL)
    day = "Mon, 01 Jan 2024 00:00:00 GMT"
    body = rss([("Late", "Tue, 02 Jan 2024 00:00:00 GMT"), ("B", day), ("A", day)])
    store.upsert_articles(feed.id, parse_feed(body, URL).entries)
    assert shown(store, feed.id) == ["Late", "B", "A"]
    store.close()
