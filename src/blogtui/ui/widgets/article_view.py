"""The reader pane: an article's header, its body as text with numbered links, then comments.

The body is a `TextView`: drawn line by line and wrapped off the event loop, so a huge article
never stalls the UI. The pane itself scrolls (header, body and the thread slot below them).
"""

from __future__ import annotations

import time
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Static

from blogtui.core.models import Article, Comment, ThreadState
from blogtui.core.text.html import RenderedText
from blogtui.ui.display import display_text
from blogtui.ui.keys import READER_BINDINGS, THREAD_BINDINGS
from blogtui.ui.widgets.comment_thread import CommentThread
from blogtui.ui.widgets.text_view import TextView

COMMENTS_SLOT_ID = "comments-slot"
"""The container below the body where the comment thread widget is mounted."""


def format_date(timestamp: float | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """A timestamp in local time, or "" when unknown."""
    if timestamp is None:
        return ""
    try:
        return time.strftime(pattern, time.localtime(timestamp))
    except (OverflowError, OSError, ValueError):
        return ""


def article_header(article: Article) -> Text:
    """Title, then feed · author · date, then the link; all sanitised, never markup."""
    header = display_text(article.title or "(untitled)", "bold", limit=500)
    details = [
        part
        for part in (article.feed_title, article.author, format_date(article.published))
        if part
    ]
    if details:
        header.append("\n")
        header.append_text(display_text(" · ".join(details), "dim", limit=300))
    if article.link:
        header.append("\n")
        header.append_text(display_text(article.link, "underline", limit=500))
    return header


class ReaderThread(CommentThread):
    """The comment thread under the article; `r` asks the screen to refresh it."""

    BINDINGS: ClassVar[list[BindingType]] = list(THREAD_BINDINGS)

    class RefreshRequested(Message):
        """The user asked for a fresh copy of the thread (key r)."""

    def action_refresh_thread(self) -> None:
        """Ask the screen to fetch the thread again."""
        self.post_message(self.RefreshRequested())


class ArticleView(VerticalScroll):
    """Shows one article and its comment thread; `links` holds the article's numbered links
    ([1] is links[0]).

    The thread sits below the body in a slot as tall as the pane (it scrolls itself), so
    scrolling to the end of the article shows a full pane of comments. With the
    `-thread-only` class the header and body are hidden and the thread fills the pane.
    """

    BINDINGS = READER_BINDINGS

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id, classes="-no-thread")
        self.article: Article | None = None
        """The article shown (or loading)."""
        self.links: list[str] = []
        """Its links, numbered from 1."""

    def compose(self) -> ComposeResult:
        yield Static(Text("No article open. Pick one and press enter."), id="reader-header")
        yield TextView(id="reader-body")
        with Vertical(id=COMMENTS_SLOT_ID):
            yield Static("", id="thread-status")
            yield ReaderThread(id="thread")

    @property
    def comments_slot(self) -> Vertical:
        """Where the comment thread widget goes."""
        return self.query_one(f"#{COMMENTS_SLOT_ID}", Vertical)

    @property
    def body(self) -> TextView:
        """The article's text."""
        return self.query_one("#reader-body", TextView)

    @property
    def thread(self) -> ReaderThread:
        """The comment thread widget."""
        return self.query_one("#thread", ReaderThread)

    @property
    def thread_only(self) -> bool:
        """True when the thread fills the pane (header and body hidden)."""
        return self.has_class("-thread-only")

    def set_thread_only(self, only: bool) -> None:
        """Show the thread alone (True) or below the article (False)."""
        self.set_class(only, "-thread-only")
        if only:
            self.scroll_home(animate=False, immediate=True)

    def show_thread(
        self,
        comments: list[Comment],
        state: ThreadState,
        *,
        post_author: str = "",
        keep_position: bool = False,
    ) -> None:
        """Show the open article's thread (see `CommentThread.set_thread`)."""
        self.remove_class("-no-thread")
        self.thread.set_thread(
            comments, state, post_author=post_author, keep_position=keep_position
        )

    def set_thread_status(self, text: str) -> None:
        """The line above the thread (our own words, never markup)."""
        self.query_one("#thread-status", Static).update(Text(text, style="bold"))

    def _on_descendant_focus(self, event: events.DescendantFocus) -> None:
        in_thread = event.widget is self.thread
        self.set_class(in_thread, "-in-thread")  # one scrollbar shows: the focused part's
        if in_thread and not self.thread_only:
            self.scroll_to_widget(self.comments_slot, top=True, animate=False, immediate=True)

    def _on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if event.widget is self.thread:
            self.remove_class("-in-thread")

    def show_loading(self, title: str) -> None:
        """Show `title` and "Loading…" while the body renders in a worker."""
        self.article = None
        self.links = []
        self.query_one("#reader-header", Static).update(display_text(title, "bold", limit=500))
        self.body.add_class("-placeholder")
        self.body.set_text("Loading…")
        self.add_class("-no-thread")

    def show_article(
        self, article: Article, rendered: RenderedText, *, keep_position: bool = False
    ) -> None:
        """Show `article`, scrolled to the top (with `keep_position`, where the view was).

        `rendered.text` must already have passed `display(..., multiline=True)` (in the worker
        that rendered it, as the text can be long).
        """
        self.article = article
        self.links = list(rendered.links)
        self.query_one("#reader-header", Static).update(article_header(article))
        self.body.remove_class("-placeholder")
        self.body.set_text(rendered.text or "(no content)", keep_position=keep_position)
        if not keep_position:
            self.scroll_home(animate=False)
