"""The article list: `n` wraps around, `S` and `[general] sort` order it, Escape leaves a
search or filter (issue 14 item 8 and "Missing")."""

from __future__ import annotations

from collections.abc import Callable

from support.app import main_screen, press, running, settle
from textual.pilot import Pilot

from blogtui.core.config import Config
from blogtui.core.store import Store
from blogtui.ui.app import BlogtuiApp


def status(pilot: Pilot[None]) -> str:
    return str(main_screen(pilot.app).query_one("#list-status").render())


async def test_n_wraps_to_the_first_unread_and_says_so(
    make_app: Callable[..., BlogtuiApp], store: Store, toasts: list[str]
) -> None:
    ids = store.article_ids(None)
    store.set_read(ids[1:])  # only the newest article is unread
    async with running(make_app()) as pilot:
        screen = main_screen(pilot.app)
        await press(pilot, "l", "G")
        await press(pilot, "n")
        assert screen.reader.article is not None and screen.reader.article.id == ids[0]
        assert "Wrapped to the first unread." in toasts
        assert not any("No unread" in shown for shown in toasts)


async def test_n_wraps_to_an_earlier_feed(
    make_app: Callable[..., BlogtuiApp], store: Store, feed_ids: dict[str, int], toasts: list[str]
) -> None:
    store.set_read(store.article_ids([feed_ids["plain"], feed_ids["hostile"]]))
    german = set(store.article_ids([feed_ids["german"]]))
    async with running(make_app()) as pilot:
        screen = main_screen(pilot.app)
        screen.feed_list.select_key(f"feed:{feed_ids['hostile']}")  # the last feed
        await settle(pilot)
        await press(pilot, "n")
        assert screen.reader.article is not None and screen.reader.article.id in german
        assert "Wrapped to the first unread." in toasts


async def test_n_says_no_unread_only_when_there_is_none(
    make_app: Callable[..., BlogtuiApp], store: Store, toasts: list[str]
) -> None:
    store.set_read(store.article_ids(None))
    async with running(make_app()) as pilot:
        await press(pilot, "l", "n")
        assert "No unread articles." in toasts


async def test_S_goes_round_the_orders(pilot: Pilot[None], store: Store) -> None:
    screen = main_screen(pilot.app)
    await press(pilot, "l", "S")
    titles = [row.title for row in store.article_summaries(list(screen.article_list.ids))]
    assert titles == sorted(titles, key=str.casefold)
    assert status(pilot).endswith("by title")
    await press(pilot, "S", "S", "S")
    assert list(screen.article_list.ids) == store.article_ids(None)
    assert "by" not in status(pilot)


async def test_config_sort_orders_the_list_at_start(
    make_app: Callable[..., BlogtuiApp], store: Store, feed_ids: dict[str, int]
) -> None:
    async with running(make_app(Config(sort="feed"))) as pilot:
        screen = main_screen(pilot.app)
        feeds = [row.feed_id for row in store.article_summaries(list(screen.article_list.ids))]
        # by feed title, case folded: "[@click…", "Grüße aus Köln", "Plain Blog"
        expected = [feed_ids["hostile"]] + [feed_ids["german"]] * 2 + [feed_ids["plain"]] * 40
        assert feeds == expected
        assert status(pilot).endswith("by feed")


async def test_escape_leaves_the_filter_and_the_search(pilot: Pilot[None]) -> None:
    screen = main_screen(pilot.app)
    await press(pilot, "slash", "ä", "p", "f")
    assert len(screen.article_list.ids) == 1
    await press(pilot, "escape")
    assert len(screen.article_list.ids) == 43
    assert "filter" not in status(pilot)
    await press(pilot, "s")
    await pilot.press(*"Birnen")
    await press(pilot, "enter", "escape")
    assert len(screen.article_list.ids) == 43
    assert status(pilot).startswith("All articles")


async def test_an_unknown_sort_in_the_config_is_named(
    make_app: Callable[..., BlogtuiApp], toasts: list[str]
) -> None:
    async with running(make_app(Config(sort="chaos"))) as pilot:
        await settle(pilot)
        assert any("sort = 'chaos' is not one of date, title, feed, unread" in t for t in toasts)
