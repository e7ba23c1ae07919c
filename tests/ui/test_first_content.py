"""Right after the first frame the start panes show the feeds with their counts and the newest
rows; the main screen then starts from those rows (no blank list in between)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from support.app import main_screen, running

from blogtui.core.config import Config
from blogtui.core.store import Store
from blogtui.ui.app import BlogtuiApp
from blogtui.ui.first_content import FirstContent


async def test_the_start_panes_show_feeds_with_counts_and_the_newest_rows(
    make_app: Callable[..., BlogtuiApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[list[str]] = []
    push = BlogtuiApp.push_main

    def record(app: BlogtuiApp, first: FirstContent | None) -> None:
        panes = app.screen.query(".start-pane")
        shown.append([str(pane.render()) for pane in panes])  # what the terminal shows now
        push(app, first)

    monkeypatch.setattr(BlogtuiApp, "push_main", record)
    app = make_app()
    async with running(app):
        rows = list(main_screen(app).article_list.ids)
    feeds, articles, reader = shown[0]
    assert "All articles" in feeds and "43" in feeds  # the unread total
    plain = next(line for line in feeds.splitlines() if "Plain Blog" in line)
    assert plain.rstrip().endswith("40"), plain  # its count, at the line's end
    assert "All articles · 43" in articles
    newest = articles.splitlines()[1]
    assert "Grüße aus dem „Süden“" in newest and "2023-11-14" in newest, newest
    assert reader == ""
    assert rows  # the main screen lists them too


async def test_the_main_screen_starts_from_the_feeds_already_read(
    make_app: Callable[..., BlogtuiApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[int] = []
    list_feeds = Store.list_feeds

    def counted(store: Store) -> Any:
        reads.append(1)
        return list_feeds(store)

    monkeypatch.setattr(Store, "list_feeds", counted)
    app = make_app()
    async with running(app):
        screen = main_screen(app)
        assert screen.article_list.ids and screen.feed_list.feeds
        assert len(reads) == 1  # read once, for the start panes


async def test_without_feeds_the_start_panes_keep_loading_and_the_welcome_opens(
    empty_app: BlogtuiApp,
) -> None:
    async with running(empty_app):
        assert type(empty_app.screen).__name__ == "WelcomeScreen"


async def test_the_start_rows_follow_the_configured_sort(
    make_app: Callable[..., BlogtuiApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    push = BlogtuiApp.push_main

    def record(app: BlogtuiApp, first: FirstContent | None) -> None:
        shown.append(str(list(app.screen.query(".start-pane"))[1].render()))
        push(app, first)

    monkeypatch.setattr(BlogtuiApp, "push_main", record)
    app = make_app(config=Config(sort="title"))
    async with running(app):
        rows = main_screen(app).article_list.ids
        assert rows
    first_row = shown[0].splitlines()[1]
    assert "Süden" not in first_row and first_row.startswith("●  [/]"), first_row  # by title
