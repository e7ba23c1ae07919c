"""`c` on a browser-only thread: the draft is copied to the clipboard (OSC 52) only when the user
asks for it in the dialog; with a Disqus access token stored, `c` writes a draft instead."""

from __future__ import annotations

from collections.abc import Callable

from support.app import main_screen, press, running, wait_for
from test_thread_source import DISQUS, status, stored_as

from blogtui.core.drafts.store import DraftStore
from blogtui.core.paths import Places
from blogtui.core.posting.credentials import CredentialStore
from blogtui.core.posting.disqus import TOKEN_ENTRY
from blogtui.ui.app import BlogtuiApp
from blogtui.ui.screens.dialogs import ChoiceScreen

TEXT = "Ein Entwurf, „der bleibt“ – mit Umlauten äöü."


async def test_copy_draft_only_when_asked_then_the_page_is_offered_again(
    make_app: Callable[..., BlogtuiApp], home: Places, keep_machine_out: list[str]
) -> None:
    app = make_app(thread_loader=stored_as("disqus", DISQUS))
    async with running(app) as pilot:
        screen = main_screen(app)
        screen.open_article(screen.article_list.ids[0])
        await wait_for(pilot, lambda: "Disqus" in status(app))
        article = screen.reader.article
        assert article is not None
        DraftStore(home.drafts_dir).new(blog="blog.example.de", article_url=article.link, text=TEXT)
        screen.focus_pane("reader")
        await press(pilot, "c")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        assert app.clipboard == ""  # offered, not done
        first = app.screen
        await pilot.click("#choice-copy")
        await wait_for(pilot, lambda: app.clipboard == TEXT)
        await wait_for(
            pilot, lambda: isinstance(app.screen, ChoiceScreen) and app.screen is not first
        )
        assert keep_machine_out == []
        await press(pilot, "enter")
        await wait_for(pilot, lambda: keep_machine_out == [f"{article.link}#disqus_thread"])


async def test_with_a_disqus_token_c_writes_a_draft(
    make_app: Callable[..., BlogtuiApp], home: Places, keep_machine_out: list[str]
) -> None:
    CredentialStore(home.secrets_dir).set_entry(TOKEN_ENTRY, "disqus", "access-token-1")
    app = make_app(thread_loader=stored_as("disqus", DISQUS))
    async with running(app) as pilot:
        screen = main_screen(app)
        screen.open_article(screen.article_list.ids[0])
        await wait_for(pilot, lambda: "Disqus" in status(app))
        screen.focus_pane("reader")
        await press(pilot, "c")
        await wait_for(
            pilot, lambda: type(app.screen).__name__ in ("ComposeScreen", "IdentityScreen")
        )
        assert keep_machine_out == []
