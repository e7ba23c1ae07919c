"""Saving a page of a server's articles in bulk (core/store/sync_articles.py): the same rules as
one at a time — twins, keys taken twice, a server repeating itself, pending local changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from blogtui.core.models import EntryData
from blogtui.core.store import Store
from blogtui.core.sync.base import Account, RemoteArticle, RemoteFeed

NAME = "home"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "blogtui.db")
    store.add_account(Account(NAME, "ttrss", "https://rss.example.org/", "jörg"))
    return store


def article(remote_id: str, link: str, *, unread: bool = True, starred: bool = False,
            guid: str = "", title: str = "") -> RemoteArticle:  # fmt: skip
    return RemoteArticle(remote_id, "7", guid, link, title or f"Artikel {remote_id} über Äpfel",
                         "Jörg", "<p>Grüße</p>", 1.7e9, unread, starred)  # fmt: skip


def mapped(store: Store) -> dict[str, tuple[int, str, bool, bool]]:
    """remote id -> (local id, key, read, starred)."""
    rows = store.db.execute(
        "SELECT m.remote_id, a.id, a.key, a.read, a.starred FROM sync_articles m"
        " JOIN articles a ON a.id = m.article_id"
    )
    return {r[0]: (int(r[1]), str(r[2]), bool(r[3]), bool(r[4])) for r in rows}


def feed_of(store: Store) -> int:
    local = store.map_feed(NAME, RemoteFeed("7", "https://blog.example.org/feed", "Blog", ""))
    assert local is not None
    return local


def test_a_page_is_stored_with_its_state_and_counted_once(store):
    feeds = {"7": feed_of(store)}
    page = [article(str(n), f"https://blog.example.org/{n}", unread=n % 2 == 0,
                    starred=n == 3) for n in range(1, 7)]  # fmt: skip
    assert store.save_remote_articles(NAME, page, feeds, "f/7/6") == 6
    state = mapped(store)
    assert {r: (s[2], s[3]) for r, s in state.items()} == {
        "1": (True, False), "2": (False, False), "3": (True, True),
        "4": (False, False), "5": (True, False), "6": (False, False),
    }  # fmt: skip
    assert len({s[0] for s in state.values()}) == 6
    feed = next(f for f in store.list_feeds() if f.id == feeds["7"])
    assert (feed.total, feed.unread) == (6, 3)
    assert store.save_remote_articles(NAME, page, feeds) == 0  # the same page again: nothing new
    assert mapped(store) == state


def test_a_server_naming_an_article_twice_in_a_page_gives_one_article(store):
    feeds = {"7": feed_of(store)}
    page = [article("1", "https://blog.example.org/1"),
            article("1", "https://blog.example.org/1", unread=False)]  # fmt: skip
    assert store.save_remote_articles(NAME, page, feeds) == 1
    assert mapped(store)["1"][2] is True  # its last word


def test_keys_taken_twice_even_after_the_store_filters_them(store):
    feeds = {"7": feed_of(store)}
    page = [
        article("1", "https://blog.example.org/same"),
        article("2", "https://blog.example.org/same"),
        article("3", "", guid="tag:blog\x00,2026:1"),  # NUL is dropped on the way in...
        article("4", "", guid="tag:blog,2026:1"),  # ...so this key is the same one
        article("5", "javascript:alert(1)"),  # no key at all
    ]
    assert store.save_remote_articles(NAME, page, feeds) == 5
    keys = {r: s[1] for r, s in mapped(store).items()}
    assert keys["1"] == "https://blog.example.org/same"
    assert keys["2"] == f"sync:{NAME}:2"
    assert keys["3"] == "tag:blog,2026:1" and keys["4"] == f"sync:{NAME}:4"
    assert keys["5"] == f"sync:{NAME}:5"


def test_a_directly_fetched_twin_is_taken_not_doubled_next_to_new_ones(store):
    local = feed_of(store)
    store.upsert_articles(local, [EntryData(key="https://blog.example.org/1", title="direkt",
                                            link="https://blog.example.org/1")])  # fmt: skip
    twin = store.article_ids_by_link(["https://blog.example.org/1"])["https://blog.example.org/1"]
    page = [article("1", "https://blog.example.org/1"), article("2", "https://blog.example.org/2")]
    assert store.save_remote_articles(NAME, page, {"7": local}) == 1
    state = mapped(store)
    assert state["1"][0] == twin and state["2"][0] != twin
    assert store.article_count([local]) == 2


def test_a_pending_local_change_survives_the_servers_older_word(store):
    feeds = {"7": feed_of(store)}
    page = [article("1", "https://blog.example.org/1"), article("2", "https://blog.example.org/2")]
    store.save_remote_articles(NAME, page, feeds)
    first = mapped(store)["1"][0]
    store.set_read([first], True)  # queued for the server
    again = [article("1", "https://blog.example.org/1", unread=True, starred=True),
             article("2", "https://blog.example.org/2", unread=False)]  # fmt: skip
    store.save_remote_articles(NAME, again, feeds)
    state = mapped(store)
    assert state["1"][2:] == (True, True)  # read stays ours; the star is the server's
    assert state["2"][2] is True
    queued = store.db.execute("SELECT field, value FROM sync_queue").fetchall()
    assert queued == [("read", 1)]
