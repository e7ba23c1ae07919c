"""Pilot tests of the main screen: panes, reading, read state, unread navigation, filters."""

from __future__ import annotations

from collections.abc import Callable

from support.app import main_screen, press, running, settle
from textual.pilot import Pilot
from ui_helpers import HOSTILE_TITLE

from blogtui.core.store import Store
from blogtui.ui.app import BlogtuiApp


async def test_three_panes_show_feeds_and_articles(pilot: Pilot[None]) -> None:
    app = pilot.app
    screen = main_screen(app)
    labels = list(screen.feed_list.labels().values())
    assert "All articles 43" in labels
    assert any(HOSTILE_TITLE in label for label in labels)
    assert len(screen.article_list.ids) == 43
    assert screen.focused is screen.feed_list


async def test_hostile_markup_is_literal_and_clicking_it_does_nothing(
    pilot: Pilot[None], feed_ids: dict[str, int]
) -> None:
    app = pilot.app
    screen = main_screen(app)
    assert screen.feed_list.select_key(f"feed:{feed_ids['hostile']}")
    node = screen.feed_list.cursor_node
    assert node is not None
    await pilot.click("#feeds", offset=(4, node.line + 1))
    await settle(pilot)
    assert app.is_running
    row = screen.article_list.cursor_row
    assert row is not None and row.title.startswith("[/]")


async def test_enter_opens_article_marks_it_read_and_counts_update(
    pilot: Pilot[None], store: Store, feed_ids: dict[str, int]
) -> None:
    app = pilot.app
    screen = main_screen(app)
    await press(pilot, "tab", "enter")
    article = screen.reader.article
    assert article is not None and article.title == "Grüße aus dem „Süden“"
    assert store.get_article(article.id).read  # type: ignore[union-attr]
    german = next(f for f in screen.feed_list.feeds if f.id == feed_ids["german"])
    assert german.unread == 1
    assert screen.feed_list.labels()["all"] == "All articles 42"
    assert screen.reader.links[0] == "https://blog.example.de/x"


async def test_m_toggles_read(pilot: Pilot[None], store: Store) -> None:
    app = pilot.app
    screen = main_screen(app)
    await press(pilot, "tab", "m")
    first = screen.article_list.cursor_id
    assert first is not None and store.get_article(first).read  # type: ignore[union-attr]
    await press(pilot, "m")
    assert not store.get_article(first).read  # type: ignore[union-attr]


async def test_j_k_g_G_move_in_the_list(pilot: Pilot[None]) -> None:
    app = pilot.app
    screen = main_screen(app)
    await press(pilot, "l", "j", "j")
    assert screen.article_list.cursor == 2
    await press(pilot, "k", "G")
    assert screen.article_list.cursor == 42
    await press(pilot, "g")
    assert screen.article_list.cursor == 0


async def test_n_goes_to_next_unread_across_feeds(
    pilot: Pilot[None], feed_ids: dict[str, int]
) -> None:
    app = pilot.app
    screen = main_screen(app)
    screen.feed_list.select_key(f"feed:{feed_ids['plain']}")
    await settle(pilot)
    await press(pilot, "l", "G", "enter")
    assert screen.reader.article is not None
    last_plain = screen.reader.article.id
    await press(pilot, "n")
    assert screen.reader.article is not None
    assert screen.reader.article.feed_id != feed_ids["plain"]
    assert screen.reader.article.id != last_plain
    assert screen.scope.feed_ids == (screen.reader.article.feed_id,)


async def test_u_shows_unread_only(make_app: Callable[..., BlogtuiApp], store: Store) -> None:
    store.set_read(store.article_ids(None)[:3], True)
    app = make_app()
    async with running(app) as pilot:
        screen = main_screen(app)
        await press(pilot, "u")
        assert len(screen.article_list.ids) == 40
        await press(pilot, "u")
        assert len(screen.article_list.ids) == 43


async def test_slash_filters_titles_and_q_clears(pilot: Pilot[None]) -> None:
    app = pilot.app
    screen = main_screen(app)
    await press(pilot, "slash", "ä", "p", "f")
    assert len(screen.article_list.ids) == 1
    await press(pilot, "enter")
    assert screen.focused is screen.article_list
    await press(pilot, "q")
    assert app.is_running
    assert len(screen.article_list.ids) == 43


async def test_s_searches_all_articles(pilot: Pilot[None]) -> None:
    app = pilot.app
    screen = main_screen(app)
    await press(pilot, "s")
    await pilot.press(*"Birnen")
    await press(pilot, "enter")
    assert len(screen.article_list.ids) == 1
    row = screen.article_list.cursor_row
    assert row is not None and row.title == "Zweiter Beitrag über Äpfel"


async def test_narrow_layout_shows_one_pane_and_same_keys_move(
    make_app: Callable[..., BlogtuiApp],
) -> None:
    app = make_app()
    async with running(app, (80, 30)) as pilot:
        screen = main_screen(app)
        assert screen.narrow
        assert screen.feed_list.display and not screen.reader.display
        await press(pilot, "tab")
        assert screen.active_pane == "articles"
        assert not screen.feed_list.display
        await press(pilot, "enter")
        assert screen.active_pane == "reader"
        await press(pilot, "q")
        assert screen.active_pane == "articles"
        await press(pilot, "h")
        assert screen.active_pane == "feeds"


async def test_mouse_click_opens_article(pilot: Pilot[None]) -> None:
    app = pilot.app
    screen = main_screen(app)
    await pilot.click("#articles", offset=(5, 1))
    await settle(pilot)
    assert screen.reader.article is not None
    assert screen.reader.article.id == screen.article_list.ids[1]


async def test_a_big_list_shows_its_first_page_and_full_count_before_the_rest(
    make_app: Callable[..., BlogtuiApp], store: Store, monkeypatch
) -> None:
    import threading

    from blogtui.core.models import EntryData
    from blogtui.ui.widgets.articles_pane import FIRST_PAGE

    feed, _ = store.add_feed("https://big.example/feed/", "Big")
    count = FIRST_PAGE * 2 + 50
    entries = [
        EntryData(key=f"k{n}", title=f"Eintrag {n}", published=1_700_000_000.0 + n)
        for n in range(count)
    ]
    store.upsert_articles(feed.id, entries)
    release = threading.Event()
    real_ids = Store.article_ids

    def held_ids(self, feed_ids=None, *, limit=None, **filters):
        if limit is None and feed_ids == [feed.id]:
            release.wait(10)  # the full list of the big feed waits until the test looks
        return real_ids(self, feed_ids, limit=limit, **filters)

    monkeypatch.setattr(Store, "article_ids", held_ids)
    app = make_app()
    async with running(app) as pilot:
        screen = main_screen(app)
        screen.feed_list.select_key(f"feed:{feed.id}")
        for _ in range(100):
            await pilot.pause(0.02)
            if len(screen.article_list.ids) == FIRST_PAGE:
                break
        status = str(screen.query_one("#list-status").render())
        assert len(screen.article_list.ids) == FIRST_PAGE
        assert status == f"Big · {count}"
        assert screen.article_list.cursor_row.title == f"Eintrag {count - 1}"
        for key in ("l", "j", "j"):  # not press(): settling would wait for the held worker
            await pilot.press(key)
            await pilot.pause()
        release.set()
        await settle(pilot)
        assert len(screen.article_list.ids) == count
        assert screen.article_list.cursor_row.title == f"Eintrag {count - 3}"
        assert str(screen.query_one("#list-status").render()) == f"Big · {count}"


async def test_first_frame_shows_the_empty_panes_then_the_main_screen(
    make_app: Callable[..., BlogtuiApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        start = app.screen_stack[0]
        panes = list(start.query(".start-pane"))
        assert [pane.border_title for pane in panes] == ["Feeds", "Articles", "Reader"]
        assert "Loading" in str(panes[0].render())
        await settle(pilot)
        assert app.main_opened
        assert main_screen(app).article_list.ids  # the real panes, on top of the empty ones
