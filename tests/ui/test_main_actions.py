"""Main-screen actions that belong to the articles pane work from every pane and in the palette
(sort, undo mark-all-read, leaving a search); the palette lists each command once; a refresh that
found a gone feed warns; damage met by a screen's or a service's worker names the database
(issue 14, "Missing")."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest
from support.app import main_screen, press, running, settle, wait_for
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from blogtui.core.feeds.outcome import FeedOutcome, summarize
from blogtui.core.paths import Places
from blogtui.core.store import Store
from blogtui.ui.app import BlogtuiApp
from blogtui.ui.widgets.feed_list import FeedList
from blogtui.ui.widgets.refresh_bar import RefreshBar


def status(pilot: Pilot[None]) -> str:
    return str(main_screen(pilot.app).query_one("#list-status").render())


@pytest.fixture
def severities(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(text, severity) of every notification the test's apps show, in order."""
    shown: list[tuple[str, str]] = []
    notify = BlogtuiApp.notify

    def recording(self: BlogtuiApp, message: str, **options: Any) -> None:
        shown.append((message, options.get("severity", "information")))
        notify(self, message, **options)

    monkeypatch.setattr(BlogtuiApp, "notify", recording)
    return shown


async def test_S_sorts_while_the_feeds_pane_has_focus(pilot: Pilot[None]) -> None:
    screen = main_screen(pilot.app)
    assert isinstance(screen.focused, FeedList)
    await press(pilot, "S")
    assert status(pilot).endswith("by title")
    assert isinstance(screen.focused, FeedList)


async def test_U_undoes_mark_all_read_from_the_reader(pilot: Pilot[None], store: Store) -> None:
    screen = main_screen(pilot.app)
    unread = len(store.article_ids(unread_only=True))
    await press(pilot, "A", "y")
    assert store.article_ids(unread_only=True) == []
    screen.focus_pane("reader")
    await press(pilot, "U")
    assert len(store.article_ids(unread_only=True)) == unread
    assert screen.feed_list.labels()["all"] == f"All articles {unread}"


async def test_escape_leaves_a_search_from_the_feeds_pane(pilot: Pilot[None]) -> None:
    screen = main_screen(pilot.app)
    await press(pilot, "s")
    await pilot.press(*"Birnen")
    await press(pilot, "enter")
    assert len(screen.article_list.ids) == 1
    screen.focus_pane("feeds")
    await press(pilot, "escape")
    assert len(screen.article_list.ids) == 43
    assert status(pilot).startswith("All articles")
    assert isinstance(screen.focused, FeedList)  # the search ends; the focus stays


async def test_the_palette_lists_each_command_once(pilot: Pilot[None]) -> None:
    app = pilot.app
    commands = list(app.get_system_commands(main_screen(app)))
    titles = [command.title for command in commands]
    assert len(titles) == len(set(titles)), titles
    assert "Quit" not in titles and "Keys" not in titles
    assert {"Back/quit", "Help", "Theme"} <= set(titles)
    assert {"Sort", "Undo mark read", "Leave search/filter"} <= set(titles)


async def test_sort_from_the_palette(pilot: Pilot[None]) -> None:
    await press(pilot, "ctrl+p")
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    await pilot.press(*"Sort")
    await wait_for(pilot, lambda: palette.query_one(CommandList).option_count > 0)
    await press(pilot, "enter")
    assert status(pilot).endswith("by title")


async def test_a_refresh_with_a_gone_feed_warns(
    pilot: Pilot[None], store: Store, feed_ids: dict[str, int], severities: list[tuple[str, str]]
) -> None:
    gone = FeedOutcome(
        feed_ids["plain"], "https://plain.example/rss", None, skipped=True, gone=True
    )
    summary = summarize([gone])
    assert summary.failed == 0
    screen = main_screen(pilot.app)
    screen.refresh_bar.post_message(RefreshBar.Finished(summary, store.list_feeds()))
    await settle(pilot)
    done = [severity for text, severity in severities if text.endswith("shows why")]
    assert done == ["warning"], severities


def malformed() -> None:
    raise sqlite3.DatabaseError("database disk image is malformed")


async def test_damage_a_screen_worker_meets_names_the_database(
    pilot: Pilot[None], home: Places, toasts: list[str]
) -> None:
    screen = main_screen(pilot.app)
    screen.run_worker(malformed, thread=True, exit_on_error=False, group="test")
    await wait_for(pilot, lambda: any("is damaged" in t for t in toasts), 10)
    assert any(f"the database {home.database} is damaged" in t for t in toasts), toasts


async def test_damage_a_service_worker_meets_names_the_database(
    pilot: Pilot[None], home: Places, toasts: list[str]
) -> None:
    pilot.app.run_worker(malformed, thread=True, exit_on_error=False, group="watch")
    await wait_for(pilot, lambda: any("is damaged" in t for t in toasts), 10)
    assert any(f"the database {home.database} is damaged" in t for t in toasts), toasts


async def test_escape_in_the_reader_without_a_search_changes_nothing(
    make_app: Callable[..., BlogtuiApp],
) -> None:
    async with running(make_app()) as pilot:
        screen = main_screen(pilot.app)
        screen.focus_pane("reader")
        await press(pilot, "escape")
        assert pilot.app.screen is screen
        assert len(screen.article_list.ids) == 43


async def test_other_screens_keep_textuals_quit_in_the_palette(pilot: Pilot[None]) -> None:
    await press(pilot, "D")  # the drafts screen: no "Back/quit" there
    titles = [command.title for command in pilot.app.get_system_commands(pilot.app.screen)]
    assert len(titles) == len(set(titles)), titles
    assert "Quit" in titles and "Keys" not in titles
