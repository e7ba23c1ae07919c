"""Between two full pulls, only feeds whose unread count changed are asked for their unread ids."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from sync_fake import DAY, CountingBackend, FakeServer

from blogtui.core.store import Store
from blogtui.core.sync.engine import FULL_PULL_SECONDS, SanityError, Sync

NOW = time.time()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "blogtui.db")


@pytest.fixture
def server() -> FakeServer:
    server = FakeServer()
    for feed in ("1", "2", "3"):
        server.add_feed(feed, f"https://blog{feed}.example.org/feed")
        for hour in range(60):
            server.add_article(feed, NOW - hour * 3600)
    return server


async def run(store: Store, server: FakeServer, now: float = NOW) -> None:
    backend = CountingBackend(server)
    store.add_account(backend.account)
    async with httpx.AsyncClient() as client:
        await Sync(store, backend, client, now=now).run()


def unread_here(store: Store) -> set[str]:
    rows = store.db.execute(
        "SELECT m.remote_id FROM sync_articles m JOIN articles a ON a.id = m.article_id"
        " WHERE a.read = 0"
    )
    return {row[0] for row in rows}


def asked(server: FakeServer) -> list[object]:
    return [call[1] for call in server.calls if call[0] == "feed_unread_ids"]


async def test_only_feeds_whose_count_changed_are_asked(store, server):
    await run(store, server)  # the first pull is a full one
    assert asked(server) == []
    read_elsewhere = [a.id for a in server.articles.values() if a.feed_id == "2"][:5]
    for article_id in read_elsewhere:
        server.set(article_id, unread=False)
    await run(store, server)
    assert asked(server) == [["2"]]
    assert unread_here(store) == {a.id for a in server.articles.values() if a.unread}


async def test_a_change_that_keeps_the_count_waits_for_the_next_full_pull(store, server):
    await run(store, server)
    first, second = [a.id for a in server.articles.values() if a.feed_id == "1"][:2]
    server.set(first, unread=False)
    await run(store, server)
    server.set(first, unread=True)
    server.set(second, unread=False)  # feed 1 still has 59 unread
    await run(store, server)
    assert second in unread_here(store)
    await run(store, server, now=NOW + FULL_PULL_SECONDS + 1)
    assert second not in unread_here(store) and first in unread_here(store)


async def test_a_whole_feed_read_elsewhere_is_no_mass_read(store, server):
    await run(store, server)
    for article in list(server.articles.values()):
        if article.feed_id == "3":
            server.set(article.id, unread=False)
    await run(store, server)  # 60 of 180 unread: a third, not more than half
    assert len(unread_here(store)) == 120
    for article in list(server.articles.values()):
        if article.feed_id in ("1", "2"):
            server.set(article.id, unread=False)
    with pytest.raises(SanityError, match="120 of 120"):
        await run(store, server)


async def test_old_articles_keep_their_state_in_per_feed_pulls_too(store, server):
    old = server.add_article("1", NOW - 90 * DAY)
    await run(store, server)
    server.set(old, unread=False)
    await run(store, server)
    assert asked(server) == [["1"]] and old in unread_here(store)
