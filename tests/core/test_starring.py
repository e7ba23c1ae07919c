"""Starring an article (issue 17): the list row knows it, and a synced feed's star is queued for
its server in the same write, a plain feed's is not."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sync_fake import FakeBackend, FakeServer

from blogtui.core.models import EntryData
from blogtui.core.store import Store
from blogtui.core.sync.engine import Sync


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "blogtui.db")


def queue(store: Store) -> list[tuple[int, str, int]]:
    return list(store.db.execute("SELECT article_id, field, value FROM sync_queue"))


async def test_starring_a_synced_article_queues_the_change_last_one_wins(store: Store) -> None:
    server = FakeServer()
    server.add_feed("1", "https://blog.example.org/feed", "Technik")
    server.add_article("1", 1_700_000_000.0)
    backend = FakeBackend(server)
    store.add_account(backend.account)
    async with httpx.AsyncClient() as client:
        await Sync(store, backend, client).run()
    (article_id,) = store.article_ids()
    assert queue(store) == []
    store.set_starred([article_id], True)
    assert store.article_summaries([article_id])[0].starred
    assert queue(store) == [(article_id, "starred", 1)]
    store.set_starred([article_id], False)
    assert not store.article_summaries([article_id])[0].starred
    assert queue(store) == [(article_id, "starred", 0)]


def test_starring_a_plain_article_shows_in_its_row_and_queues_nothing(store: Store) -> None:
    feed, _ = store.add_feed("https://blog.example.org/feed", "Blog")
    store.upsert_articles(feed.id, [EntryData(key="a", title="Äpfel", link="https://b/a")])
    (article_id,) = store.article_ids()
    assert not store.article_summaries([article_id])[0].starred
    store.set_starred([article_id])
    assert store.article_summaries([article_id])[0].starred
    assert queue(store) == []
