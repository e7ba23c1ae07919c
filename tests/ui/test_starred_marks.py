"""Marks in the "Starred" list that show at once: `A` marks the unread starred articles read in one
change (one write, the synced ones queued for their server in it), and the "Starred" line's count
follows `F` before the star is written."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from held_marks import HeldStore, running_on
from support.app import main_screen, press, settle, wait_for
from textual.pilot import Pilot

from blogtui.core.models import EntryData
from blogtui.core.paths import Places
from blogtui.core.store import Store
from blogtui.core.sync.base import Account
from blogtui.ui.screens.dialogs import ConfirmScreen
from blogtui.ui.widgets.feed_list import FeedList

ACCOUNT = "rss.example.org"
STARRED = 500
"""Starred unread articles of the big feed."""
SYNCED = 200
"""How many of them are known to the sync server."""


@pytest.fixture
async def app(
    home: Places, held: HeldStore, client_factory: Callable[[], httpx.AsyncClient]
) -> AsyncIterator[Pilot[None]]:
    """The app on `held`, settled."""
    async with running_on(held, home, client_factory) as pilot:
        yield pilot


@pytest.fixture
async def app_on(app: Pilot[None]) -> Pilot[None]:
    """The app on `held`, with the cursor on "Starred" and the list focused."""
    screen = main_screen(app.app)
    assert screen.feed_list.select_key("starred")
    await settle(app)
    screen.focus_pane("articles")
    await settle(app)
    return app


@pytest.fixture
def big(store: Store) -> dict[str, list[int]]:
    """A synced feed of 520 unread articles: 500 starred (the first 200 known to the server)
    and 20 not starred."""
    feed, _ = store.add_feed("https://big.example/feed", "Große Sammlung")
    entries = [
        EntryData(key=f"b{n}", title=f"Beitrag {n}", link=f"https://big.example/{n}")
        for n in range(STARRED + 20)
    ]
    store.upsert_articles(feed.id, entries)
    ids = {key: i for key, i in store.db.execute("SELECT key, id FROM articles")}
    starred = [ids[f"b{n}"] for n in range(STARRED)]
    store.set_starred(starred)
    store.add_account(Account(ACCOUNT, "ttrss", "https://rss.example.org/", "jörg"))
    with store.applying() as db:
        db.execute(
            "INSERT INTO sync_feeds (account, remote_id, feed_id) VALUES (?, ?, ?)",
            (ACCOUNT, "17", feed.id),
        )
        db.executemany(
            "INSERT INTO sync_articles (account, remote_id, article_id) VALUES (?, ?, ?)",
            [(ACCOUNT, f"r{n}", article_id) for n, article_id in enumerate(starred[:SYNCED])],
        )
    return {
        "starred": starred,
        "synced": starred[:SYNCED],
        "plain": [ids[f"b{n}"] for n in range(STARRED, STARRED + 20)],
    }


def unread(store: Store, ids: list[int]) -> set[int]:
    found = set(store.article_ids(unread_only=True))
    return {i for i in ids if i in found}


async def test_A_in_starred_marks_500_read_in_one_write_queued_for_the_synced(
    big: dict[str, list[int]], store: Store, held: HeldStore, app_on: Pilot[None]
) -> None:
    screen = main_screen(app_on.app)
    assert len(screen.article_list.ids) == STARRED
    await press(app_on, "A")
    dialog = app_on.app.screen
    assert isinstance(dialog, ConfirmScreen)
    assert f"Mark {STARRED} unread starred articles read?" in dialog.message
    held.hold()
    await app_on.press("y")
    await app_on.pause()
    # Every row shows read at once, before anything is written.
    assert held.read_writes == [] and len(unread(store, big["starred"])) == STARRED
    rows = [screen.article_list.get_row(i) for i in screen.article_list.ids[:40]]
    assert all(row is not None and row.read for row in rows)
    held.release()
    await wait_for(app_on, lambda: not unread(store, big["starred"]))
    assert [sorted(ids) for ids in held.read_writes] == [sorted(big["starred"])]  # one write
    assert unread(store, big["plain"]) == set(big["plain"])  # the unstarred stay unread
    queued = store.queued_marks(ACCOUNT, limit=1000)
    assert sorted((m.article_id, m.field, m.value) for m in queued) == [
        (article_id, "read", True) for article_id in sorted(big["synced"])
    ]
    assert store.queued_catch_ups(ACCOUNT) == []  # the feed itself is not caught up


async def keys(pilot: Pilot[None], *names: str) -> None:
    """Press `names` without settling (a held write keeps a worker busy)."""
    for name in names:
        await pilot.press(name)
        await pilot.pause()


async def in_plain_feed(pilot: Pilot[None], feed_ids: dict[str, int]) -> FeedList:
    """The "plain" feed listed, the article list focused; the feeds pane."""
    screen = main_screen(pilot.app)
    assert screen.feed_list.select_key(f"feed:{feed_ids['plain']}")
    await settle(pilot)
    screen.focus_pane("articles")
    await settle(pilot)
    return screen.feed_list


async def test_the_starred_count_follows_F_before_the_star_is_written(
    app: Pilot[None], store: Store, held: HeldStore, feed_ids: dict[str, int]
) -> None:
    feeds = await in_plain_feed(app, feed_ids)
    assert feeds.labels()["starred"] == "Starred"
    held.hold()
    await keys(app, "F")
    assert feeds.labels()["starred"] == "Starred 1"  # at once: nothing is written yet
    await keys(app, "j", "F")
    assert feeds.labels()["starred"] == "Starred 2"
    await keys(app, "k", "F")  # the first one unstarred again, before its star is written
    assert feeds.labels()["starred"] == "Starred 1"
    assert held.star_writes == [] and store.article_count(starred_only=True) == 0
    held.release()
    await wait_for(app, lambda: len(held.star_writes) == 3)
    assert store.article_count(starred_only=True) == 1
    assert feeds.labels()["starred"] == "Starred 1"  # the store's count now, the same


async def test_the_starred_count_settles_on_the_store_count_after_the_write(
    app: Pilot[None], store: Store, held: HeldStore, feed_ids: dict[str, int]
) -> None:
    feeds = await in_plain_feed(app, feed_ids)
    held.hold()
    await keys(app, "F")
    assert feeds.labels()["starred"] == "Starred 1"
    others = store.article_ids([feed_ids["german"]])
    store.set_starred(others)  # another program stars two more meanwhile
    held.release()
    await wait_for(app, lambda: feeds.labels()["starred"] == "Starred 3")


def test_pending_stars_count_what_each_change_changes_until_written() -> None:
    from blogtui.core.models import ArticleSummary
    from blogtui.ui.widgets.read_marks import PendingMarks

    def row(article_id: int, starred: bool = False) -> ArticleSummary:
        return ArticleSummary(article_id, 1, "Grüße", "", "", 0.0, False, None, starred=starred)

    marks = PendingMarks()
    first = marks.star([row(1), row(2, starred=True)], True)  # only 1 changes
    assert marks.starred_delta == 1
    second = marks.star([marks.apply(row(1))], False)  # unstarred again, before it is written
    assert marks.starred_delta == 0
    marks.star([row(3)], True)
    assert marks.starred_delta == 1
    marks.written(first)
    assert marks.starred_delta == 0  # the store has +1 now; -1 and +1 are still to come
    marks.written(second)
    assert marks.starred_delta == 1
