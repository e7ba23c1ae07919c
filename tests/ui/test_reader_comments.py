"""Pilot tests of the comment thread under the open article, against the demo blog on 127.0.0.1."""

from __future__ import annotations

import asyncio
import html
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from support.app import main_screen, press, running, settle, wait_for
from textual.pilot import Pilot
from ui_helpers import DemoSite

from blogtui.core.comments.loading import load_thread_sync
from blogtui.core.config import Config
from blogtui.core.feeds.refresh import refresh_sync
from blogtui.core.models import Article, CommentData
from blogtui.core.paths import Places
from blogtui.core.store import Store
from blogtui.demo import DemoBlog
from blogtui.ui.app import BlogtuiApp, build_app
from blogtui.ui.context import ThreadLoader
from blogtui.ui.screens.main import MainScreen
from blogtui.ui.widgets.article_view import THREAD_ONLY_TITLE
from blogtui.ui.widgets.reader_thread import ReaderThread

SIZE = (120, 40)
GERMAN_POST = 27
"""The demo post with the 44-comment thread."""
HOSTILE = "[bold red]loud[/] [@click=app.quit]quit[/] \x1b[2J"


class Demo(DemoSite):
    """The demo blog, a store subscribed to it, and the app on that store."""

    def app(self, thread_loader: ThreadLoader | None = None) -> BlogtuiApp:
        config = Config(fetch_timeout=10.0)
        return build_app(self.home, config=config, store=self.store, thread_loader=thread_loader)

    def article(self, post: int) -> Article:
        article = self.store.get_article(self.article_id(post))
        assert article is not None
        return article


@pytest.fixture
def demo(home: Places) -> Iterator[Demo]:
    """The demo blog served on 127.0.0.1, subscribed and refreshed into a fresh store."""
    store = Store(home.database)
    try:
        with DemoBlog() as blog:
            store.add_feed(blog.feed_url)
            refresh_sync(store, store.list_feeds(), Config())
            yield Demo(blog, store, home)
    finally:
        store.close()


async def open_post(pilot: Pilot[None], demo: Demo, post: int) -> MainScreen:
    """Put the list cursor on a demo post and open it with enter."""
    await settle(pilot)
    screen = main_screen(pilot.app)  # type: ignore[arg-type]
    screen.article_list.set_rows(screen.article_list.ids, keep_cursor_on=demo.article_id(post))
    screen.article_list.focus()
    await press(pilot, "enter")
    assert screen.reader.article is not None
    assert screen.reader.article.id == demo.article_id(post)
    return screen


def thread_of(screen: MainScreen) -> ReaderThread:
    return screen.reader.thread


def lines(widget: ReaderThread) -> list[str]:
    """The thread's visible lines as plain text."""
    height = widget.scrollable_content_region.height
    return ["".join(s.text for s in widget.render_line(y)).rstrip() for y in range(height)]


def row_counts(screen: MainScreen, article_id: int) -> tuple[int | None, int]:
    """(comments, new comments) as the article's list row shows them after a redraw."""
    row = screen.article_list.get_row(article_id)
    assert row is not None
    return row.comment_count, row.new_comments


async def test_opening_shows_the_nested_thread_under_the_article(demo: Demo) -> None:
    app = demo.app()
    async with running(app, SIZE) as pilot:
        screen = await open_post(pilot, demo, GERMAN_POST)
        widget = thread_of(screen)
        entries = widget.thread_layout.entries
        assert len(entries) == 44
        reply = next(entry for entry in entries if entry.depth >= 1)
        parent = entries[reply.parent]
        assert parent.comment.key == reply.comment.parent_key
        assert parent.depth == reply.depth - 1
        heading = str(screen.reader.query_one("#thread-status").render())
        assert heading == "Comments via WordPress · 44"
        # The slot is below the body and exactly as tall as the pane's viewport.
        body = screen.reader.query_one("#reader-body")
        assert screen.reader.comments_slot.virtual_region.y >= body.virtual_region.bottom
        assert screen.reader.comments_slot.size.height == screen.reader.scrollable_size.height
        await press(pilot, "tab")  # from the list to the article
        assert screen.focused is screen.reader
        await press(pilot, "tab")  # from the article into its thread
        assert screen.focused is widget
        await press(pilot, "shift+tab")
        assert screen.focused is screen.reader
        await press(pilot, "l")
        assert screen.focused is widget
        first, reply = entries[0], entries[1]
        assert (first.depth, reply.depth, reply.parent) == (0, 1, 0)
        shown = lines(widget)
        first_line = next(line for line in shown if line.startswith(first.comment.author))
        reply_line = next(line for line in shown if f"─{reply.comment.author}" in line)
        assert reply_line.index(reply.comment.author) > first_line.index(first.comment.author)
        assert row_counts(screen, demo.article_id(GERMAN_POST)) == (44, 0)  # first visit


async def test_stored_thread_first_then_refresh_keeps_the_cursor(
    demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = demo.article(GERMAN_POST)
    # an earlier visit stored the thread
    await asyncio.to_thread(load_thread_sync, demo.store, article)
    demo.store.visit_thread(article.id)
    demo.comment(GERMAN_POST, "Neu seit dem letzten Besuch!")
    gate = threading.Event()

    def gated(*args: Any, **kwargs: Any) -> Any:
        assert gate.wait(10)
        return load_thread_sync(*args, **kwargs)

    app = demo.app(thread_loader=gated)
    async with running(app, SIZE) as pilot:
        screen = main_screen(app)
        screen.article_list.set_rows(screen.article_list.ids, keep_cursor_on=article.id)
        screen.article_list.focus()
        await pilot.press("enter")
        for _ in range(20):
            await pilot.pause()
            if thread_of(screen).thread_layout.entries:
                break
        widget = thread_of(screen)
        assert len(widget.thread_layout.entries) == 44  # the stored thread, before the fetch
        assert "refreshing" in str(screen.reader.query_one("#thread-status").render())
        widget.focus()
        for _ in range(6):
            await pilot.press("j")
        chosen = widget.cursor_comment
        assert chosen is not None
        gate.set()
        await settle(pilot)
        assert len(widget.thread_layout.entries) == 45
        assert widget.cursor_comment is not None and widget.cursor_comment.key == chosen.key
        heading = str(screen.reader.query_one("#thread-status").render())
        assert heading == "Comments via WordPress · 45"


async def test_new_comment_shows_new_and_reading_it_marks_it_seen(demo: Demo) -> None:
    app = demo.app()
    async with running(app, SIZE) as pilot:
        screen = await open_post(pilot, demo, GERMAN_POST)
        assert thread_of(screen).new_ids == []  # nothing is new on a first visit
        demo.comment(GERMAN_POST, "Ich war auch da!", parent=0)
        await open_post(pilot, demo, 19)
        await open_post(pilot, demo, GERMAN_POST)
        widget = thread_of(screen)
        assert len(widget.new_ids) == 1
        article_id = demo.article_id(GERMAN_POST)
        assert row_counts(screen, article_id) == (45, 1)
        await press(pilot, "t", "n")  # into the thread, then to the new comment
        assert screen.focused is widget
        assert widget.cursor_comment is not None
        assert widget.cursor_comment.id == widget.new_ids[0]
        assert any("Zoë Gast" in line and " new" in line for line in lines(widget))
        await settle(pilot)
        assert row_counts(screen, article_id) == (45, 0)
        seen = {c.id: c.seen for c in demo.store.comments_for(article_id)}
        assert seen[widget.new_ids[0]]


async def test_capital_c_toggles_thread_only(demo: Demo) -> None:
    app = demo.app()
    async with running(app, SIZE) as pilot:
        screen = await open_post(pilot, demo, GERMAN_POST)
        header = screen.reader.query_one("#reader-header")
        await press(pilot, "C")
        assert screen.reader.thread_only and not header.display
        assert screen.focused is thread_of(screen)
        assert screen.reader.comments_slot.region.y == screen.reader.content_region.y
        await press(pilot, "C")
        assert not screen.reader.thread_only and header.display


def screen_text(app: BlogtuiApp) -> str:
    """What the terminal shows, as plain text."""
    return html.unescape(app.export_screenshot()).replace("\xa0", " ")


async def test_thread_only_stays_for_the_next_article_and_says_so(demo: Demo) -> None:
    app = demo.app()
    async with running(app, SIZE) as pilot:
        screen = await open_post(pilot, demo, GERMAN_POST)
        assert "comments only" not in screen_text(app)
        await press(pilot, "C")
        title = THREAD_ONLY_TITLE.format(key="C")
        assert title in screen_text(app)
        await open_post(pilot, demo, 19)  # the next article: still its thread alone
        assert screen.reader.thread_only
        assert title in screen_text(app)
        screen.reader.focus()
        await press(pilot, "C")
        assert not screen.reader.thread_only and "comments only" not in screen_text(app)


async def test_key_hints_follow_remapped_keys(demo: Demo) -> None:
    demo.comment(GERMAN_POST, "\n\n".join(f"Zeile {n}" for n in range(40)), author="Lang")
    config = Config(fetch_timeout=10.0, keys={"thread-only": "T", "comments.more": "x"})
    app = build_app(demo.home, config=config, store=demo.store)
    async with running(app, SIZE) as pilot:
        screen = await open_post(pilot, demo, GERMAN_POST)
        await press(pilot, "T", "G")  # thread only, the last (long) comment
        assert THREAD_ONLY_TITLE.format(key="T") in screen_text(app)
        shown = " ".join(" ".join(lines(thread_of(screen))).split())
        assert "more lines (x shows all)" in shown
        await press(pilot, "x")
        thread_of(screen).scroll_end(animate=False, immediate=True)
        await settle(pilot)
        assert "Zeile 39" in " ".join(lines(thread_of(screen)))


async def test_r_in_the_thread_refreshes_it(demo: Demo) -> None:
    app = demo.app()
    async with running(app, SIZE) as pilot:
        screen = await open_post(pilot, demo, GERMAN_POST)
        widget = thread_of(screen)
        await press(pilot, "t", "j", "j")
        chosen = widget.cursor_comment
        demo.comment(GERMAN_POST, "Noch ein Kommentar.")
        before = len(demo.blog.requests)
        await press(pilot, "r")
        assert any("/wp-json/" in r for r in demo.blog.requests[before:])
        assert not any("/feed/" == r.split()[1] for r in demo.blog.requests[before:])
        assert len(widget.thread_layout.entries) == 45
        assert widget.cursor_comment == chosen
        assert screen.focused is widget


async def test_server_error_keeps_the_stored_thread_and_shows_a_notice(demo: Demo) -> None:
    article = demo.article(GERMAN_POST)
    await asyncio.to_thread(load_thread_sync, demo.store, article)
    demo.blog.fail_next(count=50, status=500)
    app = demo.app()
    async with running(app, SIZE) as pilot:
        screen = await open_post(pilot, demo, GERMAN_POST)
        widget = thread_of(screen)
        article_id = demo.article_id(GERMAN_POST)
        await wait_for(pilot, lambda: bool(demo.store.thread_state(article_id).error))
        await settle(pilot)
        # Keeping the selection steady may scroll the notice above the view: look at the top.
        widget.scroll_home(animate=False)
        await wait_for(
            pilot, lambda: any(line.startswith("Could not refresh:") for line in lines(widget))
        )
        assert app.is_running
        assert len(widget.thread_layout.entries) == 44
        assert "refresh failed" in str(screen.reader.query_one("#thread-status").render())


async def test_hostile_comment_text_shows_literally(demo: Demo) -> None:
    demo.comment(GERMAN_POST, HOSTILE, author="[b]Mallory[/b]")
    app = demo.app()
    async with running(app, SIZE) as pilot:
        screen = await open_post(pilot, demo, GERMAN_POST)
        await press(pilot, "t", "G")
        assert app.is_running
        shown = " ".join("\n".join(lines(thread_of(screen))).split())  # however it wrapped
        assert "[b]Mallory[/b]" in shown
        assert "[bold red]loud[/] [@click=app.quit]quit[/]" in shown
        assert "\x1b" not in shown


def test_every_thread_binding_has_an_id_and_description() -> None:
    for binding in ReaderThread.BINDINGS:
        assert getattr(binding, "id", None) and getattr(binding, "description", None)


def drawn_vertical_scrollbars(screen: MainScreen) -> set[str]:
    """Which of the reader's parts have a vertical scrollbar on screen now."""
    from textual.scrollbar import ScrollBar

    drawn = set()
    for name, part in (("article", screen.reader), ("thread", screen.reader.thread)):
        region = part.scrollable_content_region.intersection(screen.region)  # on screen
        if not region.width or not region.height:
            continue
        # A vertical scrollbar is drawn right of the content.
        found, _ = screen.get_widget_at(region.right, region.y + region.height // 2)
        if isinstance(found, ScrollBar) and found.vertical and found.parent is part:
            drawn.add(name)
    return drawn


async def test_one_scrollbar_at_a_time_the_focused_parts(demo: Demo) -> None:
    app = demo.app()
    async with running(app, SIZE) as pilot:
        screen = await open_post(pilot, demo, GERMAN_POST)
        await press(pilot, "tab")  # the article has focus: its scrollbar only
        assert screen.focused is screen.reader
        assert drawn_vertical_scrollbars(screen) == {"article"}
        await press(pilot, "t")  # into the thread: the thread's only
        assert screen.focused is screen.reader.thread
        assert drawn_vertical_scrollbars(screen) == {"thread"}
        await press(pilot, "shift+tab")
        assert drawn_vertical_scrollbars(screen) == {"article"}


async def test_a_posted_reply_does_not_make_the_thread_partial(demo: Demo) -> None:
    app = demo.app()
    async with running(app, SIZE) as pilot:
        screen = await open_post(pilot, demo, GERMAN_POST)
        widget = thread_of(screen)
        article_id = demo.article_id(GERMAN_POST)
        assert not widget.state.partial  # WordPress REST gave the whole thread
        # What the outbox does with a sent reply: add it to the thread, mark it mine.
        mine = CommentData("9999", "", "Ich", "<p>Meine Antwort.</p>", published=time.time())
        demo.store.add_comment(article_id, mine)
        demo.store.mark_mine(article_id, "9999")
        screen.reader.show_posted(article_id, "9999")
        await wait_for(pilot, lambda: len(widget.thread_layout.entries) == 45)
        assert widget.cursor_comment is not None and widget.cursor_comment.key == "9999"
        widget.scroll_home(animate=False)
        await settle(pilot)
        shown = " ".join(" ".join(lines(widget)).split())
        assert "Showing the newest" not in shown and "cannot give more" not in shown
        assert not widget.state.partial
