"""A reply whose fate is unknown on a blog that cannot show it (issue 12, item 3), in the TUI:
the toast says it may already be on the blog and when it was sent, the article is offered in
the browser, nothing is posted again by itself (not even on "send now"), and after the user's
"send again" on the drafts screen exactly one more POST goes out.

The blog is a recording stub on 127.0.0.1 (tests/hostile/blogstub.py) with a comment form and
no way to look a comment up; the first POST "stalled" before the app started (the outbox
holds the reply as "unsure").
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hostile.blogstub import Answer, BlogStub, Received, article_page
from support.app import main_screen, press, running, settle, wait_for

from blogtui.core.config import Config, Identity
from blogtui.core.drafts.store import DraftStore
from blogtui.core.models import EntryData
from blogtui.core.paths import Places
from blogtui.core.posting import queue_reply
from blogtui.core.posting.state import ReplyState
from blogtui.core.store import Store
from blogtui.ui.app import build_app
from blogtui.ui.screens.dialogs import ChoiceScreen, ConfirmScreen
from blogtui.ui.screens.drafts_screen import DraftsScreen

ME = Identity("Jörg Müller", "joerg@example.org")
TEXT = "Danke – diese Antwort darf nur einmal ankommen."
SIZE = (120, 40)


@pytest.fixture
def blog() -> Iterator[BlogStub]:
    """Article pages with a comment form; a POST is stored (302 to its #comment)."""

    def answer(request: Received) -> Answer:
        if request.method == "POST":
            return Answer(302, {"Location": f"{stub.base}/post/#comment-901"})
        return Answer(200, {"Content-Type": "text/html; charset=utf-8"}, article_page(stub.base))

    stub = BlogStub(answer)
    yield stub
    stub.close()


def unsure_reply(store: Store, home: Places, blog: BlogStub) -> str:
    """A queued reply whose one POST got no answer (blogtui waits to look for it)."""
    url = blog.url("/post/")
    feed, _ = store.add_feed(blog.url("/feed/"), "Stub")
    store.upsert_articles(feed.id, [EntryData(key=url, title="Ein Beitrag", link=url)])
    drafts = DraftStore(home.drafts_dir)
    draft = drafts.new(blog="stub", article_url=url, article_title="Ein Beitrag",
                       identity=ME, text=TEXT)  # fmt: skip
    queue_reply(store, drafts, draft, store.article_ids_by_link([url])[url])
    store.update_reply(draft.id, state=ReplyState.UNSURE, last_error="timed out", attempts=1,
                       next_attempt=None)  # fmt: skip
    return draft.id


def told(toasts: list[str], text: str) -> bool:
    return any(text in shown for shown in toasts)


def message_of(screen: object) -> str:
    return str(screen.query_one(".dialog-message").render())  # type: ignore[attr-defined]


async def test_the_tui_asks_before_sending_again_and_then_posts_once(
    home: Places, store: Store, blog: BlogStub, client_factory, keep_machine_out: list[str],
    toasts: list[str],
) -> None:  # fmt: skip
    draft_id = unsure_reply(store, home, blog)
    app = build_app(home, config=Config(identity=ME), store=store, client_factory=client_factory)
    async with running(app, SIZE) as pilot:
        # The outbox looks, cannot tell, and asks: the toast and the browser offer say so.
        await wait_for(pilot, lambda: told(toasts, "may already be on the blog"))
        item = store.outbox_item(draft_id)
        assert item is not None and item.state is ReplyState.UNCONFIRMED
        assert told(toasts, "sent ") and told(toasts, "timed out")
        assert told(toasts, "not sent again unless you say so")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        offer = message_of(app.screen)
        assert "may already be on the blog" in offer and blog.url("/post/") in offer
        await press(pilot, "n")
        # Nothing sends it again by itself, not even the user's "send now" of what waits.
        app.outbox.send(now=True)
        await settle(pilot)
        await wait_for(pilot, lambda: not app.outbox.running)
        assert blog.posts() == []
        # The drafts screen shows it; `s` asks first, says when it was sent, offers the article.
        main_screen(app).feed_list.focus()
        await press(pilot, "D")
        drafts = app.screen
        assert isinstance(drafts, DraftsScreen)
        prompt = str(drafts.draft_list.get_option_at_index(0).prompt)
        assert "may already be on the blog" in prompt
        await press(pilot, "s")
        asked = app.screen
        assert isinstance(asked, ChoiceScreen)
        question = message_of(asked)
        assert "may already be on the blog — sent " in question and "send again?" in question
        assert blog.url("/post/") in question
        await pilot.click("#choice-open")
        await wait_for(pilot, lambda: bool(keep_machine_out))
        assert keep_machine_out == [blog.url("/post/")]
        assert isinstance(app.screen, ChoiceScreen) and blog.posts() == []  # asked again
        await pilot.click("#choice-resend")
        await wait_for(pilot, lambda: told(toasts, "Reply posted on"))
        assert len(blog.posts("/wp-comments-post.php")) == 1
        item = store.outbox_item(draft_id)
        assert item is not None and item.state is ReplyState.POSTED
        await settle(pilot)
        assert len(blog.posts()) == 1


async def test_s_sends_a_reply_waiting_for_its_retry_now_once(
    home: Places, store: Store, blog: BlogStub, client_factory, toasts: list[str]
) -> None:
    """The user's "send now" beats the retry timer (the outbox passes include_waiting)."""
    draft_id = unsure_reply(store, home, blog)
    store.update_reply(draft_id, state=ReplyState.QUEUED, last_error="posting too quickly",
                       next_attempt=4_000_000_000.0)  # fmt: skip
    app = build_app(home, config=Config(identity=ME), store=store, client_factory=client_factory)
    async with running(app, SIZE) as pilot:
        assert blog.posts() == []  # the timer's time has not come
        main_screen(app).feed_list.focus()
        await press(pilot, "D", "s")
        await wait_for(pilot, lambda: told(toasts, "Reply posted on"))
        assert told(toasts, "Sending it now")
        assert len(blog.posts()) == 1
