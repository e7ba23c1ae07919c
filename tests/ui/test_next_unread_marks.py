"""`n` typed faster than the read marks are written (issue 17, Speed): each `n` goes on from the
article the one before opened, and an article shown read whose mark is not written yet is not
unread for `n` (the article list's pending marks count, as on its rows)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from held_marks import HeldStore, running_on
from support.app import main_screen, settle, wait_for
from textual import events
from textual.pilot import Pilot

from blogtui.core.paths import Places
from blogtui.core.store import Store
from blogtui.ui.next_unread import Found, UnreadSearch, find_unread


@pytest.fixture
async def app(
    home: Places, held: HeldStore, client_factory: Callable[[], httpx.AsyncClient]
) -> AsyncIterator[Pilot[None]]:
    """The app on `held`, the article list focused ("All articles", the cursor on the first)."""
    async with running_on(held, home, client_factory) as pilot:
        main_screen(pilot.app).focus_pane("articles")
        await settle(pilot)
        yield pilot


async def typed(pilot: Pilot[None], *keys: str) -> None:
    """Send `keys` as a fast typist's terminal would: all queued before the first is handled."""
    app = pilot.app
    assert app._driver is not None
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)


def opened(pilot: Pilot[None]) -> int | None:
    article = main_screen(pilot.app).reader.article
    return None if article is None else article.id


async def test_n_n_typed_at_once_opens_two_articles(app: Pilot[None], held: HeldStore) -> None:
    screen = main_screen(app.app)
    ids = list(screen.article_list.ids)
    held.hold()
    await typed(app, "n", "n")
    await wait_for(
        app,
        lambda: opened(app) == ids[2] and screen.article_list.cursor_id == ids[2],
        then_settle=False,
    )
    rows = [screen.article_list.get_row(i) for i in ids[:4]]
    assert [row is not None and row.read for row in rows] == [False, True, True, False]
    assert held.read_writes == []  # neither mark is written yet
    held.release()
    await wait_for(app, lambda: len(held.read_writes) == 2)
    assert held.read_writes == [[ids[1]], [ids[2]]]


async def test_n_after_the_last_unread_before_its_mark_is_written_finds_none(
    app: Pilot[None], held: HeldStore, store: Store, toasts: list[str]
) -> None:
    screen = main_screen(app.app)
    ids = list(screen.article_list.ids)
    store.set_read([i for i in ids if i != ids[1]])  # ids[1] is the only unread article
    held.hold()
    await typed(app, "n")
    await wait_for(app, lambda: opened(app) == ids[1], then_settle=False)
    await typed(app, "n")
    await wait_for(app, lambda: toasts, then_settle=False)
    assert toasts == ["No unread articles."]  # not ids[1] again, "wrapped to the first"
    assert opened(app) == ids[1] and screen.article_list.cursor_id == ids[1]


def test_find_unread_takes_the_read_states_shown_over_the_store(store: Store) -> None:
    ids = store.article_ids()
    search = UnreadSearch(None)
    assert find_unread(store, search, 1, ids, 0, []) == Found(ids[1], -1, False)
    shown = {ids[1]: True, ids[2]: True}  # opened, not written yet
    assert find_unread(store, search, 1, ids, 0, [], shown) == Found(ids[3], -1, False)
    store.set_read(ids)
    assert find_unread(store, search, 1, ids, 0, []) is None
    assert find_unread(store, search, 1, ids, 0, [], {ids[5]: False}) == Found(ids[5], -1, False)


def test_find_unread_in_the_next_feed_skips_what_shows_read(
    store: Store, feed_ids: dict[str, int]
) -> None:
    german = store.article_ids([feed_ids["german"]])
    plain = store.article_ids([feed_ids["plain"]])
    store.set_read(german)
    search = UnreadSearch((feed_ids["german"],))
    order = [feed_ids["german"], feed_ids["plain"]]
    assert find_unread(store, search, 1, german, 0, order) == Found(plain[0], order[1], False)
    shown = {plain[0]: True}
    assert find_unread(store, search, 1, german, 0, order, shown) == Found(
        plain[1], order[1], False
    )
