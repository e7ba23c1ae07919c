"""Opening an article marks it read through the article list's ordered marks (issue 17: what
the user did is never lost): `enter` then `m` typed at once leaves the article unread, in the
store, on its row and in a synced feed's queue; the keys' order is the order of the writes."""

from __future__ import annotations

from support.app import main_screen, settle
from test_mark_keys import burst, read_ids
from textual.pilot import Pilot

from blogtui.core.store import Store
from blogtui.core.sync.base import Account


def shown_read(pilot: Pilot[None], article_id: int) -> bool:
    row = main_screen(pilot.app).article_list.get_row(article_id)
    assert row is not None
    return row.read


async def test_enter_then_m_leaves_the_opened_article_unread(
    pilot: Pilot[None], store: Store
) -> None:
    screen = main_screen(pilot.app)
    screen.focus_pane("articles")
    await settle(pilot)
    first = screen.article_list.cursor_id
    assert first is not None and not read_ids(store)
    await burst(pilot, "enter", "m")
    assert screen.reader.article is not None and screen.reader.article.id == first
    assert read_ids(store) == set()
    assert not shown_read(pilot, first)
    await burst(pilot, "m")
    assert read_ids(store) == {first} and shown_read(pilot, first)


async def test_m_then_enter_marks_read_and_m_enter_m_leaves_it_unread(
    pilot: Pilot[None], store: Store
) -> None:
    screen = main_screen(pilot.app)
    screen.focus_pane("articles")
    await settle(pilot)
    ids = list(screen.article_list.ids)
    await burst(pilot, "m", "enter", "m", "down", "enter", "m", "enter")
    # Row 0: m read, enter keeps it read, m unread. Row 1: enter read, m unread, enter read.
    assert read_ids(store) == {ids[1]}
    assert [shown_read(pilot, i) for i in ids[:2]] == [False, True]


async def test_in_the_narrow_layout_enter_then_m_from_the_reader_leaves_it_unread(
    pilot: Pilot[None], store: Store
) -> None:
    await pilot.resize_terminal(80, 30)
    await settle(pilot)
    screen = main_screen(pilot.app)
    screen.focus_pane("articles")
    await settle(pilot)
    first = screen.article_list.cursor_id
    assert first is not None
    await burst(pilot, "enter", "m")
    assert screen.active_pane == "reader"
    assert read_ids(store) == set() and not shown_read(pilot, first)


async def test_next_unread_opens_through_the_same_marks(pilot: Pilot[None], store: Store) -> None:
    screen = main_screen(pilot.app)
    screen.focus_pane("articles")
    await settle(pilot)
    ids = list(screen.article_list.ids)
    await burst(pilot, "n")  # (n looks in a worker: a key typed before it answers comes first)
    opened = screen.reader.article
    assert opened is not None and opened.id == ids[1] == screen.article_list.cursor_id
    assert read_ids(store) == {ids[1]} and shown_read(pilot, ids[1])
    await burst(pilot, "m", "N")  # N: the previous unread, the first row
    assert screen.article_list.cursor_id == ids[0]
    assert read_ids(store) == {ids[0]} and not shown_read(pilot, ids[1])


async def test_a_synced_article_opened_then_marked_unread_queues_unread(
    pilot: Pilot[None], store: Store, feed_ids: dict[str, int]
) -> None:
    screen = main_screen(pilot.app)
    assert screen.feed_list.select_key(f"feed:{feed_ids['plain']}")
    await settle(pilot)
    screen.focus_pane("articles")
    await settle(pilot)
    ids = list(screen.article_list.ids)
    store.add_account(Account("rss.example.org", "ttrss", "https://rss.example.org/", "jörg"))
    with store.applying() as db:
        db.execute(
            "INSERT INTO sync_feeds (account, remote_id, feed_id) VALUES (?, ?, ?)",
            ("rss.example.org", "17", feed_ids["plain"]),
        )
        db.executemany(
            "INSERT INTO sync_articles (account, remote_id, article_id) VALUES (?, ?, ?)",
            [("rss.example.org", f"a{n}", article_id) for n, article_id in enumerate(ids)],
        )
    await burst(pilot, "enter", "m")
    assert read_ids(store) == set()
    queued = store.queued_marks("rss.example.org")
    assert [(m.article_id, m.field, m.value) for m in queued] == [(ids[0], "read", False)]
    await burst(pilot, "m")
    assert [(m.article_id, m.value) for m in store.queued_marks("rss.example.org")] == [
        (ids[0], True)
    ]
