"""Replying: `c` answers the post, a comment's ReplyRequested answers it, `D` lists the drafts.

The reply desk is a widget without looks that the main screen composes: it owns the workers
and the dialogs of starting a reply (resuming the draft that exists, asking who you are on the
first reply), the reply editor and the drafts screen. A reply sent from the editor or the
drafts screen goes to the app's outbox. The screen hears `OpenArticle` and `DraftsChanged`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from textual import on, work
from textual.message import Message
from textual.widget import Widget
from textual.worker import Worker

from blogtui.core.models import Article, Comment
from blogtui.core.text.html import html_to_text
from blogtui.ui import messages
from blogtui.ui.screens.browser_offer import (
    offer_comments,
    offer_reply_page,
    offer_unconfirmed,
)
from blogtui.ui.widgets.comment_layout import NO_REPLY_HERE, offers_no_comments

# The reply editor, the drafts screen and core.drafts are imported where they are used: they
# cost start-up time and most sessions never reply.
if TYPE_CHECKING:
    from blogtui.core.config import Identity
    from blogtui.core.drafts.store import Draft, DraftStore
    from blogtui.ui.context import AppContext
    from blogtui.ui.screens.compose import ReplyTarget
    from blogtui.ui.screens.drafts_screen import DraftChoice
    from blogtui.ui.screens.outbox_text import SendRequest
    from blogtui.ui.services.outbox import OutboxChange

EXCERPT_CHARS = 2000
"""How much of a post is shown (and quoted) when replying to the post itself."""


def article_url(article: Article) -> str:
    """What a draft names its article by: its link, else its feed key."""
    return article.link or article.key


def reply_target(article: Article, comment: Comment | None, feed_url: str = "") -> ReplyTarget:
    """The target of a reply to `comment`, or to the post when None."""
    from blogtui.ui.screens.compose import ReplyTarget

    blog = (urlsplit(article.link).hostname or urlsplit(feed_url).hostname or "").lower()
    url = article_url(article)
    if comment is None:
        body = html_to_text(article.content, article.link).text[:EXCERPT_CHARS]
        return ReplyTarget(
            blog, url, article.title, article.id,
            parent_author=article.author, parent_date=article.published, parent_text=body,
        )  # fmt: skip
    return ReplyTarget(
        blog, url, article.title, article.id,
        parent_id=comment.key, parent_author=comment.author, parent_date=comment.published,
        parent_text=html_to_text(comment.content).text,
    )  # fmt: skip


def browser_reply(
    provider: str, article: Article, comment: Comment | None, comments: list[Comment]
) -> tuple[str, str]:
    """(the page where a reply is written, the service's name) when `provider`'s replies open
    the browser (`reply_mode` "browser"), else ("", ""). A comment with a page of its own is
    answered there; the post on the provider's `reply_page`, else on the thread's first
    comment's page, else on the article's."""
    from blogtui.core.comments.base import Target
    from blogtui.core.comments.registry import PROVIDERS

    found = PROVIDERS.get(provider)
    if found is None or found.reply_mode != "browser":
        return "", ""
    label = found.label or found.name
    if comment is not None and comment.link.startswith(_WEB):
        return comment.link, label
    page = found.reply_page(Target(found.name, ""), article)
    if not page.startswith(_WEB):
        page = next((c.link for c in comments if c.link.startswith(_WEB)), article.link)
    return page, label


_WEB = ("https://", "http://")


def browser_only(label: str, has_draft: bool) -> str:
    """Why `c` offers the browser on a `label` thread; that the draft, if any, is kept."""
    why = f"Replies to {label} comments are written on its own page: blogtui cannot post them."
    if has_draft:
        why += " Your draft is kept: D lists it, to copy its text from."
    return why


class ReplyDesk(Widget):
    """Starts replies, opens the editor and the drafts screen; shows nothing itself."""

    DEFAULT_CSS = "ReplyDesk { display: none; }"

    @dataclass
    class ReplyReady(Message):
        """A reply can start: its target and the draft to resume (None: a new one)."""

        target: ReplyTarget
        draft: Draft | None
        source: str = ""
        """The comment source the reply goes to ("" the blog's own thread)."""
        account: bool = False
        """It is posted as the user's account (a stored key): no name and email to ask."""

    @dataclass
    class OpenArticle(Message):
        """Open this article in the reader (from the drafts screen)."""

        article_id: int

    class DraftsChanged(Message):
        """Drafts may have been added, kept or sent (the ✎ marks need a look)."""

    def __init__(self, context: AppContext, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.context = context

    @property
    def drafts(self) -> DraftStore:
        """The drafts directory."""
        from blogtui.core.drafts.store import DraftStore

        return DraftStore(self.context.places.drafts_dir)

    def on_mount(self) -> None:
        self.context.outbox.changed.subscribe(self, self._outbox_changed)

    def _outbox_changed(self, change: OutboxChange) -> None:
        """A reply that may already be on the blog: its article is offered in the browser, to
        look for it (once a pass; where blogtui cannot post, the main screen offers the
        browser)."""
        if any(report.result.state.needs_browser for report in change.reports):
            return
        for report in change.reports:
            if report.result.state.asks_user and report.article_url:
                if offer_unconfirmed(self, report):
                    return

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if (failed := messages.worker_failed(event)) is not None:
            self.post_message(failed)

    # -- starting a reply --------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="reply")
    def reply_to(self, article_id: int, comment: Comment | None = None, source: str = "") -> None:
        """Reply to `comment` of the article (None: to the post), resuming its draft if any;
        `source`: the comment source shown ("" the blog's own thread), where the reply goes."""
        from blogtui.core.drafts.store import DraftError

        store = self.context.store
        article = store.get_article(article_id)
        if article is None:
            self.post_message(messages.WorkFailed("Article gone", "That article no longer exists."))
            return
        comments = store.comments_for(article_id, source)
        if (
            comment is None
            and not source
            and offers_no_comments(store.thread_state(article_id), len(comments))
        ):
            self.app.call_from_thread(offer_comments, self, article.link, NO_REPLY_HERE)
            return
        feed = store.get_feed(article.feed_id)
        target = reply_target(article, comment, feed.url if feed is not None else "")
        try:
            draft = self.drafts.find_for(target.article_url, target.parent_id, source)
        except DraftError as error:
            self.post_message(messages.WorkFailed(error.title, error.message))
            return
        provider = source or store.thread_state(article_id).provider
        page, label = browser_reply(provider, article, comment, comments)
        account = bool(page) and self._with_account(provider, comments)
        if page and not account:
            why = browser_only(label, draft is not None)
            text = draft.text if draft is not None else ""
            self.app.call_from_thread(offer_reply_page, self, page, why, text)
            return
        self.post_message(self.ReplyReady(target, draft, source, account))

    def _with_account(self, provider: str, comments: list[Comment]) -> bool:
        """The user stored the key that lets blogtui post to this browser-only service."""
        from blogtui.core.posting.select import posts_with_account

        links = [c.link for c in comments]
        return posts_with_account(provider, links, self.context.places.secrets_dir)

    @on(ReplyReady)
    def _reply_ready(self, message: ReplyReady) -> None:
        if message.draft is not None:
            self.open_compose(message.target, message.draft)
            return
        identity = self.context.config.identity_for(message.target.blog)
        if identity.complete or message.account:  # an account posts under its own name
            self._new_draft(message.target, identity, message.source)
            return
        from blogtui.ui.screens.identity import IdentityScreen

        def chosen(identity: Identity | None) -> None:
            if identity is not None:
                self._new_draft(message.target, identity, message.source)

        self.app.push_screen(IdentityScreen(self.context, identity, message.target.blog), chosen)

    def _new_draft(self, target: ReplyTarget, identity: Identity, source: str = "") -> None:
        draft = self.drafts.new(
            source=source,
            blog=target.blog,
            article_url=target.article_url,
            article_title=target.article_title,
            parent_id=target.parent_id,
            parent_author=target.parent_author,
            parent_excerpt=target.parent_text,
            identity=identity,
        )
        self.open_compose(target, draft)

    def open_compose(self, target: ReplyTarget, draft: Draft) -> None:
        """Show the reply editor; the ✎ marks are looked at when it closes."""
        from blogtui.ui.screens.compose import ComposeScreen
        from blogtui.ui.screens.outbox_text import SendRequest

        def closed(kept: Draft | SendRequest | None) -> None:
            if isinstance(kept, SendRequest):
                self.context.outbox.queue(kept.draft, kept.article_id)
            elif kept is not None:
                self.notify("Draft kept (D lists drafts).", markup=False)
            self.post_message(self.DraftsChanged())

        self.app.push_screen(ComposeScreen(self.drafts, target, draft, self.context), closed)

    # -- the drafts screen -------------------------------------------------------------------

    def show_drafts(self) -> None:
        """List every draft."""
        from blogtui.ui.screens.drafts_screen import DraftsScreen

        def chosen(choice: DraftChoice | None) -> None:
            self.post_message(self.DraftsChanged())
            if choice is None:
                return
            if choice.action == "send":
                self.context.outbox.queue(choice.draft)
            elif choice.action == "browser":
                why = "Here you can comment on the article's page in the web browser."
                offer_comments(self, choice.draft.article_url, why)
            else:
                self._follow_choice(choice)

        self.app.push_screen(DraftsScreen(self.drafts, self.context), chosen)

    @work(thread=True, exit_on_error=False, group="reply")
    def _follow_choice(self, choice: DraftChoice) -> None:
        """Find the draft's article (and parent comment) in the store, then act."""
        from blogtui.ui.screens.compose import ReplyTarget

        store = self.context.store
        draft = choice.draft
        article_id = store.article_ids_by_link([draft.article_url]).get(draft.article_url)
        if choice.action == "open":
            if article_id is None:
                text = "The draft's article is not in any subscribed feed any more."
                self.post_message(messages.WorkFailed("Article not found", text))
            else:
                self.post_message(self.OpenArticle(article_id))
            return
        target = ReplyTarget.of_draft(draft, article_id)
        if article_id is not None:
            comments = store.comments_for(article_id, draft.source) if draft.parent_id else []
            parent = next((c for c in comments if c.key == draft.parent_id), None)
            article = store.get_article(article_id)
            if article is not None and (parent is not None or not draft.parent_id):
                target = reply_target(article, parent)
        self.post_message(self.ReplyReady(target, draft))
