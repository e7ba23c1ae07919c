"""Several comment sources per article: the blog's own thread stays as it was, the other
systems the page shows are recorded, each source is read by name and keeps its own comments,
state and new-since-last-visit marks; discussions are read only on demand and stay stored."""

from __future__ import annotations

import sqlite3

import pytest
from posting_support import add_article, make_store
from support.sources import StubProvider, stub_registry, thread

from blogtui.core.comments.loading import load_thread
from blogtui.core.comments.sources import (
    load_source,
    look_up_discussions,
    ordered,
    source_title,
)
from blogtui.core.store import Store
from blogtui.core.store.migrations import MIGRATIONS
from blogtui.core.store.source_schema import keep_comments_per_source


@pytest.fixture
def stubs():
    blog = StubProvider("blogstub", label="Stub Blog")
    embed = StubProvider("embedstub", label="Stub Embed")
    fedi = StubProvider("fedistub", kind="elsewhere", label="Stub replies")
    news = StubProvider("newsstub", kind="discussion", label="Stub News", reply_mode="browser")
    with stub_registry(blog, embed, fedi, news):
        yield blog, embed, fedi, news


def article_with_threads(tmp_path, feed_server, stubs, counts=(3, 2, 4, 5)):
    store, _ = make_store(tmp_path)
    article = add_article(store, feed_server.url("/2024/artikel/"), title="Ein Artikel")
    for provider, count in zip(stubs, counts, strict=True):
        provider.threads[article.link] = thread(provider.name, count)
    return store, article


async def test_own_thread_is_picked_and_other_systems_recorded(
    tmp_path, feed_server, stubs, client
):
    blog, embed, fedi, news = stubs
    store, article = article_with_threads(tmp_path, feed_server, stubs)
    result = await load_thread(client, store, article)
    assert (result.provider, result.source, len(result.comments)) == ("blogstub", "", 3)
    sources = store.sources_of(article.id)
    assert [(s.name, s.kind, s.expected) for s in sources] == [
        ("embedstub", "blog", 2),
        ("fedistub", "elsewhere", 4),
    ]
    assert (embed.fetches, fedi.fetches, news.detects, news.fetches) == (0, 0, 0, 0)
    assert len(feed_server.requests_to("/2024/artikel/")) <= 1  # the page is read once


async def test_a_named_source_is_stored_apart_from_the_blogs_thread(
    tmp_path, feed_server, stubs, client
):
    store, article = article_with_threads(tmp_path, feed_server, stubs)
    await load_thread(client, store, article)
    result = await load_source(client, store, article, "fedistub")
    assert result.ok and result.source == "fedistub" and result.new == 4
    mine = [(c.key, c.parent_key, c.author) for c in store.comments_for(article.id, "fedistub")]
    assert mine == [(str(n), str(n - 1) if n > 1 else "", f"fedistub Schreiber {n}")
                    for n in range(1, 5)]  # fmt: skip
    own = store.comments_for(article.id)
    assert [c.author for c in own] == [f"blogstub Schreiber {n}" for n in (1, 2, 3)]
    assert store.get_article(article.id).comment_count == 3  # the blog's own count
    assert store.thread_state(article.id, "fedistub").fetched is not None
    assert store.thread_state(article.id).provider == "blogstub"
    again = await load_thread(client, store, article)  # a complete own thread deletes nothing
    assert len(again.comments) == 3 and len(store.comments_for(article.id, "fedistub")) == 4


async def test_each_source_has_its_own_marks(tmp_path, feed_server, stubs, client):
    store, article = article_with_threads(tmp_path, feed_server, stubs)
    await load_thread(client, store, article)
    await load_source(client, store, article, "fedistub")
    store.visit_thread(article.id, when=100.0, source="fedistub")
    assert store.thread_state(article.id, "fedistub").last_visit == 100.0
    assert store.thread_state(article.id).last_visit is None
    store.visit_thread(article.id, when=50.0)
    assert store.thread_state(article.id, "fedistub").last_visit == 100.0
    store.mark_seen([c.id for c in store.comments_for(article.id, "fedistub")])
    assert all(c.seen for c in store.comments_for(article.id, "fedistub"))
    assert not any(c.seen for c in store.comments_for(article.id))


async def test_discussions_are_read_on_demand_and_stay_stored(tmp_path, feed_server, stubs, client):
    news = stubs[3]
    store, article = article_with_threads(tmp_path, feed_server, stubs)
    await load_thread(client, store, article)
    found = await look_up_discussions(client, store, article)
    assert [(d.provider, d.comments, d.ok) for d in found] == [("newsstub", 5, True)]
    assert news.fetches == 0
    recorded = store.source_of(article.id, "newsstub")
    assert recorded is not None and (recorded.kind, recorded.expected) == ("discussion", 5)
    result = await load_source(client, store, article, "newsstub")
    assert result.ok and len(result.comments) == 5 and news.fetches == 1
    await load_thread(client, store, article)  # a refresh never reads discussions
    assert news.fetches == 1 and len(store.comments_for(article.id, "newsstub")) == 5
    assert store.source_of(article.id, "newsstub").count == 5


async def test_a_failed_source_keeps_what_is_stored(tmp_path, feed_server, stubs, client):
    fedi = stubs[2]
    store, article = article_with_threads(tmp_path, feed_server, stubs)
    await load_thread(client, store, article)
    await load_source(client, store, article, "fedistub")
    fedi.error = "Stub replies: the instance answered 503"
    result = await load_source(client, store, article, "fedistub")
    assert result.error == fedi.error and len(result.comments) == 4
    assert store.thread_state(article.id, "fedistub").error == fedi.error
    assert store.thread_state(article.id).error == ""


async def test_unknown_and_absent_sources_say_so(tmp_path, feed_server, stubs, client):
    store, article = article_with_threads(tmp_path, feed_server, stubs)
    unknown = await load_source(client, store, article, "nirgendwo")
    assert "nirgendwo" in unknown.error and not unknown.comments
    del stubs[1].threads[article.link]
    absent = await load_source(client, store, article, "embedstub")
    assert absent.error == "Stub Embed has no thread for this article"


async def test_without_an_own_thread_the_other_systems_are_still_recorded(
    tmp_path, feed_server, stubs, client
):
    store, article = article_with_threads(tmp_path, feed_server, stubs)
    del stubs[0].threads[article.link], stubs[1].threads[article.link]
    result = await load_thread(client, store, article)
    assert not result.ok
    assert [s.name for s in store.sources_of(article.id)] == ["fedistub"]


async def test_the_blog_engines_readings_of_one_thread_are_one_system(
    tmp_path, feed_server, client
):
    engine, feed = StubProvider("wordpress"), StubProvider("rss")
    embed, atom = StubProvider("disqus", label="Disqus"), StubProvider("atom")
    with stub_registry(embed, engine, atom, feed):
        store, _ = make_store(tmp_path)
        article = add_article(store, feed_server.url("/post/"))
        for provider in (engine, feed, atom):
            provider.threads[article.link] = thread("blog")
        assert (await load_thread(client, store, article)).provider == "wordpress"
        assert store.sources_of(article.id) == []
        embed.threads[article.link] = thread("disqus")
        assert (await load_thread(client, store, article)).provider == "wordpress"  # remembered
        assert [s.name for s in store.sources_of(article.id)] == ["disqus"]
    fresh, _ = make_store(tmp_path / "zwei")
    article = add_article(fresh, feed_server.url("/post/"))
    with stub_registry(embed, engine, atom, feed):
        assert (await load_thread(client, fresh, article)).provider == "disqus"
        assert [s.name for s in fresh.sources_of(article.id)] == ["wordpress"]


def test_titles_and_order_name_each_kind(stubs):
    assert source_title("blogstub", 34) == "Comments via Stub Blog · 34"
    assert source_title("fedistub", 12) == "Stub replies · 12"
    assert source_title("newsstub", 312) == "Stub News discussion · 312"
    assert source_title("newsstub") == "Stub News discussion"


def test_sources_are_listed_blog_elsewhere_discussion(tmp_path, stubs):
    from blogtui.core.store.sources import ThreadSource

    listed = [ThreadSource(1, "n", "discussion"), ThreadSource(1, "f", "elsewhere"),
              ThreadSource(1, "e", "blog")]  # fmt: skip
    assert [s.name for s in ordered(listed)] == ["e", "f", "n"]


def test_the_migration_keeps_every_comment_and_its_id(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    before = MIGRATIONS[: MIGRATIONS.index(keep_comments_per_source)]
    for migration in before:
        migration(db)
    db.execute(f"PRAGMA user_version = {len(before)}")
    db.execute("INSERT INTO feeds (id, url, added) VALUES (1, 'https://b.example/feed', 0)")
    db.execute("INSERT INTO articles (id, feed_id, key, link, fetched)"
               " VALUES (7, 1, 'k', 'https://b.example/p', 0)")  # fmt: skip
    db.execute("INSERT INTO comments (id, article_id, key, author, first_seen, seen, mine)"
               " VALUES (41, 7, '1', 'Jürgen Weiß', 5.0, 1, 1)")  # fmt: skip
    db.execute("INSERT INTO threads (article_id, provider, last_visit) VALUES (7, 'isso', 9.0)")
    db.close()
    store = Store(path)
    [comment] = store.comments_for(7)
    assert (comment.id, comment.author, comment.seen, comment.mine) == (
        41,
        "Jürgen Weiß",
        True,
        True,
    )
    assert store.thread_state(7).last_visit == 9.0 and store.sources_of(7) == []
    store.close()


def test_the_same_key_lives_in_two_sources(tmp_path):
    store, _ = make_store(tmp_path)
    article = add_article(store, "https://blog.example.de/p/")
    store.store_thread(article.id, thread("eigen", 2), provider="wordpress")
    store.store_thread(article.id, thread("fedi", 2), provider="fedistub", source="fedistub")
    store.add_comment(article.id, thread("ich", 3)[2], source="fedistub")
    store.mark_mine(article.id, "3", source="fedistub")
    assert [c.key for c in store.comments_for(article.id)] == ["1", "2"]
    assert [c.mine for c in store.comments_for(article.id, "fedistub")] == [False, False, True]
    assert store.sources_with_mine(article.id) == ["fedistub"]
    assert [c.mine for c in store.my_comments()] == [True]


def test_the_replies_watch_reloads_the_sources_holding_my_comments(tmp_path, feed_server, stubs):
    from blogtui.core.comments.replies import refresh_watched

    blog, _, fedi, news = stubs
    store, article = article_with_threads(tmp_path, feed_server, stubs)
    for source in ("fedistub", "newsstub"):
        store.add_comment(article.id, thread("ich", 1)[0], source=source)
        store.mark_mine(article.id, "1", source=source)
    assert refresh_watched(store, deadline=10.0, articles=[article]) == 0
    assert (blog.fetches, fedi.fetches, news.fetches) == (1, 1, 0)
    assert len(store.comments_for(article.id, "fedistub")) == 4


def test_the_source_holding_a_key_prefers_the_blogs_own_thread(tmp_path):
    store, _ = make_store(tmp_path)
    article = add_article(store, "https://blog.example.de/p/")
    store.store_thread(article.id, thread("eigen", 2), provider="wordpress")
    store.store_thread(article.id, thread("fedi", 3), provider="fedistub", source="fedistub")
    assert store.source_holding(article.id, "2") == ""
    assert store.source_holding(article.id, "3") == "fedistub"
    assert store.source_holding(article.id, "99") == ""
