"""The feeds pane: refresh outcome marks, fitted labels, details, mark-all-read and its undo,
changes made by another program, the add dialog's plain-http hint (issue 14, 12, 13)."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from support.app import main_screen, press, running, settle, wait_for
from textual.pilot import Pilot

from blogtui.core.models import EntryData
from blogtui.core.store import Store
from blogtui.ui.app import BlogtuiApp
from blogtui.ui.screens.dialogs import ConfirmScreen
from blogtui.ui.screens.feed_dialogs import AddFeedScreen, FeedDetailsScreen
from blogtui.ui.widgets.refresh_bar import refresh_summary


def screen_line(pilot: Pilot[None], key: str) -> str:
    """The feeds pane's line for `key` as painted."""
    feeds = main_screen(pilot.app).feed_list
    line = feeds.line_of(key)
    assert line is not None, key
    return feeds.render_line(line - int(feeds.scroll_y)).text


async def test_marks_follow_the_outcome_word(
    make_app: Callable[..., BlogtuiApp], store: Store
) -> None:
    later = time.time() + 3600
    repaired, _ = store.add_feed("https://r.example/feed", "Repaired")
    waiting, _ = store.add_feed("https://w.example/feed", "Waiting")
    gone, _ = store.add_feed("https://g.example/feed", "Gone")
    store.record_fetch(repaired.id, status=200, error="malformed: mismatched tag")
    store.record_fetch(waiting.id, status=429, error="HTTP 429", next_fetch=later)
    store.record_fetch(gone.id, status=410, error="HTTP 410 Gone", gone=True)
    async with running(make_app()) as pilot:
        labels = main_screen(pilot.app).feed_list.labels()
        assert labels[f"feed:{repaired.id}"] == "~ Repaired"
        assert labels[f"feed:{waiting.id}"] == "… Waiting"
        assert labels[f"feed:{gone.id}"] == "✗ Gone"
        assert screen_line(pilot, f"feed:{repaired.id}").strip().startswith("~ Repaired")


async def test_long_titles_are_cut_and_counts_stay_right_aligned(
    make_app: Callable[..., BlogtuiApp], store: Store
) -> None:
    feed, _ = store.add_feed("https://long.example/feed", "A very long feed title " * 4)
    store.upsert_articles(feed.id, [EntryData(key=f"l{n}", title=f"t{n}") for n in range(12)])
    async with running(make_app()) as pilot:
        line = screen_line(pilot, f"feed:{feed.id}").rstrip()
        plain = screen_line(pilot, "all").rstrip()
        assert line.endswith("… 12"), line
        assert plain.endswith(" 55") and "All articles" in plain
        assert len(line) == len(plain)  # both counts end in the pane's last column


async def test_i_shows_outcome_encoding_login_and_gone_hint(
    make_app: Callable[..., BlogtuiApp], store: Store
) -> None:
    feed, _ = store.add_feed("https://user:secret@locked.example/feed", "Locked")
    store.record_fetch(feed.id, status=410, error="HTTP 410 Gone", gone=True, encoding="utf-8")
    async with running(make_app()) as pilot:
        main_screen(pilot.app).feed_list.select_key(f"feed:{feed.id}")
        await press(pilot, "i")
        dialog = pilot.app.screen
        assert isinstance(dialog, FeedDetailsScreen)
        text = str(dialog.query_one("#feed-details").render())
        assert "Last refresh: gone: the server says this feed no longer exists" in text
        assert "Encoding: utf-8" in text
        assert "Login: kept in the credential store" in text
        assert "remove it with d" in text
        assert "secret" not in text


async def test_A_on_all_articles_asks_and_U_undoes(pilot: Pilot[None], store: Store) -> None:
    screen = main_screen(pilot.app)
    unread = len(store.article_ids(unread_only=True))
    await press(pilot, "A")
    assert isinstance(pilot.app.screen, ConfirmScreen)
    await press(pilot, "y")
    assert store.article_ids(unread_only=True) == []
    assert screen.feed_list.labels()["all"] == "All articles"
    await press(pilot, "U")
    assert len(store.article_ids(unread_only=True)) == unread
    assert screen.feed_list.labels()["all"] == f"All articles {unread}"


async def test_A_answered_no_marks_nothing(pilot: Pilot[None], store: Store) -> None:
    unread = len(store.article_ids(unread_only=True))
    await press(pilot, "A")
    await press(pilot, "n")
    main_screen(pilot.app)
    assert len(store.article_ids(unread_only=True)) == unread


async def test_a_change_by_another_program_shows_without_a_key(
    pilot: Pilot[None], store: Store
) -> None:
    screen = main_screen(pilot.app)
    other = Store(store.path)  # the CLI or cron: another connection
    try:
        feed, _ = other.add_feed("https://cron.example/feed", "From cron")
        other.upsert_articles(feed.id, [EntryData(key="c1", title="Cron article")])
    finally:
        other.close()
    await wait_for(pilot, lambda: f"feed:{feed.id}" in screen.feed_list.labels(), 10)
    assert screen.feed_list.labels()["all"] == "All articles 44"
    await wait_for(pilot, lambda: len(screen.article_list.ids) == 44, 10)


async def test_add_without_scheme_suggests_plain_http(pilot: Pilot[None], blog_site: str) -> None:
    await press(pilot, "a")
    dialog = pilot.app.screen
    assert isinstance(dialog, AddFeedScreen)
    await pilot.press(*blog_site.removeprefix("http://"))
    await pilot.press("enter")
    status = dialog.query_one("#prompt-error")
    await wait_for(pilot, lambda: "try http://" in str(status.render()))
    assert f"try {blog_site}" in str(status.render())
    await settle(pilot)


def test_refresh_summary_uses_the_outcome_words() -> None:
    from blogtui.core.feeds.outcome import FeedOutcome, summarize

    gone = summarize([FeedOutcome(1, "u", 410, error="HTTP 410", gone=True)])
    assert refresh_summary(gone).startswith("0 new article(s); 1 gone, 0 failed")
    assert "i on a marked feed" in refresh_summary(gone)
    fine = summarize([FeedOutcome(1, "u", 200, new_articles=2)])
    assert refresh_summary(fine) == "2 new article(s); 1 ok, 0 failed"


async def test_damage_found_by_a_worker_is_named(
    make_app: Callable[..., BlogtuiApp],
    store: Store,
    toasts: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sqlite3

    async with running(make_app()) as pilot:
        screen = main_screen(pilot.app)

        def broken(self: Store) -> list[object]:
            raise sqlite3.DatabaseError("database disk image is malformed")

        monkeypatch.setattr(Store, "list_feeds", broken)
        screen.feed_list.load()
        await wait_for(pilot, lambda: any("is damaged" in shown for shown in toasts), 10)
        shown = next(text for text in toasts if "is damaged" in text)
        assert str(store.path) in shown and "start it again" in shown
        assert not any("DatabaseError" in text for text in toasts)
