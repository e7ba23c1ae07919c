"""The reader pane: an article's header, its body as text with numbered links, then comments."""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from blogtui.core.models import Article
from blogtui.core.render import RenderedText
from blogtui.ui.display import display_text
from blogtui.ui.keys import READER_BINDINGS

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


class ArticleView(VerticalScroll):
    """Shows one article; `links` holds its numbered links ([1] is links[0])."""

    BINDINGS = READER_BINDINGS

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.article: Article | None = None
        """The article shown (or loading)."""
        self.links: list[str] = []
        """Its links, numbered from 1."""

    def compose(self) -> ComposeResult:
        yield Static(Text("No article open. Pick one and press enter."), id="reader-header")
        yield Static("", id="reader-body")
        # COMMENTS SLOT: the comment thread widget is mounted into this container, below the body.
        yield Vertical(id=COMMENTS_SLOT_ID)

    @property
    def comments_slot(self) -> Vertical:
        """Where the comment thread widget goes."""
        return self.query_one(f"#{COMMENTS_SLOT_ID}", Vertical)

    def show_loading(self, title: str) -> None:
        """Show `title` and "Loading…" while the body renders in a worker."""
        self.article = None
        self.links = []
        self.query_one("#reader-header", Static).update(display_text(title, "bold", limit=500))
        self.query_one("#reader-body", Static).update(Text("Loading…", style="italic"))

    def show_article(self, article: Article, rendered: RenderedText) -> None:
        """Show `article`, scrolled to the top.

        `rendered.text` must already have passed `display(..., multiline=True)` (in the worker
        that rendered it, as the text can be long).
        """
        self.article = article
        self.links = list(rendered.links)
        self.query_one("#reader-header", Static).update(article_header(article))
        body = Text(rendered.text or "(no content)", end="")
        self.query_one("#reader-body", Static).update(body)
        self.scroll_home(animate=False)
