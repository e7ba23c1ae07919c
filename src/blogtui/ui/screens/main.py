"""The three-pane main screen: feeds | articles | reader. It starts workers and owns state.

Workers run in threads, call the store or the core, and only post messages (ui/messages.py);
the handlers here change the widgets. Below 100 columns only the active pane shows and the
same keys (tab/shift-tab, h/l, q) move between panes.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, ProgressBar, Static, Tree
from textual.worker import Worker, WorkerState, get_current_worker

from blogtui.ui import messages
from blogtui.ui.collector import keep_out_of_collector
from blogtui.ui.display import display
from blogtui.ui.keys import MAIN_BINDINGS
from blogtui.ui.screens.feed_actions import FeedActions
from blogtui.ui.screens.reading import Reading
from blogtui.ui.screens.replying import Replying
from blogtui.ui.screens.sending import Sending
from blogtui.ui.screens.thread import Threads
from blogtui.ui.styles import screen_stylesheets
from blogtui.ui.widgets.article_list import ArticleList
from blogtui.ui.widgets.article_view import ArticleView
from blogtui.ui.widgets.feed_list import FeedEntry, FeedList

if TYPE_CHECKING:
    from blogtui.ui.app import BlogtuiApp

PANE_IDS = ("feeds", "articles", "reader")
"""The panes in tab order."""
PANE_CONTAINERS = {"feeds": "feeds", "articles": "articles-pane", "reader": "reader"}
"""Each pane's outermost widget id (the one narrow layouts show or hide)."""
INDEX_DELAY = 2.0
"""Seconds after start before articles that refreshes left unindexed are indexed for search."""
FIRST_PAGE = 200
"""Rows of a big article list shown before the whole list is read (the list opens at once)."""
PAINT_WAIT = 0.5
"""Longest wait (seconds) for the first page to be painted before the full list is read."""


class MainScreen(FeedActions, Reading, Threads, Replying, Sending, Screen[None]):
    """Feeds, the article list and the reader."""

    BINDINGS = MAIN_BINDINGS
    CSS_PATH = screen_stylesheets()
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    feed_list = getters.query_one("#feeds", FeedList)
    article_list = getters.query_one("#articles", ArticleList)
    reader = getters.query_one("#reader", ArticleView)
    filter_input = getters.query_one("#filter", Input)

    def __init__(self) -> None:
        super().__init__()
        self.scope: FeedEntry = FeedEntry("all", None)
        """What the article list shows: all feeds, a folder or one feed."""
        self.unread_only = False
        """Show unread articles only."""
        self.title_filter = ""
        """Show only titles containing this (case-insensitive)."""
        self.search_text = ""
        """When set, the list shows full-text search results over all feeds."""
        self.active_pane = "feeds"
        """The pane with focus; in narrow layouts the only one shown."""
        self._welcomed = False
        self._list_partial = False
        """The article list shows only its first page; the full list is on its way."""
        self._started = False
        """Whether the first full article list has been shown."""

    @property
    def blogtui(self) -> BlogtuiApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        store = self.blogtui.store
        with Horizontal(id="panes"):
            yield FeedList(id="feeds").add_class("pane", "-active")
            with Vertical(id="articles-pane", classes="pane"):
                yield Static("", id="list-status")
                yield Input(placeholder="Filter titles…", id="filter")
                yield ArticleList(store.article_summaries, id="articles")
            yield ArticleView(id="reader").add_class("pane")
        with Horizontal(id="progress-row"):
            yield Static(Text("Refreshing"), id="progress-label")
            yield ProgressBar(id="progress", show_eta=False)
        yield Footer()

    def on_mount(self) -> None:
        self.feed_list.focus()
        self.load_feeds()
        self.list_articles()
        self.set_timer(INDEX_DELAY, self.index_for_search)

    # -- panes ------------------------------------------------------------------------------

    @staticmethod
    def pane_of(widget: Widget | None) -> str | None:
        """The pane `widget` is in, if any."""
        containers = {container: pane for pane, container in PANE_CONTAINERS.items()}
        while widget is not None:
            if widget.id in containers:
                return containers[widget.id]
            widget = widget.parent if isinstance(widget.parent, Widget) else None
        return None

    @on(DescendantFocus)
    def _focus_moved(self, event: DescendantFocus) -> None:
        pane = self.pane_of(event.widget)
        if pane is not None and pane != self.active_pane:
            self.active_pane = pane
            for pane_id, container in PANE_CONTAINERS.items():
                self.query_one(f"#{container}").set_class(pane_id == pane, "-active")

    def focus_pane(self, pane: str) -> None:
        """Focus (and in narrow layouts show) `pane`."""
        target = {"feeds": self.feed_list, "articles": self.article_list, "reader": self.reader}
        target[pane].focus()

    def action_focus_pane(self, step: int) -> None:
        """Move to the next (1) or previous (-1) pane, wrapping around."""
        if self.step_into_thread(step):  # the reader's comment thread is a stop of its own
            return
        index = PANE_IDS.index(self.active_pane)
        self.focus_pane(PANE_IDS[(index + step) % len(PANE_IDS)])

    @property
    def narrow(self) -> bool:
        """True when only one pane shows at a time."""
        return self.has_class("-narrow")

    def action_back_or_quit(self) -> None:
        """Clear a search or filter, else go back a pane (narrow), else quit."""
        if self.search_text or self.title_filter:
            self.search_text = ""
            self.clear_filter()
            self.list_articles(keep_cursor_on=self.article_list.cursor_id)
        elif self.narrow and self.active_pane != "feeds":
            self.action_focus_pane(-1)
        else:
            self.app.exit()

    # -- feeds ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="feeds")
    def load_feeds(self) -> None:
        """Read the feed list (with counts) from the store."""
        self.post_message(messages.FeedsLoaded(self.blogtui.store.list_feeds()))

    @on(messages.FeedsLoaded)
    def _feeds_loaded(self, message: messages.FeedsLoaded) -> None:
        self.feed_list.show_feeds(message.feeds)
        if message.relist:
            self.list_articles(keep_cursor_on=self.article_list.cursor_id)
        if not message.feeds and not self._welcomed:
            self._welcomed = True
            self.app.push_screen("welcome", self._welcome_closed)

    def _welcome_closed(self, add_feed: bool | None) -> None:
        if add_feed:
            self.action_add_feed()

    @on(Tree.NodeHighlighted, "#feeds")
    def _feed_highlighted(self, event: Tree.NodeHighlighted[FeedEntry]) -> None:
        entry = event.node.data
        if entry is not None and entry.key != self.scope.key:
            self.scope = entry
            self.search_text = ""
            self.list_articles()

    @on(Tree.NodeSelected, "#feeds")
    def _feed_selected(self, event: Tree.NodeSelected[FeedEntry]) -> None:
        if event.node.data is not None and not event.node.allow_expand:
            self.focus_pane("articles")

    # -- the article list -------------------------------------------------------------------

    def list_articles(self, keep_cursor_on: int | None = None) -> None:
        """Reload the article list for the current scope, filter and search."""
        self._update_list_status(None)
        self._list_articles(
            self.scope.feed_ids, self.unread_only, self.title_filter, self.search_text,
            keep_cursor_on,
        )  # fmt: skip

    @work(thread=True, exclusive=True, exit_on_error=False, group="list")
    def _list_articles(
        self,
        feed_ids: tuple[int, ...] | None,
        unread_only: bool,
        title_filter: str,
        search_text: str,
        keep_cursor_on: int | None,
    ) -> None:
        store = self.blogtui.store
        worker = get_current_worker()
        if search_text:
            ids = store.search(search_text)
            if unread_only:
                unread = set(store.article_ids(None, unread_only=True))
                ids = [i for i in ids if i in unread]
        else:
            scope = None if feed_ids is None else list(feed_ids)
            if scope == []:
                ids = []
            elif title_filter:
                ids = store.article_ids(scope, unread_only=unread_only)
            else:
                # The first page shows at once; reading (and sorting) every id takes longer.
                first = store.article_ids(scope, unread_only=unread_only, limit=FIRST_PAGE)
                if len(first) < FIRST_PAGE:
                    ids = first
                else:
                    if not worker.is_cancelled and keep_cursor_on in (None, *first):
                        total = store.article_count(scope, unread_only=unread_only)
                        painted = threading.Event()
                        self.post_message(
                            messages.ArticlesListed(first, keep_cursor_on, True, total, painted)
                        )
                        # Sorting every id competes with painting the first page: wait for it.
                        painted.wait(PAINT_WAIT)
                    ids = store.article_ids(scope, unread_only=unread_only)
        if title_filter:
            needle = title_filter.casefold()
            ids = [row.id for row in store.article_summaries(ids) if needle in row.title.casefold()]
        if not worker.is_cancelled:
            self.post_message(messages.ArticlesListed(ids, keep_cursor_on))

    @on(messages.ArticlesListed)
    def _articles_listed(self, message: messages.ArticlesListed) -> None:
        keep_cursor_on = message.keep_cursor_on
        shown = self.article_list.ids
        if (
            self._list_partial
            and not message.partial
            and list(message.ids[: len(shown)]) == list(shown)
        ):
            # The rest of the list the first page came from: the cursor stays where it is now
            # (the user may have moved it); the rows on show were just read.
            keep_cursor_on = self.article_list.cursor_id
        else:
            self.article_list.refresh_rows()
        self._list_partial = message.partial
        self.article_list.set_rows(message.ids, keep_cursor_on=keep_cursor_on)
        if message.painted is not None:
            self.call_after_refresh(message.painted.set)
        self._update_list_status(message.total if message.partial else len(message.ids))
        if not message.partial and not self._started:
            self._started = True
            self.call_after_refresh(keep_out_of_collector)

    def _update_list_status(self, count: int | None) -> None:
        """The line above the list: what it shows and how many."""
        if self.search_text:
            where = f"Search: {display(self.search_text, limit=60)}"
        elif self.scope.feed is not None:
            where = display(self.scope.feed.display_title, limit=60)
        elif self.scope.key.startswith("folder:"):
            where = display(self.scope.key.removeprefix("folder:"), limit=60)
        else:
            where = "All articles"
        parts = [where, "…" if count is None else str(count)]
        if self.unread_only:
            parts.append("unread only")
        if self.title_filter:
            parts.append(f"filter: {display(self.title_filter, limit=40)}")
        self.query_one("#list-status", Static).update(Text(" · ".join(parts)))

    def action_unread_only(self) -> None:
        """Toggle showing unread articles only."""
        self.unread_only = not self.unread_only
        self.list_articles(keep_cursor_on=self.article_list.cursor_id)

    def action_filter(self) -> None:
        """Show the title filter and focus it."""
        self.query_one("#articles-pane").add_class("-filtering")
        self.filter_input.focus()

    def clear_filter(self) -> None:
        """Hide and empty the title filter."""
        self.title_filter = ""
        with self.filter_input.prevent(Input.Changed):
            self.filter_input.value = ""
        self.query_one("#articles-pane").remove_class("-filtering")

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.title_filter = event.value.strip()
        self.list_articles(keep_cursor_on=self.article_list.cursor_id)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        if not self.title_filter:
            self.clear_filter()
        self.article_list.focus()

    def action_search(self) -> None:
        """Ask for words and list the articles of every feed that contain them."""
        from blogtui.ui.screens.dialogs import PromptScreen

        def search(text: object) -> None:
            if isinstance(text, str) and text:
                self.search_text = text
                self.list_articles()
                self.focus_pane("articles")

        self.app.push_screen(PromptScreen("Search all articles", self.search_text), search)

    # -- errors -----------------------------------------------------------------------------

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "refresh" and event.worker.is_finished:
            self.query_one("#progress-row").remove_class("-running")
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            text = getattr(error, "message", None) or f"{type(error).__name__}: {error}"
            self.notify(display(text, limit=500), title="Error", severity="error", markup=False)

    @on(messages.WorkFailed)
    def _work_failed(self, message: messages.WorkFailed) -> None:
        self.notify(
            display(message.message, limit=500),
            title=display(message.title, limit=80),
            severity="error",
            markup=False,
        )
