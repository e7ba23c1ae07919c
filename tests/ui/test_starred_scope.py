"""The "Starred" entry of the feeds pane: right under "All articles", with the number of starred
articles; it lists the starred articles of every feed, newest first, and the list's keys work
in it (`F`: an unstarred row stays until the list is read again; `A` marks only the starred)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from support.app import main_screen, press, running, settle, wait_for
from textual.pilot import Pilot

from blogtui.core.store import Store
from blogtui.ui.app import BlogtuiApp
from blogtui.ui.screens.dialogs import ConfirmScreen
from blogtui.ui.screens.main import MainScreen


def article_ids(store: Store) -> dict[str, int]:
    return {key: i for key, i in store.db.execute("SELECT key, id FROM articles")}


@pytest.fixture
def keys(store: Store) -> dict[str, int]:
    """Article ids by key; g2 (Grüße aus Köln), p1 and p3 (Plain Blog) starred, p3 read."""
    ids = article_ids(store)
    store.set_starred([ids["g2"], ids["p1"], ids["p3"]])
    store.set_read([ids["p3"]])
    return ids


@pytest.fixture
async def starred(
    keys: dict[str, int], make_app: Callable[..., BlogtuiApp]
) -> AsyncIterator[Pilot[None]]:
    """The app (seeded, three starred) with the cursor on "Starred" and the list focused."""
    async with running(make_app()) as pilot:
        screen = main_screen(pilot.app)
        assert screen.feed_list.select_key("starred")
        await settle(pilot)
        screen.focus_pane("articles")
        await settle(pilot)
        yield pilot


def status(screen: MainScreen) -> str:
    return str(screen.query_one("#list-status").render())


async def test_starred_sits_under_all_articles_with_its_count(
    keys: dict[str, int], make_app: Callable[..., BlogtuiApp]
) -> None:
    async with running(make_app()) as pilot:
        feeds = main_screen(pilot.app).feed_list
        await wait_for(pilot, lambda: feeds.labels()["starred"] == "Starred 3")
        assert feeds.line_of("starred") == (feeds.line_of("all") or 0) + 1
        assert feeds.labels()["all"] == "All articles 42"  # unread counts as before


async def test_starred_lists_exactly_the_starred_of_both_feeds_newest_first(
    starred: Pilot[None], keys: dict[str, int]
) -> None:
    screen = main_screen(starred.app)
    assert list(screen.article_list.ids) == [keys["g2"], keys["p1"], keys["p3"]]
    assert status(screen) == "Starred · 3"
    rows = [screen.article_list.get_row(i) for i in screen.article_list.ids]
    assert all(row is not None and row.starred for row in rows)


async def test_F_unstars_the_row_which_stays_until_the_list_is_read_again(
    starred: Pilot[None], store: Store, keys: dict[str, int]
) -> None:
    screen = main_screen(starred.app)
    assert screen.article_list.cursor_id == keys["g2"]
    await press(starred, "F")
    await wait_for(starred, lambda: keys["g2"] not in store.article_ids(starred_only=True))
    # Under the cursor it stays (shown unstarred): the cursor does not jump away from it.
    assert list(screen.article_list.ids) == [keys["g2"], keys["p1"], keys["p3"]]
    row = screen.article_list.get_row(keys["g2"])
    assert row is not None and not row.starred
    await wait_for(starred, lambda: screen.feed_list.labels()["starred"] == "Starred 2")
    screen.focus_pane("feeds")
    await press(starred, "up", "down")  # "All articles" and back: the list is read again
    assert screen.scope.key == "starred"
    assert list(screen.article_list.ids) == [keys["p1"], keys["p3"]]


async def test_counts_follow_F_in_a_feed_and_the_entry_stays_at_zero(
    make_app: Callable[..., BlogtuiApp], store: Store, feed_ids: dict[str, int]
) -> None:
    async with running(make_app()) as pilot:
        screen = main_screen(pilot.app)
        feeds = screen.feed_list
        assert feeds.labels()["starred"] == "Starred"  # none starred: shown all the same
        assert feeds.select_key(f"feed:{feed_ids['plain']}")
        await settle(pilot)
        screen.focus_pane("articles")
        await press(pilot, "F")
        await wait_for(pilot, lambda: feeds.labels()["starred"] == "Starred 1")
        await press(pilot, "j", "F")
        await wait_for(pilot, lambda: feeds.labels()["starred"] == "Starred 2")
        await press(pilot, "F")
        await wait_for(pilot, lambda: feeds.labels()["starred"] == "Starred 1")
        assert len(store.article_ids(starred_only=True)) == 1


async def test_m_and_n_stay_within_the_starred(
    starred: Pilot[None], store: Store, keys: dict[str, int]
) -> None:
    screen = main_screen(starred.app)
    await press(starred, "m")  # g2 read
    await wait_for(starred, lambda: store.get_article(keys["g2"]).read)  # type: ignore[union-attr]
    # p1 is the only unread starred article left: n leads there from anywhere, never to an
    # unread article that is not starred (g1, p2, ...).
    await press(starred, "n")
    await wait_for(starred, lambda: screen.article_list.cursor_id == keys["p1"])
    await press(starred, "m")  # opened by n: read, m marks it unread again
    await wait_for(starred, lambda: not store.get_article(keys["p1"]).read)  # type: ignore[union-attr]
    await press(starred, "G", "n")  # from the last row, round to p1
    await wait_for(starred, lambda: screen.article_list.cursor_id == keys["p1"])
    assert screen.scope.key == "starred"


async def test_the_title_filter_narrows_the_starred(
    starred: Pilot[None], keys: dict[str, int]
) -> None:
    screen = main_screen(starred.app)
    await press(starred, "slash", *"Plain")
    await wait_for(starred, lambda: list(screen.article_list.ids) == [keys["p1"], keys["p3"]])
    await press(starred, "enter", "escape")
    await wait_for(starred, lambda: len(screen.article_list.ids) == 3)


async def test_A_in_starred_asks_then_marks_only_the_starred_read(
    starred: Pilot[None], store: Store, keys: dict[str, int]
) -> None:
    screen = main_screen(starred.app)
    unread_before = set(store.article_ids(unread_only=True))
    await press(starred, "A")
    dialog = starred.app.screen
    assert isinstance(dialog, ConfirmScreen)
    assert "Mark 2 unread starred articles read?" in dialog.message
    await press(starred, "y")
    await wait_for(starred, lambda: not store.article_ids(starred_only=True, unread_only=True))
    assert set(store.article_ids(unread_only=True)) == unread_before - {keys["g2"], keys["p1"]}
    await wait_for(starred, lambda: screen.feed_list.labels()["all"] == "All articles 40")


async def test_A_in_starred_with_nothing_unread_says_so(
    starred: Pilot[None], store: Store, keys: dict[str, int], toasts: list[str]
) -> None:
    store.set_read([keys["g2"], keys["p1"]])
    await press(starred, "A")
    assert not isinstance(starred.app.screen, ConfirmScreen)
    assert "No unread starred articles." in toasts


def test_next_unread_in_starred_wraps_within_the_starred(
    store: Store, keys: dict[str, int]
) -> None:
    """`find_unread` on its own (no app): after the last unread starred article it goes round to
    the first, and never leaves the starred for another feed."""
    from blogtui.ui.next_unread import Found, UnreadSearch, find_unread

    search = UnreadSearch(None, starred=True)
    listed = [keys["g2"], keys["p1"], keys["p3"]]
    assert find_unread(store, search, 1, None, 0, []) == Found(keys["p1"], -1, False)
    assert find_unread(store, search, 1, listed, 1, []) == Found(keys["g2"], -1, True)
    assert find_unread(store, search, -1, listed, 0, []) == Found(keys["p1"], -1, True)
    store.set_read([keys["g2"], keys["p1"]])
    assert find_unread(store, search, 1, listed, 0, []) is None
    everything = UnreadSearch(None)
    assert find_unread(store, everything, 1, None, 0, []) is not None  # others are unread
