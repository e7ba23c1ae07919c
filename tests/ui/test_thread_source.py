"""Where a thread comes from and what a reply does: the heading says it, `c` acts on it, and
the service keys stored with `blogtui comment-key` are the ones the TUI reads with."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support.app import main_screen, press, running, settle, wait_for

from blogtui.core.comments.disqus import KEY_ENTRY, DisqusProvider
from blogtui.core.comments.loading import ThreadResult
from blogtui.core.comments.registry import PROVIDERS
from blogtui.core.drafts.store import DraftStore
from blogtui.core.models import Article, CommentData
from blogtui.core.paths import Places
from blogtui.core.posting.credentials import CredentialStore
from blogtui.core.store import Store
from blogtui.ui.app import BlogtuiApp
from blogtui.ui.screens.compose import ComposeScreen
from blogtui.ui.screens.dialogs import ChoiceScreen, ConfirmScreen
from blogtui.ui.widgets.comment_layout import thread_heading

DISQUS = [
    CommentData("11", "", "Jürgen Weiß", "<p>Grüße!</p>", 1.7e9, link="https://x.example/#c11"),
    CommentData("12", "11", "Ölaf", "<p>Danke „dir“</p>", 1.7e9 + 60),
]


def stored_as(provider: str, comments: list[CommentData]) -> Callable[..., ThreadResult]:
    """A thread loader that "reads" `comments` from `provider` (no network)."""

    def load(store: Store, article: Article, **_: Any) -> ThreadResult:
        store.store_thread(article.id, comments, provider=provider)
        return ThreadResult(article.id, provider, store.comments_for(article.id))

    return load


def status(app: BlogtuiApp) -> str:
    return str(main_screen(app).reader.query_one("#thread-status").render())


def test_the_heading_names_the_source_and_what_a_reply_does() -> None:
    assert thread_heading(34, "disqus") == "Comments via Disqus · 34 · reply opens the browser"
    assert thread_heading(12, "wordpress") == "Comments via WordPress · 12"
    assert thread_heading(3, "blogger") == "Comments via Blogger · 3 · reply opens the browser"
    assert thread_heading(5, "") == "Comments (5)"
    assert thread_heading(0, "", offered=False) == "Comments: none on this blog"


async def test_a_disqus_thread_says_so_above_it(make_app: Callable[..., BlogtuiApp]) -> None:
    app = make_app(thread_loader=stored_as("disqus", DISQUS))
    async with running(app) as pilot:
        screen = main_screen(app)
        screen.open_article(screen.article_list.ids[0])
        await wait_for(pilot, lambda: "Disqus" in status(app))
        await settle(pilot)
        assert status(app) == "Comments via Disqus · 2 · reply opens the browser"


async def test_service_keys_come_from_the_apps_own_places(
    make_app: Callable[..., BlogtuiApp],
    home: Places,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    disqus = PROVIDERS["disqus"]
    assert isinstance(disqus, DisqusProvider)
    monkeypatch.setattr(disqus, "api_key", lambda: "")  # put back after the test
    monkeypatch.setenv("BLOGTUI_HOME", str(tmp_path / "elsewhere"))  # not the app's places
    CredentialStore(home.secrets_dir).set_entry(KEY_ENTRY, "disqus", "öffentlicher-schlüssel")
    app = make_app(thread_loader=stored_as("disqus", DISQUS))
    async with running(app) as pilot:
        screen = main_screen(app)
        screen.open_article(screen.article_list.ids[0])
        await wait_for(pilot, lambda: "Disqus" in status(app))
        assert disqus.api_key() == "öffentlicher-schlüssel"


async def test_c_on_a_disqus_article_offers_its_reply_page_and_keeps_the_draft(
    make_app: Callable[..., BlogtuiApp], home: Places, keep_machine_out: list[str]
) -> None:
    app = make_app(thread_loader=stored_as("disqus", DISQUS))
    async with running(app) as pilot:
        screen = main_screen(app)
        article_id = screen.article_list.ids[0]
        screen.open_article(article_id)
        await wait_for(pilot, lambda: "Disqus" in status(app))
        article = screen.reader.article
        assert article is not None
        drafts = DraftStore(home.drafts_dir)
        text = "Ein Entwurf, „der bleibt“."
        draft = drafts.new(blog="blog.example.de", article_url=article.link, text=text)
        screen.focus_pane("reader")
        await press(pilot, "c")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        dialog = app.screen
        assert isinstance(dialog, ChoiceScreen)  # with a draft: also "Copy draft"
        page = f"{article.link}#disqus_thread"
        assert page in dialog.message and "draft is kept" in dialog.message
        await press(pilot, "enter")  # the first answer: open the page
        await wait_for(pilot, lambda: keep_machine_out == [page])
        assert not isinstance(app.screen, ComposeScreen)
        assert drafts.load(draft.id).text == text


async def test_c_on_a_disqus_comment_offers_the_comments_own_page(
    make_app: Callable[..., BlogtuiApp], keep_machine_out: list[str]
) -> None:
    app = make_app(thread_loader=stored_as("disqus", DISQUS))
    async with running(app) as pilot:
        screen = main_screen(app)
        screen.open_article(screen.article_list.ids[0])
        await wait_for(pilot, lambda: "Disqus" in status(app))
        screen.reader.thread.focus()
        await press(pilot, "c")  # the cursor is on the first comment, which has its own page
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert "https://x.example/#c11" in dialog.message
        assert "draft is kept" not in dialog.message
