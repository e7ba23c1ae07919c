"""The thread's status line names the account a reply goes out as (a GitHub token for giscus
and utterances, the user's Micropub site for Webmentions) and shows the line the source said
about itself on the read just done (GitHub's rate limit, the Webmentions' likes and reposts);
the send confirmation's "From:" names that account instead of an empty name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from support.app import main_screen, running, settle, wait_for

from blogtui.core.comments.github import TOKEN_ENTRY as GITHUB_ENTRY
from blogtui.core.comments.loading import ThreadResult
from blogtui.core.config import Identity
from blogtui.core.drafts.file import Draft
from blogtui.core.drafts.store import DraftStore
from blogtui.core.models import Article, CommentData, ThreadState
from blogtui.core.paths import Places
from blogtui.core.posting.credentials import CredentialStore
from blogtui.core.store import Store
from blogtui.ui.app import BlogtuiApp
from blogtui.ui.messages import ThreadLoaded
from blogtui.ui.screens.dialogs import ConfirmScreen
from blogtui.ui.screens.outbox_text import Account, send_summary
from blogtui.ui.screens.send_confirm import ask_to_send
from blogtui.ui.widgets.comment_layout import thread_heading
from blogtui.ui.widgets.reader_thread import loaded_status
from blogtui.ui.widgets.source_text import reply_words

ISSUE = [
    CommentData("1", "", "Jürgen Weiß", "<p>Grüße aus Köln!</p>", 1.7e9),
    CommentData("2", "", "Ölaf", "<p>Danke „dir“</p>", 1.7e9 + 60),
]
RATE = "GitHub: 58 of 60 requests left this hour"


def read_with_note(provider: str, note: str) -> Callable[..., ThreadResult]:
    """A thread loader that "reads" ISSUE from `provider`, saying `note` about it."""

    def load(store: Store, article: Article, **_: Any) -> ThreadResult:
        store.store_thread(article.id, ISSUE, provider=provider)
        return ThreadResult(article.id, provider, store.comments_for(article.id), note=note)

    return load


def status(app: BlogtuiApp) -> str:
    return str(main_screen(app).reader.query_one("#thread-status").render())


def test_headings_name_the_account_a_reply_goes_out_as() -> None:
    assert thread_heading(2, "utterances", account=True) == (
        "Comments via utterances (GitHub issues) · 2 · reply posts as your GitHub account"
    )
    assert thread_heading(2, "giscus", account=True).endswith("reply posts as your GitHub account")
    assert thread_heading(7, "", source="webmention", account=True).endswith(
        " · 7 · reply is published on your site (Micropub)"
    )


def test_the_status_line_shows_the_reads_note() -> None:
    state = ThreadState(1, provider="webmention")
    note = "Webmentions: 7 likes, 3 reposts"
    loaded = ThreadLoaded(1, [], state, True, "webmention", note=note, sources=1)
    assert (
        loaded_status(loaded)
        == "Webmentions · 0 · Webmentions: 7 likes, 3 reposts · S: 1 more source"
    )
    stored = ThreadLoaded(1, [], state, False, "webmention")  # the note is not stored
    assert "likes" not in loaded_status(stored)


async def test_a_github_thread_shows_the_rate_limit_and_the_account(
    make_app: Callable[..., BlogtuiApp], home: Places
) -> None:
    CredentialStore(home.secrets_dir).set_entry(GITHUB_ENTRY, "", "ghp_geheim")
    app = make_app(thread_loader=read_with_note("utterances", RATE))
    async with running(app) as pilot:
        screen = main_screen(app)
        screen.open_article(screen.article_list.ids[0])
        await wait_for(pilot, lambda: RATE in status(app))
        await settle(pilot)
        assert status(app) == (
            "Comments via utterances (GitHub issues) · 2 · reply posts as your GitHub account"
            f" · {RATE}"
        )


def test_the_send_confirmation_names_the_account() -> None:
    draft = Draft("d1", blog="blog.example", article_url="https://blog.example/a/",
                  article_title="Käse", source="giscus", text="Danke!")  # fmt: skip
    nobody = Identity(name="", email="", website="https://me.example/")
    summary = send_summary(draft, nobody, sender="your GitHub account")
    assert "From: your GitHub account\n" in summary
    assert "me.example" not in summary  # the account's profile, not the typed website
    blog = send_summary(draft, nobody, Account("jw", "Jürgen"), sender="your Disqus account")
    assert "From: your Disqus account\n" in blog


async def test_sending_a_giscus_reply_confirms_it_goes_out_as_the_github_account(
    make_app: Callable[..., BlogtuiApp], home: Places
) -> None:
    CredentialStore(home.secrets_dir).set_entry(GITHUB_ENTRY, "", "ghp_geheim")
    app = make_app()
    async with running(app) as pilot:
        screen = main_screen(app)
        draft = DraftStore(home.drafts_dir).new(blog="blog.example", text="Danke!",
                                                article_url="https://blog.example/a/",
                                                source="giscus")  # fmt: skip
        ask_to_send(screen, screen.context, draft, Identity(), lambda answer: None)
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        shown = str(app.screen.query_one(".dialog-message").render())
        assert "From: your GitHub account\n" in shown


def test_the_details_say_what_a_reply_with_an_account_does() -> None:
    assert reply_words("utterances", "", True, "blog") == "posts as your GitHub account"
    assert reply_words("webmention", "", True, "elsewhere") == (
        "is published on your site (Micropub)"
    )
    assert reply_words("webmention", "", False, "elsewhere") == "written here and sent by blogtui"
