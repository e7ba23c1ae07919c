"""The reader's body (TextView): wrapping, long articles off the event loop, scroll position;
thread keys in the keymap and help; a blog without comments; no test leaves 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from support.app import main_screen, press, running, settle, wait_for
from textual.pilot import Pilot

from blogtui.core.comments.loading import ThreadResult
from blogtui.core.config import Config
from blogtui.core.models import Article, EntryData, ThreadState
from blogtui.core.paths import Places
from blogtui.core.store import Store
from blogtui.ui.app import BlogtuiApp
from blogtui.ui.screens.dialogs import ConfirmScreen
from blogtui.ui.screens.main import MainScreen
from blogtui.ui.widgets.comment_layout import (
    NO_COMMENTS_OFFERED,
    no_comments_found,
    notices,
    offers_no_comments,
)
from blogtui.ui.widgets.reader_thread import thread_status
from blogtui.ui.widgets.text_view import SYNC_CHARS, wrap_line, wrap_text

SIZE = (120, 36)
PARAGRAPHS = 4000
"""A long article: well over SYNC_CHARS, so it is wrapped in a worker."""
NO_THREAD = (
    "no comments found: the article names no comment feed and its page shows no known"
    " comment system"
)


def add_long_article(store: Store) -> int:
    """A feed with one article of PARAGRAPHS numbered paragraphs; returns the article id."""
    feed, _ = store.add_feed("https://long.example/feed", "Long Blog")
    body = "".join(
        f"<p>Absatz {n}: Grüße aus Köln, hier steht recht viel Text, damit die Zeile umbricht"
        f" und der Leser etwas zu tun hat.</p>"
        for n in range(PARAGRAPHS)
    )
    assert len(body) > SYNC_CHARS
    store.upsert_articles(
        feed.id,
        [EntryData(key="long", title="Sehr lang", link="https://long.example/1", content=body)],
    )
    return store.article_ids([feed.id])[0]


async def open_article(pilot: Pilot[None], article_id: int) -> MainScreen:
    """Put the list cursor on `article_id`, open it, wait until its body is wrapped."""
    await settle(pilot)
    screen = main_screen(pilot.app)  # type: ignore[arg-type]
    screen.article_list.set_rows(screen.article_list.ids, keep_cursor_on=article_id)
    screen.article_list.focus()
    await press(pilot, "enter")
    assert screen.reader.article is not None and screen.reader.article.id == article_id
    await wait_for(pilot, lambda: not screen.reader.body.wrapping)
    return screen


def top_body_line(screen: MainScreen) -> str:
    """The body line at the top of the reader's view."""
    body = screen.reader.body
    return body.lines[round(screen.reader.scroll_y) - body.virtual_region.y]


# -- wrapping ------------------------------------------------------------------------------


def test_wrap_keeps_indentation_and_chops_long_words() -> None:
    assert wrap_line("    eins zwei drei vier", 14) == ["    eins zwei", "    drei vier"]
    assert wrap_line("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]
    wide = wrap_line("日本語のテキスト 日本語", 8)
    assert all(len(line) * 2 <= 8 for line in wide)
    assert "".join(wide).replace(" ", "") == "日本語のテキスト日本語"


def test_wrap_text_maps_lines_to_paragraphs() -> None:
    wrapped = wrap_text("kurz\n\n" + "lang " * 20 + "\nende", 20)
    assert wrapped.lines[:2] == ["kurz", ""]
    assert wrapped.anchor(3) == (2, 1)
    assert wrapped.line_of(3, 0) == len(wrapped.lines) - 1
    assert wrapped.lines[-1] == "ende"
    cancelled = wrap_text("a\n" * 10_000, 20, cancelled=lambda: True)
    assert not cancelled.complete and not cancelled.lines


# -- the reader ------------------------------------------------------------------------------


async def test_long_article_is_wrapped_in_a_worker_and_scrolls(
    make_app: Callable[..., BlogtuiApp], store: Store
) -> None:
    article_id = add_long_article(store)
    app = make_app()
    async with running(app, SIZE) as pilot:
        screen = await open_article(pilot, article_id)
        body = screen.reader.body
        assert len(body.lines) > PARAGRAPHS
        assert body.lines[0].startswith("Absatz 0:")
        assert any(line.startswith(f"Absatz {PARAGRAPHS - 1}:") for line in body.lines)
        width = body.size.width
        assert all(len(line) <= width for line in body.lines[:200])
        screen.reader.focus()
        await press(pilot, "space")
        assert screen.reader.scroll_y > 0
        await press(pilot, "G")  # the thread slot, below the last line of the body
        assert screen.reader.scroll_y >= body.virtual_region.bottom - 1
        await press(pilot, "g")
        assert screen.reader.scroll_y == 0


async def test_resize_rewraps_and_keeps_the_paragraph_on_top(
    make_app: Callable[..., BlogtuiApp], store: Store
) -> None:
    article_id = add_long_article(store)
    app = make_app()
    async with running(app, SIZE) as pilot:
        screen = await open_article(pilot, article_id)
        body = screen.reader.body
        screen.reader.scroll_to(y=body.virtual_region.y + 2000, animate=False, immediate=True)
        await settle(pilot)
        before = top_body_line(screen).split(":")[0]
        old_width = body.size.width
        await pilot.resize_terminal(160, 36)
        await wait_for(pilot, lambda: body.size.width != old_width and not body.wrapping)
        assert all(len(line) <= body.size.width for line in body.lines[:100])
        assert top_body_line(screen).split(":")[0] == before


async def test_reopening_the_same_article_keeps_the_scroll_position(
    make_app: Callable[..., BlogtuiApp], store: Store
) -> None:
    article_id = add_long_article(store)
    app = make_app()
    async with running(app, SIZE) as pilot:
        screen = await open_article(pilot, article_id)
        screen.reader.scroll_to(y=500, animate=False, immediate=True)
        await settle(pilot)
        before = top_body_line(screen)
        screen.open_article(article_id)
        await settle(pilot)
        assert screen.reader.article is not None and screen.reader.article.id == article_id
        assert top_body_line(screen) == before


async def test_body_is_never_markup(
    make_app: Callable[..., BlogtuiApp], store: Store, feed_ids: dict[str, int]
) -> None:
    app = make_app()
    async with running(app, SIZE) as pilot:
        article_id = store.article_ids([feed_ids["german"]])[0]
        screen = await open_article(pilot, article_id)
        assert screen.reader.body.lines[0].startswith("Schöne Grüße! [Link][1]")
        assert screen.reader.links[0] == "https://blog.example.de/x"
        screen = await open_article(pilot, store.article_ids([feed_ids["hostile"]])[0])
        text = "\n".join(screen.reader.body.lines)
        assert "clipboard" in text and "\x1b" not in text and "\x07" not in text


# -- thread keys -------------------------------------------------------------------------------


async def test_thread_keys_are_remappable_and_in_help(
    make_app: Callable[..., BlogtuiApp], toasts: list[str]
) -> None:
    keys = {"comments.next_sibling": "ctrl+j", "thread-refresh": "F5"}
    app = make_app(Config(keys=keys))
    async with running(app, SIZE):
        ids = {binding.id for binding in app.all_bindings()}
        assert {"thread-refresh", "comments.next", "comments.reply", "comments.toggle"} <= ids
        assert not any("Unknown key binding" in shown for shown in toasts)
        sections = dict(app.help_sections())
        thread = dict((description, key) for key, description in sections["Comment thread"])
        assert thread["Refresh comments"] == "F5"
        assert thread["Next sibling"] == "^j"
        assert thread["Fold/unfold replies"] == "space"


# -- a blog without comments -------------------------------------------------------------------


def test_no_comments_found_is_not_an_error() -> None:
    assert no_comments_found(NO_THREAD)
    assert not no_comments_found(NO_THREAD + " (the server answered HTTP 500)")
    assert not no_comments_found("WordPress REST API: the server answered HTTP 500")
    for error in (NO_THREAD, NO_THREAD + " (the article page: HTTP 404)"):
        assert offers_no_comments(ThreadState(1, error=error), 0)
        assert not offers_no_comments(ThreadState(1, error=error), 2)  # stored ones still show
        assert notices(ThreadState(1, error=error), 0)[0] == NO_COMMENTS_OFFERED
    assert not offers_no_comments(ThreadState(1, error="HTTP 500"), 0)
    assert thread_status(0) == "Comments (0)"
    assert thread_status(0, offered=False) == "Comments: none on this blog"


def no_thread_loader(error: str) -> Callable[..., ThreadResult]:
    """A thread loader that finds no comment source, as core says it with `error`."""

    def load(store: Store, article: Article, **_: object) -> ThreadResult:
        store.record_thread_error(article.id, "", error)
        return ThreadResult(article.id, "", [], error=error)

    return load


def thread_text(screen: MainScreen) -> str:
    thread = screen.reader.thread
    height = thread.scrollable_content_region.height
    lines = ("".join(s.text for s in thread.render_line(y)) for y in range(height))
    return " ".join(" ".join(lines).split())  # the words, wherever the pane wrapped them


@pytest.mark.parametrize("page", ["", " (the article page: the server answered HTTP 404)"])
async def test_blog_without_comments_says_so_and_c_offers_the_browser(
    make_app: Callable[..., BlogtuiApp],
    store: Store,
    feed_ids: dict[str, int],
    home: Places,
    keep_machine_out: list[str],
    page: str,
) -> None:
    app = make_app(thread_loader=no_thread_loader(NO_THREAD + page))
    async with running(app, SIZE) as pilot:
        article_id = store.article_ids([feed_ids["german"]])[-1]
        screen = await open_article(pilot, article_id)
        shown = thread_text(screen)
        assert shown.startswith(NO_COMMENTS_OFFERED)
        assert "No comments yet" not in shown and "Could not refresh" not in shown
        assert ("HTTP 404" in shown) == bool(page)
        status = str(screen.reader.query_one("#thread-status").render())
        assert status == "Comments: none on this blog"
        places = (screen.reader, screen.reader.thread, screen.article_list)
        for focus in places:  # the article, its (empty) thread, the article's row
            focus.focus()
            await press(pilot, "c")
            dialog = app.screen
            assert isinstance(dialog, ConfirmScreen), dialog
            assert "offers no comments" in dialog.message
            assert "/aepfel#comments" in dialog.message
            await press(pilot, "y")
            assert isinstance(app.screen, MainScreen)
        await wait_for(pilot, lambda: len(keep_machine_out) == len(places))
        assert keep_machine_out == ["https://blog.example.de/aepfel#comments"] * len(places)
        assert not home.drafts_dir.exists() or not any(home.drafts_dir.iterdir())  # no draft


# -- no network --------------------------------------------------------------------------------


async def test_test_apps_never_leave_loopback(
    make_app: Callable[..., BlogtuiApp],
    store: Store,
    feed_ids: dict[str, int],
    client_factory: Callable[[], httpx.AsyncClient],
) -> None:
    app = make_app()
    async with running(app, SIZE) as pilot:
        article_id = store.article_ids([feed_ids["german"]])[-1]
        await open_article(pilot, article_id)
        await settle(pilot)
    state = store.thread_state(article_id)
    assert "UI tests may only reach 127.0.0.1" in state.error
    with pytest.raises(httpx.ConnectError, match="refused 'example.org'"):
        async with client_factory() as client:
            await client.get("https://example.org/")
    async with httpx.AsyncClient() as client:  # any client: the transport itself refuses
        with pytest.raises(httpx.ConnectError, match="UI tests may only reach"):
            await client.get("https://example.org/")


async def test_loopback_servers_still_answer(
    blog_site: str, client_factory: Callable[[], httpx.AsyncClient]
) -> None:
    async with client_factory() as client:
        response = await client.get(f"{blog_site}/feed.xml")
    assert response.status_code == 200
