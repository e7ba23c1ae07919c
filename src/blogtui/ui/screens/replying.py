"""Replying from the main screen: `c` answers the post, a comment's ReplyRequested answers it,
`D` lists the drafts; the article list's ✎ marker follows the drafts on disk. A reply sent from
the editor or the drafts screen goes to the outbox (sending.py).

Starting a reply where a draft exists resumes it; the first reply asks who you are. A mixin of
MainScreen, kept apart so each file stays readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from textual import on, work
from textual.message import Message

from blogtui.core.config import Identity
from blogtui.core.models import Article, Comment
from blogtui.core.text.html import html_to_text
from blogtui.ui import messages
from blogtui.ui.widgets.comment_thread import CommentThread

# The reply editor, the drafts screen and core.drafts are imported where they are used: they
# cost start-up time and most sessions never reply.
if TYPE_CHECKING:
    from blogtui.core.drafts.store import Draft, DraftStore
    from blogtui.ui.screens.compose import ReplyTarget
    from blogtui.ui.screens.drafts_screen import DraftChoice
    from blogtui.ui.screens.main import MainScreen
    from blogtui.ui.screens.outbox_text import SendRequest

    _Base = MainScreen
else:
    # A Screen, so Textual's metaclass registers the @on handlers defined here.
    from textual.screen import Screen

    _Base = Screen

EXCERPT_CHARS = 2000
"""How much of a post is shown (and quoted) when replying to the post itself."""


def article_url(article: Article) -> str:
    """What a draft names its article by: its link, else its feed key."""
    return article.link or article.key


def reply_target(article: Article, comment: Comment | None, feed_url: str = "") -> ReplyTarget:
    """The target of a reply to `comment`, or to the post when None."""
    from blogtui.ui.screens.compose import ReplyTarget

    host = urlsplit(article.link).hostname or urlsplit(feed_url).hostname or ""
    common = {
        "blog": host.lower(),
        "article_url": article_url(article),
        "article_title": article.title,
        "article_id": article.id,
    }
    if comment is None:
        body = html_to_text(article.content, article.link).text[:EXCERPT_CHARS]
        return ReplyTarget(
            **common, parent_author=article.author, parent_date=article.published, parent_text=body
        )
    return ReplyTarget(
        **common,
        parent_id=comment.key,
        parent_author=comment.author,
        parent_date=comment.published,
        parent_text=html_to_text(comment.content).text,
    )


@dataclass
class ReplyReady(Message):
    """A reply can start: its target and the draft to resume (None: a new one)."""

    target: ReplyTarget
    draft: Draft | None


@dataclass
class DraftMarks(Message):
    """The articles that have a draft (for the ✎ marker)."""

    article_ids: set[int]


@dataclass
class OpenArticle(Message):
    """Open this article in the reader (from the drafts screen)."""

    article_id: int


class Replying(_Base):
    """Reply, resume and drafts actions of the main screen."""

    @property
    def drafts(self) -> DraftStore:
        """The drafts directory."""
        from blogtui.core.drafts.store import DraftStore

        return DraftStore(self.blogtui.places.drafts_dir)

    # -- starting a reply --------------------------------------------------------------------

    def action_reply(self) -> None:
        """Reply to the post open in the reader, else to the article under the cursor."""
        article = self.reader.article
        if self.active_pane == "reader" and article is not None:
            self._prepare_reply(article.id, None)
        elif self.article_list.cursor_id is not None:
            self._prepare_reply(self.article_list.cursor_id, None)
        else:
            self.notify("Pick an article to reply to first.", severity="warning", markup=False)

    @on(CommentThread.ReplyRequested)
    def _comment_reply(self, event: CommentThread.ReplyRequested) -> None:
        event.stop()
        self._prepare_reply(event.comment.article_id, event.comment)

    @work(thread=True, exclusive=True, exit_on_error=False, group="reply")
    def _prepare_reply(self, article_id: int, comment: Comment | None) -> None:
        """Load the article and look for a draft to resume (file and database work)."""
        from blogtui.core.drafts.store import DraftError

        store = self.blogtui.store
        article = store.get_article(article_id)
        if article is None:
            self.post_message(messages.WorkFailed("Article gone", "That article no longer exists."))
            return
        feed = store.get_feed(article.feed_id)
        target = reply_target(article, comment, feed.url if feed is not None else "")
        try:
            draft = self.drafts.find_for(target.article_url, target.parent_id)
        except DraftError as error:
            self.post_message(messages.WorkFailed(error.title, error.message))
            return
        self.post_message(ReplyReady(target, draft))

    @on(ReplyReady)
    def _reply_ready(self, message: ReplyReady) -> None:
        if message.draft is not None:
            self.open_compose(message.target, message.draft)
            return
        identity = self.blogtui.config.identity_for(message.target.blog)
        if identity.complete:
            self._new_draft(message.target, identity)
            return
        from blogtui.ui.screens.identity import IdentityScreen

        def chosen(identity: Identity | None) -> None:
            if identity is not None:
                self._new_draft(message.target, identity)

        self.app.push_screen(IdentityScreen(identity, message.target.blog), chosen)

    def _new_draft(self, target: ReplyTarget, identity: Identity) -> None:
        draft = self.drafts.new(
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
        """Show the reply editor; the ✎ markers are updated when it closes."""
        from blogtui.ui.screens.compose import ComposeScreen
        from blogtui.ui.screens.outbox_text import SendRequest

        def closed(kept: Draft | SendRequest | None) -> None:
            if isinstance(kept, SendRequest):
                self.queue_draft(kept.draft, kept.article_id)
            elif kept is not None:
                self.notify("Draft kept (D lists drafts).", markup=False)
            self.mark_drafts()

        self.app.push_screen(ComposeScreen(self.drafts, target, draft), closed)

    # -- the drafts screen -------------------------------------------------------------------

    def action_drafts(self) -> None:
        """List every draft."""
        from blogtui.ui.screens.drafts_screen import DraftsScreen

        def chosen(choice: DraftChoice | None) -> None:
            self.mark_drafts()
            if choice is None:
                return
            if choice.action == "send":
                self.queue_draft(choice.draft)
            elif choice.action == "browser":
                why = "Here you can comment on the article's page in the web browser."
                self.offer_browser(choice.draft.article_url, why)
            else:
                self._follow_choice(choice)

        store = self.blogtui.store
        self.app.push_screen(DraftsScreen(self.drafts, lambda: store.outbox()), chosen)

    @work(thread=True, exit_on_error=False, group="reply")
    def _follow_choice(self, choice: DraftChoice) -> None:
        """Find the draft's article (and parent comment) in the store, then act."""
        from blogtui.ui.screens.compose import ReplyTarget

        store = self.blogtui.store
        draft = choice.draft
        article_id = store.article_ids_by_link([draft.article_url]).get(draft.article_url)
        if choice.action == "open":
            if article_id is None:
                text = "The draft's article is not in any subscribed feed any more."
                self.post_message(messages.WorkFailed("Article not found", text))
            else:
                self.post_message(OpenArticle(article_id))
            return
        target = ReplyTarget.of_draft(draft, article_id)
        if article_id is not None:
            comments = store.comments_for(article_id) if draft.parent_id else []
            parent = next((c for c in comments if c.key == draft.parent_id), None)
            article = store.get_article(article_id)
            if article is not None and (parent is not None or not draft.parent_id):
                target = reply_target(article, parent)
        self.post_message(ReplyReady(target, draft))

    @on(OpenArticle)
    def _open_article(self, message: OpenArticle) -> None:
        self.open_article(message.article_id)
        self.focus_pane("reader")

    # -- ✎ markers ---------------------------------------------------------------------------

    @on(messages.ArticlesListed)
    def _relisted(self, message: messages.ArticlesListed) -> None:
        if not message.partial:  # the full list follows
            self.mark_drafts()

    @work(thread=True, exclusive=True, exit_on_error=False, group="draft-marks")
    def mark_drafts(self) -> None:
        """Find the articles with a draft; the list marks them ✎."""
        from blogtui.core.drafts.store import Draft, DraftError

        try:
            listing = self.drafts.list()
        except DraftError:
            return
        urls = [entry.article_url for entry in listing if isinstance(entry, Draft)]
        ids = set(self.blogtui.store.article_ids_by_link(urls).values()) if urls else set()
        self.post_message(DraftMarks(ids))

    @on(DraftMarks)
    def _draft_marks(self, message: DraftMarks) -> None:
        changed = self.article_list.draft_ids ^ message.article_ids
        if changed:
            self.article_list.draft_ids = set(message.article_ids)
            self.article_list.refresh_rows(changed)
