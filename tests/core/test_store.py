"""The SQLite store: identity, upserts, counts, migrations, corruption."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import FrozenInstanceError

import pytest

from blogtui.core.models import CommentData, EntryData
from blogtui.core.store import Store
from blogtui.core.store.migrations import MIGRATIONS


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "blogtui.db")
    yield store
    store.close()


def entry(key: str, **fields) -> EntryData:
    return EntryData(key=key, title=fields.pop("title", f"Titel {key}"), **fields)


def test_pragmas_and_schema(store):
    db = store.db
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert store.schema_version == len(MIGRATIONS)


def test_migrations_resume_from_an_older_version(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    MIGRATIONS[0](db)
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO feeds (url, added) VALUES ('http://a/feed', 0)")
    db.close()
    store = Store(path)
    assert store.schema_version == len(MIGRATIONS)
    assert [f.url for f in store.list_feeds()] == ["http://a/feed"]


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.db"
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    db.close()
    with pytest.raises(Exception, match="newer blogtui"):
        Store(path)


def test_adding_twice_is_a_no_op(store):
    first, created = store.add_feed("https://blog.example/feed/", "Blog")
    again, created_again = store.add_feed("https://blog.example/feed/", "Other")
    assert created and not created_again
    assert first.id == again.id and again.title == "Blog"


def test_rows_are_frozen(store):
    feed, _ = store.add_feed("https://blog.example/feed/")
    with pytest.raises(FrozenInstanceError):
        feed.title = "x"  # type: ignore[misc]


def test_refetch_updates_and_never_duplicates(store):
    feed, _ = store.add_feed("https://blog.example/feed/")
    assert store.upsert_articles(feed.id, [entry("a"), entry("b")]) == 2
    assert store.upsert_articles(feed.id, [entry("a", title="Neuer Titel")]) == 0
    ids = store.article_ids([feed.id])
    assert len(ids) == 2
    titles = {s.title for s in store.article_summaries(ids)}
    assert titles == {"Neuer Titel", "Titel b"}


def test_empty_refresh_keeps_articles(store):
    feed, _ = store.add_feed("https://blog.example/feed/")
    store.upsert_articles(feed.id, [entry("a")])
    store.upsert_articles(feed.id, [])
    store.record_fetch(feed.id, status=500, error="HTTP 500")
    assert len(store.article_ids([feed.id])) == 1
    assert store.get_feed(feed.id).last_error == "HTTP 500"


def test_unread_counts_follow_read_state(store):
    feed, _ = store.add_feed("https://blog.example/feed/")
    store.upsert_articles(feed.id, [entry(k) for k in "abc"])
    assert (store.get_feed(feed.id).unread, store.get_feed(feed.id).total) == (3, 3)
    first = store.article_ids([feed.id])[0]
    store.set_read([first])
    store.set_read([first])
    assert store.get_feed(feed.id).unread == 2
    store.mark_feed_read(feed.id)
    assert store.get_feed(feed.id).unread == 0
    store.set_read([first], read=False)
    assert store.get_feed(feed.id).unread == 1


def test_order_newest_first_and_summaries_keep_order(store):
    feed, _ = store.add_feed("https://blog.example/feed/")
    store.upsert_articles(feed.id, [entry("old", published=1.0), entry("new", published=2.0)])
    ids = store.article_ids()
    assert [s.title for s in store.article_summaries(ids)] == ["Titel new", "Titel old"]
    assert [s.id for s in store.article_summaries(list(reversed(ids)))] == list(reversed(ids))


def test_search_finds_words_in_body_with_umlauts(store):
    feed, _ = store.add_feed("https://blog.example/feed/")
    store.upsert_articles(
        feed.id,
        [
            entry("a", content="<p>Das Reparatur-Caf&eacute; in K&ouml;ln</p>"),
            entry("b", content="<p>Nothing here</p>"),
        ],
    )
    hits = store.search("köln")
    assert len(hits) == 1
    assert store.get_article(hits[0]).key == "a"
    assert store.search('"köln') == hits  # a stray quote is no FTS5 syntax error
    assert store.search('"unbalanced') == []
    assert store.search("   ") == []


def test_refresh_leaves_indexing_for_later_and_search_catches_up(store):
    feed, _ = store.add_feed("https://blog.example/feed/")
    entries = [entry(f"k{n}", content=f"<p>Wort{n} Straße</p>") for n in range(7)]
    assert store.upsert_articles(feed.id, entries) == 7
    assert store.unindexed_count() == 7
    assert store.index_pending(limit=3) == 3
    assert store.unindexed_count() == 4
    hits = store.search("wort5")  # indexes the other four first
    assert [store.get_article(h).key for h in hits] == ["k5"]
    assert store.unindexed_count() == 0
    assert len(store.search("straße")) == 7
    assert store.index_pending() == 0


def test_changed_article_is_reindexed_with_its_new_text(store):
    feed, _ = store.add_feed("https://blog.example/feed/")
    store.upsert_articles(feed.id, [entry("a", content="<p>Apfelkuchen</p>")])
    assert len(store.search("apfelkuchen")) == 1
    store.upsert_articles(feed.id, [entry("a", content="<p>Birnenkuchen</p>")])
    assert store.unindexed_count() == 1
    assert store.search("apfelkuchen") == []
    assert len(store.search("birnenkuchen")) == 1
    rows = store.db.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
    assert rows == 1


def test_articles_indexed_before_the_migration_stay_indexed(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    for migration in MIGRATIONS[:5]:
        migration(db)
    db.execute("PRAGMA user_version = 5")
    db.execute("INSERT INTO feeds (url, added) VALUES ('http://a/feed', 0)")
    db.execute(
        "INSERT INTO articles (feed_id, key, title, content, fetched) VALUES (1, 'k', 'T', 'x', 0)"
    )
    db.execute(
        "INSERT INTO articles_fts (rowid, title, author, body) VALUES (1, 'T', '', 'Kirsche')"
    )
    db.close()
    store = Store(path)
    assert store.unindexed_count() == 0
    assert len(store.search("kirsche")) == 1
    assert store.db.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 1
    store.close()


def test_article_count_follows_inserts_reads_and_removal(store):
    one, _ = store.add_feed("https://one.example/feed/")
    two, _ = store.add_feed("https://two.example/feed/")
    store.upsert_articles(one.id, [entry(f"a{n}") for n in range(5)])
    store.upsert_articles(two.id, [entry(f"b{n}") for n in range(3)])
    assert store.article_count() == 8
    assert store.article_count([one.id]) == 5
    assert store.article_count([one.id, two.id], unread_only=True) == 8
    store.set_read(store.article_ids([one.id])[:2], True)
    assert store.article_count([one.id], unread_only=True) == 3
    assert store.article_count(None, unread_only=True) == 6
    assert store.article_count([]) == 0
    store.remove_feed(two.id)
    assert store.article_count() == len(store.article_ids()) == 5


def test_removing_a_feed_removes_its_articles(store):
    feed, _ = store.add_feed("https://blog.example/feed/")
    store.upsert_articles(feed.id, [entry("a")])
    assert store.remove_feed(feed.id)
    assert store.article_ids() == []
    assert store.search("Titel") == []


def test_record_fetch_moves_url_only_when_free(store):
    feed, _ = store.add_feed("https://old.example/feed/")
    other, _ = store.add_feed("https://taken.example/feed/")
    store.record_fetch(feed.id, status=200, new_url="https://taken.example/feed/")
    assert store.get_feed(feed.id).url == "https://old.example/feed/"
    store.record_fetch(feed.id, status=200, new_url="https://new.example/feed/", etag='"e1"')
    moved = store.get_feed(feed.id)
    assert (moved.url, moved.etag) == ("https://new.example/feed/", '"e1"')


def test_threads_upsert_and_mark_deleted(store):
    feed, _ = store.add_feed("https://blog.example/feed/")
    store.upsert_articles(feed.id, [entry("a")])
    article = store.article_ids()[0]
    comments = [CommentData("1", "", "Anna", "Erster"), CommentData("2", "1", "Ben", "Antwort")]
    assert store.store_thread(article, comments, provider="wordpress") == 2
    assert store.store_thread(article, comments[:1], provider="wordpress") == 0
    assert [c.key for c in store.comments_for(article)] == ["1"]
    assert store.store_thread(article, comments, provider="wordpress", partial=True) == 0
    assert len(store.comments_for(article)) == 2
    assert store.thread_state(article).partial


def test_one_connection_per_thread(store):
    seen = []
    thread = threading.Thread(target=lambda: seen.append(store.db))
    thread.start()
    thread.join()
    assert seen[0] is not store.db


def test_corrupt_database_is_moved_aside(tmp_path):
    path = tmp_path / "blogtui.db"
    path.write_bytes(b"this is not a database at all" * 100)
    store = Store(path)
    assert store.recovered_from is not None
    assert store.recovered_from.read_bytes().startswith(b"this is not a database")
    assert store.integrity_ok()


def _live_log(tmp_path) -> tuple[bytes, bytes]:
    """A database and the write-ahead log its writer left (copied while it was open)."""
    path = tmp_path / "writer.db"
    Store(path).close()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("INSERT INTO blogs (site, updated) VALUES ('https://blog.example', 1)")
    data, log = path.read_bytes(), path.with_name("writer.db-wal").read_bytes()
    writer.close()
    return data, log


@pytest.mark.parametrize(
    ("offset", "reason"),
    [(None, None), (24, "its log file is damaged"), (0, "its log file is not an SQLite log")],
)
def test_a_log_is_checked_by_its_header(tmp_path, offset, reason):
    from blogtui.core.store.damage import file_damage

    data, log = _live_log(tmp_path)
    if offset is not None:  # one bit flipped in the checksum, or in the magic number
        log = log[:offset] + bytes([log[offset] ^ 1]) + log[offset + 1 :]
    path = tmp_path / "blogtui.db"
    path.write_bytes(data)
    path.with_name("blogtui.db-wal").write_bytes(log)
    assert file_damage(path) == reason
