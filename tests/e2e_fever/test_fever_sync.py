"""A full sync (core.sync.engine) of a blogtui Store with the real coldsweat through Fever."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import httpx
import pytest

from blogtui.core.store import Store
from blogtui.core.sync.base import Account, SyncError
from blogtui.core.sync.engine import Sync
from blogtui.core.sync.fever import FeverBackend

DAY = 86400.0


def account(site: dict[str, Any]) -> Account:
    return Account("kalt", "fever", site["fever_url"], site["email"])


def seed_now(site: dict[str, Any]) -> float:
    """A day after the newest seeded entry: the whole seed lies in the retention window."""
    return max(e["created_on_time"] for f in site["feeds"] for e in f["entries"]) + DAY


async def sync(store: Store, site: dict[str, Any], url: str = "") -> None:
    name = account(site)
    backend = FeverBackend(
        Account(name.name, "fever", url or name.url, name.user), site["password"]
    )
    async with httpx.AsyncClient() as client:
        await Sync(store, backend, client, now=seed_now(site)).run()


def local_state(store: Store) -> dict[str, tuple[bool, bool]]:
    """Fever item id -> (read, starred) of every synced article."""
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


async def server_sets(site: dict[str, Any]) -> tuple[set[str], set[str]]:
    backend = FeverBackend(account(site), site["password"])
    async with httpx.AsyncClient() as client:
        return await backend.unread_ids(client), await backend.starred_ids(client)


async def test_first_sync_brings_feeds_folders_articles_and_state(
    coldsweat: dict[str, Any], tmp_path: Path
) -> None:
    store = Store(tmp_path / "blogtui.db")
    store.add_account(account(coldsweat))
    await sync(store, coldsweat)
    feeds = {f.title: f for f in store.list_feeds()}
    assert {(t, f.folder) for t, f in feeds.items()} == {
        (f["title"], f["group"] or "Default") for f in coldsweat["feeds"]
    }
    read = {str(i) for i in coldsweat["read_ids"]}
    saved = {str(i) for i in coldsweat["saved_ids"]}
    every = {str(e["id"]) for f in coldsweat["feeds"] for e in f["entries"]}
    assert local_state(store) == {i: (i in read, i in saved) for i in every}
    first = coldsweat["feeds"][0]["entries"][0]
    article = store.get_article(local_id(store, str(first["id"])))
    assert article is not None and article.title == first["title"]
    assert article.link == first["link"]


async def test_marks_travel_both_ways_and_mark_feed_read_catches_up(
    coldsweat: dict[str, Any], tmp_path: Path
) -> None:
    store = Store(tmp_path / "blogtui.db")
    store.add_account(account(coldsweat))
    await sync(store, coldsweat)
    technik = next(f for f in coldsweat["feeds"] if f["key"] == "technik")
    kueche = next(f for f in coldsweat["feeds"] if f["key"] == "kueche")
    here = str(technik["entries"][0]["id"])
    elsewhere = str(kueche["entries"][4]["id"])
    store.set_read([local_id(store, here)])
    store.set_starred([local_id(store, here)])
    assert store.queued_count() == 2
    other_device = FeverBackend(account(coldsweat), coldsweat["password"])
    async with httpx.AsyncClient() as client:
        await other_device.mark(client, [elsewhere], "read", True)
    await sync(store, coldsweat)
    unread, starred = await server_sets(coldsweat)
    assert here not in unread and here in starred
    assert local_state(store)[elsewhere] == (True, False)
    assert store.queued_count() == 0
    typografie = next(f for f in coldsweat["feeds"] if f["key"] == "typografie")
    feed_id = store.remote_feeds("kalt")[str(typografie["id"])]
    store.mark_feed_read(feed_id)
    await sync(store, coldsweat)
    unread, _ = await server_sets(coldsweat)
    assert not unread & {str(e["id"]) for e in typografie["entries"]}
    assert store.queued_count() == 0


async def test_a_server_that_is_down_keeps_the_queue_for_the_next_sync(
    coldsweat: dict[str, Any], tmp_path: Path
) -> None:
    store = Store(tmp_path / "blogtui.db")
    store.add_account(account(coldsweat))
    await sync(store, coldsweat)
    entries = next(f for f in coldsweat["feeds"] if f["key"] == "typografie")["entries"][3:6]
    ids = [str(e["id"]) for e in entries]
    store.set_read([local_id(store, i) for i in ids])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}/fever/"
    with pytest.raises(SyncError, match="cannot reach the server"):
        await sync(store, coldsweat, url=dead)
    assert store.queued_count() == 3
    unread, _ = await server_sets(coldsweat)
    assert set(ids) <= unread
    await sync(store, coldsweat)
    unread, _ = await server_sets(coldsweat)
    assert not set(ids) & unread and store.queued_count() == 0


async def test_a_feed_removed_here_comes_back_and_the_sync_goes_on(
    coldsweat: dict[str, Any], tmp_path: Path
) -> None:
    """Fever cannot unsubscribe: removing a synced feed here must not stop later syncs."""
    store = Store(tmp_path / "blogtui.db")
    store.add_account(account(coldsweat))
    await sync(store, coldsweat)
    kueche = next(f for f in coldsweat["feeds"] if f["key"] == "kueche")
    store.remove_feed(store.remote_feeds("kalt")[str(kueche["id"])])
    assert kueche["title"] not in {f.title for f in store.list_feeds()}
    await sync(store, coldsweat)
    assert kueche["title"] in {f.title for f in store.list_feeds()}
    assert len(store.list_feeds()) == 3
