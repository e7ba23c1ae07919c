"""Marking keys typed faster than the list updates (issue 17, Speed): `m` and `F` act on the row
under the cursor when the key is processed, and on that row's state as the screen shows it
(changes not yet written included); writes reach the store in the order the keys came."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from support.app import main_screen, running, settle, wait_for
from textual import events
from textual.pilot import Pilot

from blogtui.core.store import Store
from blogtui.ui.app import BlogtuiApp


async def burst(pilot: Pilot[None], *keys: str) -> None:
    """Send `keys` through the driver as a fast typist's terminal would: all queued before the
    first is handled (no pause between them), then settle."""
    app = pilot.app
    driver = app._driver
    assert driver is not None
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        driver.send_message(event)
    await settle(pilot)


def read_ids(store: Store) -> set[int]:
    return {row[0] for row in store.db.execute("SELECT id FROM articles WHERE read = 1")}


def starred_ids(store: Store) -> set[int]:
    return {row[0] for row in store.db.execute("SELECT id FROM articles WHERE starred = 1")}


async def test_down_m_down_m_marks_exactly_the_two_rows_moved_onto(
    pilot: Pilot[None], store: Store
) -> None:
    screen = main_screen(pilot.app)
    screen.focus_pane("articles")
    await settle(pilot)
    ids = list(screen.article_list.ids)
    assert screen.article_list.cursor == 0 and not read_ids(store)
    await burst(pilot, "down", "m", "down", "m")
    await wait_for(pilot, lambda: len(read_ids(store)) >= 2)
    assert read_ids(store) == {ids[1], ids[2]}
    assert screen.article_list.cursor == 2
    for index in (1, 2):
        row = screen.article_list.get_row(ids[index])
        assert row is not None and row.read
    assert not any(row.read for row in map(screen.article_list.get_row, (ids[0], ids[3])) if row)


async def test_m_m_in_a_burst_leaves_the_row_unread(pilot: Pilot[None], store: Store) -> None:
    screen = main_screen(pilot.app)
    screen.focus_pane("articles")
    await settle(pilot)
    first = screen.article_list.cursor_id
    assert first is not None
    await burst(pilot, "m", "m")
    assert read_ids(store) == set()
    row = screen.article_list.get_row(first)
    assert row is not None and not row.read
    await burst(pilot, "m", "m", "m")
    assert read_ids(store) == {first}
    row = screen.article_list.get_row(first)
    assert row is not None and row.read


async def test_F_F_in_a_burst_leaves_the_row_unstarred(pilot: Pilot[None], store: Store) -> None:
    screen = main_screen(pilot.app)
    screen.focus_pane("articles")
    await settle(pilot)
    ids = list(screen.article_list.ids)
    await burst(pilot, "F", "F", "down", "F", "m", "F", "F")
    assert starred_ids(store) == {ids[1]}
    assert read_ids(store) == {ids[1]}
    row = screen.article_list.get_row(ids[1])
    assert row is not None and row.starred and row.read


async def test_a_burst_over_many_rows_changes_each_once(pilot: Pilot[None], store: Store) -> None:
    screen = main_screen(pilot.app)
    screen.focus_pane("articles")
    await settle(pilot)
    ids = list(screen.article_list.ids)
    keys = ["m"]
    for _ in range(9):
        keys += ["j", "m"]
    await burst(pilot, *keys, "k", "m", "k", "k", "m")
    # Rows 0-9 read, then row 8 unread again, row 6 unread again.
    assert read_ids(store) == set(ids[:10]) - {ids[8], ids[6]}
    assert screen.article_list.cursor == 6


async def test_keys_typed_while_the_list_is_read_again_keep_the_cursor_where_they_put_it(
    pilot: Pilot[None], store: Store
) -> None:
    """`u` reads the list again keeping the cursor on its article; `down`s typed before the new
    list arrives move the cursor, and the list arriving must not put it back (the next `m`
    would mark the row the cursor left)."""
    screen = main_screen(pilot.app)
    screen.focus_pane("articles")
    await settle(pilot)
    ids = list(screen.article_list.ids)
    await burst(pilot, "u", "down", "down", "m")
    assert screen.articles.unread_only
    assert screen.article_list.cursor_id == ids[2]
    assert read_ids(store) == {ids[2]}
    await burst(pilot, "down", "m")
    assert read_ids(store) == {ids[2], ids[3]}


async def test_marks_typed_right_before_quitting_are_written(
    make_app: Callable[..., BlogtuiApp], store: Store
) -> None:
    app = make_app()
    async with running(app) as pilot:
        screen = main_screen(app)
        screen.focus_pane("articles")
        await settle(pilot)
        ids = list(screen.article_list.ids)
        for key in ("m", "j", "F", "m", "q"):  # all queued before the first is handled
            event = events.Key(key, key)
            event.set_sender(app)
            app._driver.send_message(event)
        await pilot.pause()
    for _ in range(500):  # a writer thread already running finishes on its own
        if read_ids(store) == {ids[0], ids[1]}:
            break
        await asyncio.sleep(0.02)
    assert read_ids(store) == {ids[0], ids[1]}
    assert starred_ids(store) == {ids[1]}


async def test_A_then_m_in_a_burst_marks_the_feed_read_but_that_row_unread(
    pilot: Pilot[None], store: Store, feed_ids: dict[str, int]
) -> None:
    screen = main_screen(pilot.app)
    plain = feed_ids["plain"]
    assert screen.feed_list.select_key(f"feed:{plain}")
    await settle(pilot)
    screen.focus_pane("articles")
    await settle(pilot)
    ids = list(screen.article_list.ids)
    assert len(ids) == 40
    await burst(pilot, "A", "m", "j", "j", "m", "m")
    assert read_ids(store) == set(ids) - {ids[0]}
    assert not store.get_article(ids[0]).read  # type: ignore[union-attr]
    plain_feed = next(f for f in screen.feed_list.feeds if f.id == plain)
    assert plain_feed.unread == 1
    assert [row.read for row in map(screen.article_list.get_row, ids[:3]) if row] == [
        False,
        True,
        True,
    ]


async def test_A_y_then_U_in_a_burst_leaves_everything_unread(
    pilot: Pilot[None], store: Store
) -> None:
    screen = main_screen(pilot.app)
    screen.focus_pane("articles")
    await settle(pilot)
    unread = len(store.article_ids(unread_only=True))
    await burst(pilot, "A")
    await burst(pilot, "y", "U")
    assert len(store.article_ids(unread_only=True)) == unread
    assert screen.feed_list.labels()["all"] == f"All articles {unread}"
