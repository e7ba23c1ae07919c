"""Adding a feed (discovery against a server on 127.0.0.1) and refreshing in the background."""

from __future__ import annotations

from collections.abc import Callable

from support.app import main_screen, press, running, wait_for
from textual.pilot import Pilot

from blogtui.core.store import Store
from blogtui.ui.app import BlogtuiApp
from blogtui.ui.screens.feed_dialogs import AddFeedScreen


async def test_a_discovers_and_subscribes(pilot: Pilot[None], store: Store, blog_site: str) -> None:
    app = pilot.app
    await press(pilot, "a")
    assert isinstance(app.screen, AddFeedScreen)
    await pilot.press(*f"{blog_site}/")
    await press(pilot, "enter")
    main_screen(app)
    feed = store.feed_by_url(f"{blog_site}/feed.xml")
    assert feed is not None and feed.title == "Served Blog"


async def test_a_shows_discovery_errors_in_the_dialog(pilot: Pilot[None], blog_site: str) -> None:
    app = pilot.app
    await press(pilot, "a")
    await pilot.press(*f"{blog_site}/missing")
    await press(pilot, "enter")
    assert isinstance(app.screen, AddFeedScreen)
    assert "404" in str(app.screen.query_one("#prompt-error").render())


async def test_R_refreshes_without_moving_the_selection(
    make_app: Callable[..., BlogtuiApp], store: Store, blog_site: str, toasts: list[str]
) -> None:
    store.add_feed(f"{blog_site}/feed.xml", "Served")
    app = make_app()
    async with running(app) as pilot:
        screen = main_screen(app)
        await press(pilot, "l", "j", "j", "enter")
        chosen = screen.article_list.cursor_id
        reading = screen.reader.article
        await press(pilot, "R")
        assert screen.article_list.cursor_id == chosen
        assert screen.reader.article == reading
        assert len(screen.article_list.ids) == 44
        assert any("1 new article" in shown for shown in toasts)
        # the refresh left search indexing for later; the app catches up in the background
        await wait_for(pilot, lambda: store.unindexed_count() == 0)
        query = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?"
        assert store.db.execute(query, ('"grüße vom server"',)).fetchone()[0] == 1
