"""Terminal escapes, controls, invisible characters and markup in every field, end to end.

Each data file is served on 127.0.0.1, refreshed into the store, and shown in the app: feed
title, article title, author, link, body, and a comment thread (author and body) carrying the
same payload. The full redraw of the screen must carry nothing but Textual's own sequences, and
clicking anywhere must do nothing.
"""

from __future__ import annotations

import pytest
from feedserver import FeedServer, Response
from hostile_support import (
    assert_clean,
    assert_terminal_safe,
    case_names,
    comment_feed,
    config,
    load_case,
    refresh,
    screen_dump,
)
from support.app import running, settle
from textual.pilot import OutOfBounds, Pilot

from blogtui.core.paths import Places
from blogtui.core.store import Store
from blogtui.ui.app import build_app
from blogtui.ui.screens.main import MainScreen

CASES = case_names("terminal_") + case_names("markup_")


def assert_no_links_or_actions(app: object) -> None:
    """No painted cell of the reader carries a hyperlink or a click action from the feed."""
    screen = app.screen  # type: ignore[attr-defined]
    for selector in ("#feeds", "#articles", "#reader"):
        widget = screen.query_one(selector)
        for y in range(widget.size.height):
            for segment in widget.render_line(y):
                style = segment.style
                if style is None:
                    continue
                assert not style.link, f"a hyperlink in {selector}: {style.link!r}"
                click = (style.meta or {}).get("@click")
                assert click is None or "quit" not in str(click), f"{selector}: {click!r}"


async def click(pilot: Pilot[None], selector: str, offset: tuple[int, int]) -> None:
    """Click at `offset` in the widget, when that spot is on screen."""
    try:
        await pilot.click(selector, offset=offset)
    except OutOfBounds:
        pass


MARKERS = ("Feedname", "Artikel", "Autorin", "Inhalt", "Kommentator", "Kommentar")


@pytest.mark.parametrize("name", CASES)
async def test_every_field_reaches_the_screen_harmless(
    name: str, feed_server: FeedServer, store: Store, home: Places, opened_urls: list[str]
) -> None:
    case = load_case(name)
    feed_server.route("/feed", case.response(feed_server.url("")))
    feed, _ = store.add_feed(feed_server.url("/feed"))
    summary = await refresh(store, [feed])
    assert summary.failed == 0, summary.outcomes
    [article_id] = store.article_ids()
    article = store.get_article(article_id)
    assert article is not None and article.title.startswith("Artikel")
    feed_server.route("/comments", Response(200, comment_feed(article.title[8:])))

    app = build_app(home, config=config(), store=store)
    async with running(app, (200, 50)) as pilot:
        await pilot.press("tab")
        await pilot.press("enter")
        await settle(pilot)
        plain, raw = screen_dump(app)
        for marker in MARKERS:
            assert marker in plain, f"{marker} missing from the screen:\n{plain}"
        assert_terminal_safe(raw)
        assert_clean(plain, "the screen")
        assert "PWN" not in raw or "\x1b]" not in raw
        assert_no_links_or_actions(app)
        if name.startswith("markup_"):
            for selector in ("#feeds", "#articles", "#reader-header", "#reader-body", "#thread"):
                await click(pilot, selector, (12, 0))
            for column in range(0, 60, 8):
                await click(pilot, "#reader-header", (column, 0))
        await pilot.press("i")  # feed details: title and URL as text
        await settle(pilot)
        plain, raw = screen_dump(app)
        assert_terminal_safe(raw)
        assert_clean(plain, "feed details")
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, MainScreen)
    assert opened_urls == []
    assert app.return_code in (None, 0)
