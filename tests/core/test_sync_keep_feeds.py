"""An account removed with its feeds kept: the next direct refresh of such a feed finds the
articles the server gave (keyed by their link: servers hide guids) instead of doubling them, and
their read and starred state stays."""

from __future__ import annotations

import pytest
from feedserver import Response

from blogtui.core.config import Config
from blogtui.core.feeds.refresh import refresh_feeds
from blogtui.core.store import Store
from blogtui.core.sync.base import Account, RemoteArticle, RemoteFeed

RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}


def rss(*posts: int) -> bytes:
    items = "".join(
        f"<item><title>Beitrag {n} über Äpfel</title><link>http://blog.example/{n}/</link>"
        f"<guid isPermaLink='false'>tag:blog.example,2026:{n}</guid>"
        f"<description>Text {n}</description></item>"
        for n in posts
    )
    head = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Blog'
    tail = f"</title><link>http://blog.example/</link>{items}</channel></rss>"
    return (head + tail).encode()


@pytest.fixture
def store(tmp_path):
    db = Store(tmp_path / "blogtui.db")
    yield db
    db.close()


def synced(store: Store, url: str) -> int:
    """A feed synced through account "home" with articles 1-3 (2 read, 3 starred)."""
    store.add_account(Account("home", "ttrss", "https://rss.example.org/", "jörg"))
    feed = store.map_feed("home", RemoteFeed("9", url, "Blog", ""))
    assert feed is not None
    articles = [
        RemoteArticle(str(100 + n), "9", "", f"http://blog.example/{n}/", f"Beitrag {n}",
                      "Jörg", f"<p>Text {n}</p>", 1.7e9 + n, n != 2, n == 3)
        for n in (1, 2, 3)
    ]  # fmt: skip
    store.save_remote_articles("home", articles, {"9": feed})
    return feed


def state(store: Store, feed: int) -> dict[str, tuple[bool, bool]]:
    rows = store.db.execute(
        "SELECT link, read, starred FROM articles WHERE feed_id = ? ORDER BY link", (feed,)
    )
    return {r[0]: (bool(r[1]), bool(r[2])) for r in rows}


async def test_a_kept_feed_refreshed_directly_keeps_its_articles_once(feed_server, store):
    url = feed_server.route("/feed", Response(body=rss(1, 2, 3, 4), headers=RSS))
    feed = synced(store, url)
    store.remove_account("home", drop_feeds=False)
    [kept] = [f for f in store.list_feeds() if f.id == feed]
    await refresh_feeds(store, [kept], Config(concurrency=2, fetch_timeout=5.0), processes=0)
    assert state(store, feed) == {
        "http://blog.example/1/": (False, False),
        "http://blog.example/2/": (True, False),
        "http://blog.example/3/": (False, True),
        "http://blog.example/4/": (False, False),
    }
    keys = {r[0] for r in store.db.execute("SELECT key FROM articles WHERE feed_id = ?", (feed,))}
    assert keys == {f"tag:blog.example,2026:{n}" for n in (1, 2, 3, 4)}  # the feed's own now


async def test_a_feed_never_synced_keeps_one_link_twice_apart(feed_server, store):
    same = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>B</title>'
            b"<item><title>A</title><link>http://blog.example/x/</link><guid>a</guid></item>"
            b"<item><title>B</title><link>http://blog.example/x/</link><guid>b</guid></item>"
            b"</channel></rss>")  # fmt: skip
    url = feed_server.route("/feed", Response(body=same, headers=RSS))
    feed, _ = store.add_feed(url)
    await refresh_feeds(store, [feed], Config(concurrency=2, fetch_timeout=5.0), processes=0)
    keys = {
        r[0] for r in store.db.execute("SELECT key FROM articles WHERE feed_id = ?", (feed.id,))
    }
    assert keys == {"a", "b"}
