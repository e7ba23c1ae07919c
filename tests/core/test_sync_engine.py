"""The sync engine's rules against a tiny in-memory backend (tests/core/sync_fake.py)."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from sync_fake import DAY, FakeBackend, FakeServer

from blogtui.core.store import Store
from blogtui.core.sync.base import SyncError
from blogtui.core.sync.engine import SanityError, Sync, subscribe, sync_lock

NOW = time.time()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "blogtui.db")
    return store


@pytest.fixture
def server() -> FakeServer:
    server = FakeServer()
    server.add_feed("1", "https://blog.example.org/feed", "Technik")
    server.add_feed("2", "https://other.example.net/atom.xml")
    for day in range(5):
        server.add_article("1", NOW - day * DAY, unread=day % 2 == 0)
    server.add_article("2", NOW - DAY)
    return server


async def run(store: Store, server: FakeServer, **options: bool) -> None:
    backend = FakeBackend(server)
    store.add_account(backend.account)
    async with httpx.AsyncClient() as client:
        await Sync(store, backend, client, **options).run()


def state(store: Store) -> dict[str, tuple[bool, bool]]:
    """remote id -> (read, starred) of every mapped article."""
    rows = store.db.execute(
        "SELECT m.remote_id, a.read, a.starred FROM sync_articles m"
        " JOIN articles a ON a.id = m.article_id"
    )
    return {r[0]: (bool(r[1]), bool(r[2])) for r in rows}


def local_id(store: Store, remote_id: str) -> int:
    row = store.db.execute(
        "SELECT article_id FROM sync_articles WHERE remote_id = ?", (remote_id,)
    ).fetchone()
    return int(row[0])


async def test_first_sync_takes_feeds_folders_articles_and_their_state(store, server):
    await run(store, server)
    feeds = {f.url: f for f in store.list_feeds()}
    assert set(feeds) == {f.url for f in server.feeds.values()}
    assert feeds["https://blog.example.org/feed"].folder == "Technik"
    assert state(store) == {a.id: (not a.unread, False) for a in server.articles.values()}
    assert store.synced_feed_ids() == set(store.remote_feeds("home").values())
    article = store.get_article(local_id(store, "1"))
    assert article is not None and article.title == "Artikel 1 über Äpfel"
    assert article.comments_url == server.articles["1"].link + "#comments"  # threads still work


async def test_a_local_mark_is_queued_with_the_change_and_pushed_once(store, server):
    await run(store, server)
    store.set_read([local_id(store, "1")])
    store.set_starred([local_id(store, "2")])
    assert store.queued_count() == 2
    await run(store, server)
    assert not server.articles["1"].unread and server.articles["2"].starred
    assert store.queued_count() == 0
    marks = [c for c in server.calls if c[0] == "mark"]
    assert marks == [("mark", (["1"], "read", True)), ("mark", (["2"], "starred", True))]


async def test_the_last_local_change_wins_and_a_failed_push_keeps_the_queue(store, server):
    await run(store, server)
    article = local_id(store, "1")
    store.set_read([article])
    store.set_read([article], read=False)
    store.set_read([article])
    assert [(m.field, m.value) for m in store.queued_marks("home")] == [("read", True)]
    server.fail_marks = True
    with pytest.raises(SyncError):
        await run(store, server)
    assert store.queued_count() == 1 and state(store)["1"] == (True, False)
    server.fail_marks = False
    await run(store, server)
    assert store.queued_count() == 0 and not server.articles["1"].unread


async def test_a_change_made_during_the_push_stays_queued(store, server):
    await run(store, server)
    article = local_id(store, "1")
    store.set_read([article])
    backend = FakeBackend(server)
    original = backend.mark

    async def mark_and_change(*args: object) -> None:
        await original(*args)  # type: ignore[arg-type]
        if len(server.calls) == 1:
            store.set_read([article], read=False)  # the user, meanwhile

    backend.mark = mark_and_change  # type: ignore[method-assign]
    async with httpx.AsyncClient() as client:
        await Sync(store, backend, client).push()
    # the ack of the first change did not drop the second: it went out after it
    assert [c[1] for c in server.calls if c[0] == "mark"] == [
        (["1"], "read", True),
        (["1"], "read", False),
    ]
    assert server.articles["1"].unread and store.queued_count() == 0


async def test_reads_elsewhere_arrive_but_never_outside_the_retention_window(store, server):
    old = server.add_article("1", NOW - 60 * DAY)
    await run(store, server)
    server.set("1", unread=False)
    server.set(old, unread=False)
    await run(store, server)
    assert state(store)["1"] == (True, False)
    assert state(store)[old] == (False, False)  # the server may have dropped it: left alone


async def test_a_change_made_during_the_sync_wins_over_the_servers_sets(store, server):
    await run(store, server)
    article = local_id(store, "2")  # read on the server and here
    backend = FakeBackend(server)
    original = backend.unread_ids

    async def unread_while_the_user_marks(client: httpx.AsyncClient) -> set[str]:
        store.set_read([article], read=False)  # the user, between push and pull
        return await original(client)

    backend.unread_ids = unread_while_the_user_marks  # type: ignore[method-assign]
    async with httpx.AsyncClient() as client:
        await Sync(store, backend, client).run()
    assert state(store)["2"] == (False, False)
    assert [(m.remote_id, m.value) for m in store.queued_marks("home")] == [("2", False)]
    await run(store, server)
    assert server.articles["2"].unread and state(store)["2"] == (False, False)


async def test_unread_contradicting_an_acknowledged_read_aborts(store, server):
    await run(store, server)
    server.set("5", unread=False)
    store.set_read([local_id(store, "1")])
    server.ignore_marks = True
    with pytest.raises(SanityError, match="just taken as read"):
        await run(store, server)
    assert state(store)["5"] == (False, False)  # nothing reconciled


async def test_marking_most_unread_articles_read_at_once_aborts_unless_allowed(store, server):
    many = [server.add_article("2", NOW - 3600) for _ in range(80)]
    await run(store, server)
    for article_id in many:
        server.set(article_id, unread=False)
    with pytest.raises(SanityError, match="--allow-mass-read"):
        await run(store, server)
    assert all(not state(store)[i][0] for i in many)
    await run(store, server, allow_mass_read=True)
    assert all(state(store)[i][0] for i in many)


async def test_mark_feed_read_uses_the_servers_catch_up(store, server):
    await run(store, server)
    feed_id = store.remote_feeds("home")["1"]
    before = time.time()
    store.mark_feed_read(feed_id)
    await run(store, server)
    catch_ups = [c[1] for c in server.calls if c[0] == "catch_up"]
    assert len(catch_ups) == 1 and catch_ups[0][0] == "1" and catch_ups[0][1] >= before
    assert not [c for c in server.calls if c[0] == "mark"]  # the catch-up covered them
    assert store.queued_count() == 0
    assert all(not a.unread for a in server.articles.values() if a.feed_id == "1")


async def test_a_feed_subscribed_both_ways_is_never_doubled(store, server):
    feed, _ = store.add_feed("https://blog.example.org/feed")
    link = server.articles["1"].link
    from blogtui.core.models import EntryData

    store.upsert_articles(feed.id, [EntryData(key=link, title="direkt", link=link)])
    await run(store, server)
    assert len(store.list_feeds()) == 2
    assert store.article_count([feed.id]) == 5
    assert local_id(store, "1") == store.article_ids_by_link([link])[link]


async def test_subscriptions_follow_the_server_both_ways(store, server):
    await run(store, server)
    server.feeds.pop("2")
    await run(store, server)
    assert [f.url for f in store.list_feeds()] == ["https://blog.example.org/feed"]
    store.remove_feed(store.remote_feeds("home")["1"])
    await run(store, server)
    assert ("unsubscribe", "1") in server.calls and not server.feeds
    backend = FakeBackend(server)
    async with httpx.AsyncClient() as client:
        feed_id = await subscribe(store, backend, client, "https://neu.example.org/rss", "Neu")
    assert store.get_feed(feed_id) is not None and feed_id in store.synced_feed_ids()


async def test_a_server_suddenly_listing_no_feeds_removes_none(store, server):
    await run(store, server)
    server.feeds.clear()
    with pytest.raises(SanityError, match="no subscriptions"):
        await run(store, server)
    assert len(store.list_feeds()) == 2


async def test_unknown_listed_articles_are_fetched_in_batches(store, server):
    await run(store, server)
    store.db.execute("DELETE FROM articles WHERE id = ?", (local_id(store, "1"),))
    await run(store, server)
    assert ("articles", ["1"]) in server.calls and "1" in state(store)


def test_one_sync_per_database_at_a_time(tmp_path: Path):
    database = tmp_path / "blogtui.db"
    with sync_lock(database):
        with pytest.raises(SyncError, match="another sync"):
            with sync_lock(database):
                pass
    with sync_lock(database):
        pass


async def test_a_refresh_never_fetches_a_synced_feed(store, server, feed_server):
    from blogtui.core.config import Config
    from blogtui.core.feeds.refresh import refresh_feeds

    server.feeds["1"] = server.feeds["1"].__class__("1", feed_server.url("/feed"), "Feed 1")
    await run(store, server)
    summary = await refresh_feeds(store, store.list_feeds(), Config(), force=True, processes=0)
    assert not feed_server.requests
    assert {o.detail for o in summary.outcomes} == {
        "its articles come from its feed server (`blogtui sync`)"
    }


async def test_a_feed_on_two_accounts_follows_the_first_only(store, server):
    await run(store, server)
    other = FakeServer()
    other.add_feed("9", "https://blog.example.org/feed")
    other.add_article("9", NOW, link="https://blog.example.org/anders")
    backend = FakeBackend(other, name="work")
    store.add_account(backend.account)
    async with httpx.AsyncClient() as client:
        await Sync(store, backend, client).run()
    assert store.remote_feeds("work") == {}
    assert len(store.remote_feeds("home")) == 2 and len(store.list_feeds()) == 2
    assert store.article_ids_by_link(["https://blog.example.org/anders"]) == {}


async def test_one_link_twice_in_a_feed_stays_two_articles_without_churn(store, server):
    first = server.add_article("2", NOW, link="https://other.example.net/same")
    second = server.add_article("2", NOW, link="https://other.example.net/same")
    await run(store, server)
    mapped = {first: local_id(store, first), second: local_id(store, second)}
    assert mapped[first] != mapped[second]
    await run(store, server)
    assert {first: local_id(store, first), second: local_id(store, second)} == mapped
    assert ("articles", [first]) not in server.calls and ("articles", [second]) not in server.calls


async def test_what_a_server_says_is_kept_only_when_safe(store, server):
    evil = server.add_article("1", NOW, link="javascript:alert(1)")
    server.add_feed("3", "file:///etc/passwd")
    server.add_article("3", NOW)
    await run(store, server)
    article = store.get_article(local_id(store, evil))
    assert article is not None and article.link == "" and article.comments_url == ""
    assert "file:///etc/passwd" not in {f.url for f in store.list_feeds()}


async def test_unread_ids_taken_a_page_at_a_time(store, server):
    class Paged(FakeBackend):
        async def unread_id_pages(self, client):  # type: ignore[override]
            ids = sorted(await self.unread_ids(client), key=int)
            for start in range(0, len(ids), 2):
                yield ids[start : start + 2]

    await run(store, server)
    server.set("1", unread=False)
    server.set("2", unread=True)
    async with httpx.AsyncClient() as client:
        await Sync(store, Paged(server), client).run()
    assert state(store) == {a.id: (not a.unread, False) for a in server.articles.values()}
    store.set_read([local_id(store, "5")])
    server.ignore_marks = True  # taken, never applied: "5" comes back unread in a later page
    with pytest.raises(SanityError, match="just taken as read"):
        async with httpx.AsyncClient() as client:
            await Sync(store, Paged(server), client).run()
