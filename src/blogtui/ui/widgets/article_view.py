"""The reader pane: an article's header, its body as text with numbered links, then comments.

The reader owns reading: `open` renders an article in a worker (the article list marks it read,
in order with the marking keys: ArticleList.mark_opened), then shows its stored comment thread
at once while a worker refreshes it from the blog; the result
replaces it in place (cursor and scroll kept). A failed refresh keeps the stored thread; the
thread shows why as a notice. `source` is the comment source shown ("" the blog's own thread;
`S` switches, see SourceDesk; an article opens on its own). The screen hears `RowChanged`.

The body is a `TextView`: drawn line by line and wrapped off the event loop, so a huge article
never stalls the UI. The pane itself scrolls (header, body and the thread slot below them).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import urlsplit

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import Worker

from blogtui.core.comments.marks import ThreadMarks
from blogtui.core.models import Article, Comment, ThreadState
from blogtui.core.text.html import RenderedText, html_to_text
from blogtui.ui import messages
from blogtui.ui.display import display, display_text, format_date
from blogtui.ui.keys import MAIN_BINDINGS, READER_BINDINGS, THREAD_BINDINGS
from blogtui.ui.widgets.comment_navigation import COMMENT_BINDINGS
from blogtui.ui.widgets.comment_thread import CommentThread
from blogtui.ui.widgets.reader_thread import ReaderThread, loaded_status, thread_status
from blogtui.ui.widgets.scroll_memory import ScrollMemory
from blogtui.ui.widgets.source_desk import SourceDesk
from blogtui.ui.widgets.text_view import TextView
from blogtui.ui.widgets.thread_fetch import fetch_for_reader, shown_thread

if TYPE_CHECKING:
    from blogtui.ui.context import AppContext

COMMENTS_SLOT_ID = "comments-slot"
"""The container below the body where the comment thread widget is mounted."""


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


THREAD_ONLY_TITLE = "comments only · {key} shows the article"
"""The reader's border title while `C` (thread only, `key`) is on."""


class ArticleView(VerticalScroll):
    """Shows one article and its comment thread; `links` holds the article's numbered links
    ([1] is links[0]).

    The thread sits below the body in a slot as tall as the pane (it scrolls itself), so
    scrolling to the end of the article shows a full pane of comments. With the
    `-thread-only` class the header and body are hidden and the thread fills the pane.
    """

    BINDINGS: ClassVar[list[BindingType]] = [*READER_BINDINGS]

    @dataclass
    class RowChanged(Message):
        """The article's list row changed: new comments arrived or were seen."""

        article_id: int
        thread_refreshed: bool = False
        """The thread was just fetched from the blog."""

    def __init__(self, context: AppContext, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes="-no-thread")
        self.context = context
        self.article: Article | None = None
        """The article shown (or loading)."""
        self.links: list[str] = []
        """Its links, numbered from 1."""
        self._select: tuple[int, str] | None = None
        """(article id, comment key) to put the thread cursor on once that thread shows."""
        self._secrets_used = False
        """Whether the comment services read with this app's stored keys yet."""
        self.positions = ScrollMemory()
        """Where each recently read article was left."""
        self.source = ""
        """Which comment source of the article is shown ("" the blog's own thread)."""
        self._account = False
        """Replies to the thread shown go out with the user's stored key."""

    def compose(self) -> ComposeResult:
        yield Static(Text("No article open. Pick one and press enter."), id="reader-header")
        yield TextView(id="reader-body")
        with Vertical(id=COMMENTS_SLOT_ID):
            yield Static("", id="thread-status")
            yield ReaderThread(id="thread")
            yield SourceDesk(self.context, id="source-desk")

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
        """Show the thread alone (True) or below the article (False). The mode stays for the
        articles opened next, so the pane's border says so while it is on."""
        self.set_class(only, "-thread-only")
        self.border_title = THREAD_ONLY_TITLE.format(key=self._key("thread-only")) if only else ""
        if only:
            self.scroll_home(animate=False, immediate=True)

    def _key(self, binding_id: str) -> str:
        """The keys of the binding `binding_id` as the user types them now (remaps included)."""
        bindings = [*MAIN_BINDINGS, *COMMENT_BINDINGS, *THREAD_BINDINGS]
        binding = next(b for b in bindings if isinstance(b, Binding) and b.id == binding_id)
        return self.context.key_of(binding)

    def toggle_thread_only(self, focused: Widget | None) -> None:
        """Let the thread fill the pane, or put the article back above it (`focused`: the
        screen's focused widget)."""
        only = not self.thread_only
        self.set_thread_only(only)
        if only:
            self.thread.focus()
        elif focused is self.thread:
            self.scroll_to_widget(self.comments_slot, top=True, animate=False)

    def focus_thread(self) -> bool:
        """Focus the open article's thread; False when no article is open."""
        if self.article is None:
            return False
        self.thread.focus()
        return True

    def step_into_thread(self, step: int, focused: Widget | None) -> bool:
        """tab/l from the article enter its thread, shift+tab/h leave it; True if it moved."""
        if step > 0 and focused is self and self.article is not None:
            self.thread.focus()
            return True
        if step < 0 and focused is self.thread and not self.thread_only:
            self.focus()
            return True
        return False

    def show_thread(
        self,
        comments: list[Comment],
        state: ThreadState,
        *,
        marks: ThreadMarks | None = None,
        keep_position: bool = False,
    ) -> None:
        """Show the open article's thread (see `CommentThread.set_thread`)."""
        self.remove_class("-no-thread")
        self.thread.more_key, self.thread.reply_key = self._key("comments.more"), self._key("reply")
        self.thread.set_thread(comments, state, marks=marks, keep_position=keep_position)

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
        """Show `title` and "Loading…" while the body renders; the article left is remembered
        where it was scrolled to (see ScrollMemory), for its next opening."""
        if self.article is not None and not self.thread_only:
            self.positions.leave(self.article.id, self.scroll_y)
        self.article = None
        self.links = []
        self.query_one("#reader-header", Static).update(display_text(title, "bold", limit=500))
        self.body.add_class("-placeholder")
        self.body.set_text("Loading…")
        self.add_class("-no-thread")

    def show_article(
        self, article: Article, rendered: RenderedText, *, keep_position: bool = False
    ) -> None:
        """Show `article` where it was last left, else at its top (`keep_position`: as it is).

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
            if (y := self.positions.recall(article.id)) and not self.thread_only:
                self.call_after_refresh(self._scroll_back, article.id, y)

    def _scroll_back(self, article_id: int, y: float, tries: int = 40) -> None:
        """Scroll to `y` once the body is wrapped (a long one wraps in a worker)."""
        if self.article is None or self.article.id != article_id:
            return
        if tries and (self.body.wrapping or self.max_scroll_y < y):
            self.set_timer(0.05, partial(self._scroll_back, article_id, y, tries - 1))
        else:
            self.scroll_to(y=y, animate=False, immediate=True)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if (failed := messages.worker_failed(event)) is not None:
            self.post_message(failed)

    # -- opening an article ------------------------------------------------------------------

    def open(self, article_id: int, title: str = "", *, select: str | None = None) -> None:
        """Show "Loading…" (with `title`) and render the article in a worker (marking it read is
        the article list's: ArticleList.mark_opened). `select`: the comment key to put the
        thread cursor on once the thread shows (in the source that holds it). Opening the
        article already shown keeps it on screen (and its scroll position, and its comment
        source) until the fresh rendering replaces it.
        """
        if self.article is None or self.article.id != article_id:
            self.show_loading(title)
            self.source = ""
        if select is not None:
            self._select = (article_id, select)
            self.source = self.context.store.source_holding(article_id, select)
        self._load_article(article_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="article")
    def _load_article(self, article_id: int) -> None:
        store = self.context.store
        article = store.get_article(article_id)
        if article is None:
            self.post_message(messages.WorkFailed("Article gone", "That article no longer exists."))
            return
        rendered = html_to_text(article.content, article.link)
        shown = RenderedText(display(rendered.text, multiline=True), rendered.links)
        self.post_message(messages.ArticleLoaded(article, shown))

    @on(messages.ArticleLoaded)
    def _article_loaded(self, message: messages.ArticleLoaded) -> None:
        message.stop()
        same = self.article is not None and self.article.id == message.article.id
        self.show_article(message.article, message.rendered, keep_position=same)
        self.set_thread_status(thread_status(0, refreshing=True))
        self._fetch_thread(message.article, opening=True, source=self.source)

    # -- its comment thread ------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="thread")
    def _fetch_thread(self, article: Article, opening: bool, source: str = "") -> None:
        """Post the stored thread of `source` (when opening), then fetch, store and post the
        fresh one (`fetch_for_reader`: each source has its own new-since-last-visit marks)."""
        if not self._secrets_used:  # once, before the first read: the keys of this app's places
            from blogtui.core.comments.registry import use_secrets

            use_secrets(self.context.places.secrets_dir)
            self._secrets_used = True
        fetch_for_reader(self.context, article, source, opening, self.post_message)

    @work(thread=True, exit_on_error=False, group="stored-thread")
    def _stored_thread(self, article_id: int, source: str) -> None:
        """Post the stored thread once a reply of ours was added to it (`Store.add_comment`)."""
        store = self.context.store
        comments = store.comments_for(article_id, source)
        state = store.thread_state(article_id, source)
        self.post_message(shown_thread(self.context, article_id, comments, state, True, source))

    def _my_names(self, article: Article) -> tuple[str, str]:
        """The names the user replies under on `article`'s blog and by default."""
        config = self.context.config
        return config.identity_for(urlsplit(article.link).hostname or "").name, config.identity.name

    @on(messages.ThreadLoaded)
    def _thread_loaded(self, message: messages.ThreadLoaded) -> None:
        message.stop()
        article = self.article
        if article is None or article.id != message.article_id or message.source != self.source:
            return  # a late answer for an article (or a source) no longer shown
        self._account = message.account
        self.show_thread(
            message.comments,
            message.state,
            marks=ThreadMarks.for_article(
                message.comments, message.state, article, self._my_names(article)
            ),
            keep_position=message.refreshed,
        )
        self.set_thread_status(loaded_status(message, self._key("thread-source")))
        wanted = self._select
        if wanted is not None and wanted[0] == message.article_id:
            if self.thread.select(wanted[1]):
                self.thread.focus()
            if message.refreshed:
                self._select = None
        if message.refreshed:
            self.post_message(self.RowChanged(message.article_id, thread_refreshed=True))

    @on(ReaderThread.RefreshRequested)
    def _refresh_requested(self, event: ReaderThread.RefreshRequested) -> None:
        event.stop()
        self.refresh_thread()

    def refresh_thread(self) -> bool:
        """Fetch the open article's thread again, keeping the cursor; False: none is open."""
        if self.article is None:
            return False
        count = len(self.thread.thread_layout.entries)
        status = thread_status(count, refreshing=True, provider=self.thread.state.provider,
                               source=self.source, account=self._account)  # fmt: skip
        self.set_thread_status(status)
        self._fetch_thread(self.article, opening=False, source=self.source)
        return True

    # -- its comment sources -----------------------------------------------------------------

    @on(ReaderThread.SourceRequested)
    def _source_requested(self, event: ReaderThread.SourceRequested) -> None:
        event.stop()
        if self.article is not None:
            desk = self.query_one(SourceDesk)
            desk.discussions_key = self._key("thread-discussions")
            desk.request(event.what, self.article, self.source, self._account)

    @on(SourceDesk.SourceChosen)
    def _source_chosen(self, message: SourceDesk.SourceChosen) -> None:
        message.stop()
        if self.article is not None and self.article.id == message.article_id:
            self.switch_source(message.name)

    def switch_source(self, name: str) -> None:
        """Show source `name` ("" the blog's own thread) of the open article in the thread."""
        if self.article is None:
            return
        self.source = name
        self.set_thread_status(thread_status(0, refreshing=True, source=name))
        self._fetch_thread(self.article, opening=True, source=name)

    def show_posted(self, article_id: int, key: str) -> None:
        """Reload the open article's thread from the store, cursor on the reply `key`."""
        if self.article is not None and self.article.id == article_id:
            self._select = (article_id, key)
            self._stored_thread(article_id, self.source)

    # -- seen marks --------------------------------------------------------------------------

    @on(CommentThread.SeenComments)
    def _comments_shown(self, event: CommentThread.SeenComments) -> None:
        event.stop()
        if self.article is not None and event.ids:
            self._mark_seen(self.article.id, list(event.ids))

    @work(thread=True, exit_on_error=False, group="seen")
    def _mark_seen(self, article_id: int, comment_ids: list[int]) -> None:
        self.context.store.mark_seen(comment_ids)
        self.post_message(self.RowChanged(article_id))
