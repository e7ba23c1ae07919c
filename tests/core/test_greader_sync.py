"""A full sync (core.sync.engine) of a blogtui Store with the Google Reader API stand-in."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from greader_support import backend_for, greader_standin  # noqa: F401
from standins.greader import GReaderStandIn

from blogtui.core.store import Store
from blogtui.core.sync.base import SyncError
from blogtui.core.sync.engine import Sync, subscribe

DAY = 86400.0


def now_of(standin: GReaderStandIn) -> float:
    """A day after the newest item: every item lies in the retention window."""
    return max(i.published for i in standin.items.values()) + DAY


async def sync(store: Store, standin: GReaderStandIn) -> None:
    async with httpx.AsyncClient() as client:
        await Sync(store, backend_for(standin), client, now=now_of(standin)).run()


def local_state(store: Store) -> dict[str, tuple[bool, bool]]:
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


async def test_a_full_sync_both_ways(greader: GReaderStandIn, tmp_path: Path) -> None:
    store = Store(tmp_path / "blogtui.db")
    store.add_account(backend_for(greader).account)
    await sync(store, greader)
    assert {(f.title, f.folder) for f in store.list_feeds()} == {
        ("Über Typografie", "Sprache"),
        ("Technik-Tagebuch", "Technik"),
        ("Kleines Küchenblog", ""),
    }
    assert local_state(store) == {str(i.id): (i.read, i.starred) for i in greader.items.values()}
    items = sorted(greader.items.values(), key=lambda i: i.id)
    here, elsewhere = items[5], items[6]
    store.set_read([local_id(store, str(here.id))])
    store.set_starred([local_id(store, str(here.id))])
    elsewhere.read = True  # another device
    await sync(store, greader)
    assert here.read and here.starred
    assert local_state(store)[str(elsewhere.id)] == (True, False)
    assert store.queued_count() == 0
    store.mark_feed_read(store.remote_feeds("leser")["feed/2"])
    await sync(store, greader)
    assert all(i.read for i in greader.items.values() if i.feed == 2)
    catch_up = next(s for s in greader.seen if s.path.endswith("mark-all-as-read"))
    assert catch_up.form["s"] == "feed/2" and len(catch_up.form["ts"]) == 16


async def test_subscribing_through_the_engine_maps_the_new_feed(
    greader: GReaderStandIn, tmp_path: Path
) -> None:
    store = Store(tmp_path / "blogtui.db")
    backend = backend_for(greader)
    store.add_account(backend.account)
    async with httpx.AsyncClient() as client:
        feed_id = await subscribe(store, backend, client, "https://neu.example.org/feed", "Neu")
    feed = next(f for f in store.list_feeds() if f.id == feed_id)
    assert feed.url == "https://neu.example.org/feed" and feed.folder == "Neu"


async def test_a_server_failing_mid_sync_keeps_the_queue_and_applies_nothing_twice(
    greader: GReaderStandIn, tmp_path: Path
) -> None:
    store = Store(tmp_path / "blogtui.db")
    store.add_account(backend_for(greader).account)
    await sync(store, greader)
    unread = [i for i in sorted(greader.items.values(), key=lambda i: i.id) if not i.read][:3]
    store.set_read([local_id(store, str(i.id)) for i in unread])
    greader.down.add("edit-tag")
    with pytest.raises(SyncError, match="HTTP 503"):
        await sync(store, greader)
    assert store.queued_count() == 3 and not any(i.read for i in unread)
    assert all(local_state(store)[str(i.id)][0] for i in unread)  # still read here
    greader.down.clear()
    await sync(store, greader)
    await sync(store, greader)
    assert all(i.read for i in unread) and store.queued_count() == 0
    accepted = [s for s in greader.seen if s.path.endswith("edit-tag")][-1]
    assert accepted.body.decode().count("i=") == 3
    assert len([s for s in greader.seen if s.path.endswith("edit-tag")]) == 2
