"""The "Starred" list's store side: the starred articles of every feed, newest first, their count,
and the partial index that gives both without reading the other articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from blogtui.core.models import EntryData
from blogtui.core.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "blogtui.db")


def seed(store: Store) -> dict[str, int]:
    """Two feeds, three articles each (published 1..6 alternating); ids by key."""
    technik, _ = store.add_feed("https://technik.example.org/feed", "Technik")
    kultur, _ = store.add_feed("https://kultur.example.org/feed", "Kultur")
    for number in range(1, 7):
        feed = technik if number % 2 else kultur
        entry = EntryData(key=f"a{number}", title=f"Artikel {number} über Äpfel",
                          link=f"https://b.example/{number}", published=float(number))  # fmt: skip
        store.upsert_articles(feed.id, [entry])
    rows = store.db.execute("SELECT key, id FROM articles")
    return {key: article_id for key, article_id in rows}


def test_starred_only_lists_the_starred_of_every_feed_newest_first(store: Store) -> None:
    ids = seed(store)
    store.set_starred([ids["a1"], ids["a4"], ids["a5"]])
    assert store.article_ids(starred_only=True) == [ids["a5"], ids["a4"], ids["a1"]]
    assert store.article_ids(starred_only=True, limit=2) == [ids["a5"], ids["a4"]]
    assert store.article_count(starred_only=True) == 3
    store.set_read([ids["a4"]])
    assert store.article_ids(starred_only=True, unread_only=True) == [ids["a5"], ids["a1"]]
    assert store.article_count(starred_only=True, unread_only=True) == 2
    assert store.article_ids(starred_only=True, order="title") == [ids["a1"], ids["a4"], ids["a5"]]
    store.set_starred([ids["a5"]], False)
    assert store.article_ids(starred_only=True) == [ids["a4"], ids["a1"]]
    assert store.article_count(starred_only=True) == 2
    # Unchanged without the filter, and the filter combines with feeds.
    assert len(store.article_ids()) == 6
    technik = store.get_article(ids["a1"])
    assert technik is not None
    assert store.article_ids([technik.feed_id], starred_only=True) == [ids["a1"]]


def test_nothing_starred_lists_nothing_and_counts_zero(store: Store) -> None:
    seed(store)
    assert store.article_ids(starred_only=True) == []
    assert store.article_count(starred_only=True) == 0


def plan(store: Store, sql: str, params: tuple[object, ...] = ()) -> str:
    rows = store.db.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    return " | ".join(row[-1] for row in rows)


def test_the_starred_list_and_count_use_the_starred_index(store: Store) -> None:
    seed(store)
    listing = plan(
        store,
        "SELECT a.id FROM articles a WHERE a.starred = 1"
        " ORDER BY a.published DESC, a.id DESC LIMIT ?",
        (200,),
    )
    assert "articles_starred" in listing
    assert "TEMP B-TREE" not in listing  # the index gives the order: no sort
    count = plan(store, "SELECT count(*) FROM articles a WHERE a.starred = 1")
    assert "articles_starred" in count
    unread = plan(
        store,
        "SELECT a.id FROM articles a WHERE a.read = 0 AND a.starred = 1"
        " ORDER BY a.published DESC, a.id DESC LIMIT ?",
        (200,),
    )
    assert "articles_starred" in unread  # not the unread index, which holds far more


def test_the_store_queries_are_the_ones_planned(store: Store) -> None:
    """The SQL the store runs is the SQL whose plan is checked above (no drift)."""
    seed(store)
    statements: list[str] = []
    store.db.set_trace_callback(statements.append)
    store.article_ids(starred_only=True, limit=200)
    store.article_count(starred_only=True)
    store.db.set_trace_callback(None)
    listing, count = (s for s in statements if s.startswith("SELECT"))
    assert listing.replace("200", "?") == (
        "SELECT a.id FROM articles a WHERE a.starred = 1"
        " ORDER BY a.published DESC, a.id DESC LIMIT ?"
    )
    assert count == "SELECT count(*) FROM articles a WHERE a.starred = 1"
