"""Pilot tests of sending replies and watching for answers, against the demo blog on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support.app import main_screen, press, running, settle, wait_for
from textual.pilot import Pilot
from ui_helpers import DemoSite

from blogtui.core.config import Config, Identity
from blogtui.core.drafts.store import Draft, DraftStore
from blogtui.core.feeds.refresh import refresh_sync
from blogtui.core.paths import Places
from blogtui.core.store import Store
from blogtui.demo import DemoBlog
from blogtui.ui.app import BlogtuiApp, build_app
from blogtui.ui.screens.compose import ComposeScreen
from blogtui.ui.screens.dialogs import ConfirmScreen
from blogtui.ui.screens.drafts_screen import DraftsScreen
from blogtui.ui.screens.main import MainScreen
from blogtui.ui.screens.replies_screen import RepliesScreen

SIZE = (120, 40)
ME = Identity("Jörg Müller", "joerg@example.org", "https://joerg.example.org")
OPEN, CLOSED = 34, 12
TEXT = "Schöne Grüße aus Köln – „Anführungszeichen“ & äöü ß."


class Demo(DemoSite):
    """The demo blog, a store subscribed to it, and apps on that store."""

    def __init__(self, blog: DemoBlog, store: Store, home: Places, client_factory) -> None:
        super().__init__(blog, store, home)
        self.client_factory = client_factory

    def app(self, flood_wait: float | None = None) -> BlogtuiApp:
        config = Config(identity=ME, fetch_timeout=10.0)
        return build_app(
            self.home, config=config, store=self.store, client_factory=self.client_factory,
            flood_wait=flood_wait,
        )  # fmt: skip

    def texts(self, post: int) -> list[str]:
        return [str(c["content"]) for c in self.blog.comments(post)]


def serve(home: Places, client_factory, **options: float | bool) -> Iterator[Demo]:
    store = Store(home.database)
    try:
        with DemoBlog(**options) as blog:  # type: ignore[arg-type]
            store.add_feed(blog.feed_url)
            refresh_sync(store, store.list_feeds(), Config())
            yield Demo(blog, store, home, client_factory)
    finally:
        store.close()


@pytest.fixture
def demo(home: Places, client_factory) -> Iterator[Demo]:
    yield from serve(home, client_factory)


@pytest.fixture
def flood_demo(home: Places, client_factory) -> Iterator[Demo]:
    """The demo blog refusing a second comment from one email within four seconds."""
    yield from serve(home, client_factory, flood_seconds=4.0)


def told(toasts: list[str], text: str) -> bool:
    return any(text in shown for shown in toasts)


async def send_reply(pilot: Pilot[None], demo: Demo, post: int, text: str) -> MainScreen:
    """Open `post`, press c, write `text`, ctrl+s and confirm."""
    await settle(pilot)
    screen = main_screen(pilot.app)  # type: ignore[arg-type]
    screen.article_list.set_rows(screen.article_list.ids, keep_cursor_on=demo.article_id(post))
    screen.article_list.focus()
    await press(pilot, "enter")
    screen.article_list.focus()
    await press(pilot, "c")
    compose = pilot.app.screen
    assert isinstance(compose, ComposeScreen), compose
    compose.editor.insert(text)
    await pilot.pause()
    await press(pilot, "ctrl+s")
    dialog = pilot.app.screen
    assert isinstance(dialog, ConfirmScreen), dialog
    shown = str(dialog.query_one(".dialog-message").render())
    assert "Jörg Müller <joerg@example.org>" in shown and "In reply to: the post" in shown
    assert "127.0.0.1" in shown
    await press(pilot, "y")
    assert not isinstance(pilot.app.screen, ComposeScreen)  # a failure may offer the browser
    return screen


def mine_in_thread(screen: MainScreen) -> list[tuple[str, str]]:
    """(key, status) of the open thread's comments marked as the user's."""
    return [(c.key, c.status) for c in screen.reader.thread.comments if c.mine]


async def test_send_from_compose_posts_and_shows_it_as_yours(demo: Demo, toasts: list[str]) -> None:
    app = demo.app()
    async with running(app, SIZE) as pilot:
        screen = await send_reply(pilot, demo, OPEN, TEXT)
        await wait_for(pilot, lambda: told(toasts, "Reply posted on"))
        assert told(toasts, "queued for sending") and told(toasts, "Sending 1 reply")
        stored = [c for c in demo.blog.comments(OPEN) if c["author"] == ME.name]
        assert len(stored) == 1
        assert "„Anführungszeichen“ &amp; äöü ß." in str(stored[0]["content"])
        await wait_for(pilot, lambda: bool(mine_in_thread(screen)))
        assert mine_in_thread(screen) == [(str(stored[0]["id"]), "approved")]
        assert screen.reader.thread.cursor_comment.key == str(stored[0]["id"])  # type: ignore[union-attr]
        assert not [d for d in DraftStore(demo.home.drafts_dir).list() if isinstance(d, Draft)]


async def test_moderation_shows_the_reply_as_held(demo: Demo, toasts: list[str]) -> None:
    demo.blog.moderation = True
    app = demo.app()
    async with running(app, SIZE) as pilot:
        screen = await send_reply(pilot, demo, OPEN, "Bitte freischalten, danke.")
        await wait_for(pilot, lambda: told(toasts, "awaiting moderation"))
        await wait_for(pilot, lambda: bool(mine_in_thread(screen)))
        [(_, status)] = mine_in_thread(screen)
        assert status == "hold"
        assert demo.blog.comments(OPEN)[-1]["status"] == "hold"


async def test_closed_post_says_why_and_offers_the_browser(
    demo: Demo, keep_machine_out: list[str], toasts: list[str]
) -> None:
    app = demo.app()
    async with running(app, SIZE) as pilot:
        await send_reply(pilot, demo, CLOSED, "Zu schade, dass zu ist.")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert told(toasts, "Cannot post the reply to") and told(toasts, "no comment form")
        question = str(app.screen.query_one(".dialog-message").render())
        assert "no comment form" in question and "#comments" in question
        await press(pilot, "y")
        await wait_for(pilot, lambda: bool(keep_machine_out))
        assert keep_machine_out == [demo.blog.post_url(CLOSED) + "#comments"]
        # the draft stays, its outbox state and reason on the drafts screen
        await press(pilot, "D")
        drafts = app.screen
        assert isinstance(drafts, DraftsScreen)
        [item] = drafts.items.values()
        assert item.state == "failed" and "no comment form" in item.last_error
        prompt = str(drafts.draft_list.get_option_at_index(0).prompt)
        assert "outbox: cannot be posted from blogtui" in prompt
        assert "Zu schade, dass zu ist." not in demo.texts(CLOSED)
        assert not any(line.startswith("POST") for line in demo.blog.requests)


async def test_flood_is_queued_then_retried_by_itself(flood_demo: Demo, toasts: list[str]) -> None:
    demo = flood_demo
    app = demo.app(flood_wait=4.5)
    async with running(app, SIZE) as pilot:
        await send_reply(pilot, demo, OPEN, "Erste Antwort.")
        await wait_for(pilot, lambda: told(toasts, "Reply posted on"))
        await send_reply(pilot, demo, OPEN, "Zweite, zu schnell.")
        await wait_for(pilot, lambda: told(toasts, "not sent yet"))
        assert told(toasts, "Retrying at")
        assert "Zweite, zu schnell." not in demo.texts(OPEN)
        await wait_for(pilot, lambda: "Zweite, zu schnell." in demo.texts(OPEN), 12.0)
        texts = demo.texts(OPEN)
        assert texts.count("Erste Antwort.") == 1 and texts.count("Zweite, zu schnell.") == 1


async def test_replies_to_you_are_announced_and_listed(demo: Demo, toasts: list[str]) -> None:
    app = demo.app()
    async with running(app, SIZE) as pilot:
        screen = await send_reply(pilot, demo, OPEN, "Gute Fahrt!")
        await wait_for(pilot, lambda: bool(mine_in_thread(screen)))
        [(key, _)] = mine_in_thread(screen)
        demo.comment(OPEN, "Danke, Jörg – schön gesagt!", parent=int(key))
        screen.action_refresh_thread()
        await wait_for(pilot, lambda: told(toasts, "new reply to you from Zoë Gast"))
        screen.feed_list.focus()
        await press(pilot, "W")
        replies = app.screen
        assert isinstance(replies, RepliesScreen)
        await settle(pilot)
        prompt = str(replies.reply_list.get_option_at_index(0).prompt)
        assert "Zoë Gast" in prompt and "new" in prompt and "Danke, Jörg" in prompt
        assert "Night ride" in prompt
        await press(pilot, "enter")
        assert app.screen is screen
        await wait_for(pilot, lambda: screen.reader.thread.has_focus)
        cursor = screen.reader.thread.cursor_comment
        assert cursor is not None and "Danke, Jörg" in cursor.content
