"""The articles pane: what the list shows (scope, unread only, title filter, search), the list
itself and the status line above it.

The pane owns listing: `list_articles` reads the ids in a thread worker (a big list shows its
first page at once, then the rest), the pane's handler shows them. It also finds the next
unread article (the screen hears `UnreadFound`) and keeps the ✎ marks of articles with a draft.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static
from textual.worker import Worker, get_current_worker

from blogtui.ui import messages
from blogtui.ui.collector import keep_out_of_collector
from blogtui.ui.display import display
from blogtui.ui.keys import ARTICLES_BINDINGS
from blogtui.ui.next_unread import OneAtATime, UnreadSearch, find_unread
from blogtui.ui.widgets.article_list import ArticleList
from blogtui.ui.widgets.feed_labels import STARRED_TITLE
from blogtui.ui.widgets.feed_list import FeedEntry
from blogtui.ui.widgets.read_marks import counts_read, mark_all_question
from blogtui.ui.widgets.starred_read import ask_mark_starred_read

if TYPE_CHECKING:
    from blogtui.ui.context import AppContext
    from blogtui.ui.widgets.feed_tree import FeedTree

FIRST_PAGE = 200
"""Rows of a big article list shown before the whole list is read (the list opens at once)."""
PAINT_WAIT = 0.5
"""Longest wait (seconds) for the first page to be painted before the full list is read."""
SORTS = {"date": "newest first", "title": "by title", "feed": "by feed", "unread": "unread first"}
"""The list's orders (`S` goes round them; config `[general] sort`), as the status line says."""


class ArticlesPane(Vertical):
    """The status line, the title filter and the article list."""

    BINDINGS: ClassVar[list[BindingType]] = [*ARTICLES_BINDINGS]

    article_list = getters.query_one("#articles", ArticleList)
    filter_input = getters.query_one("#filter", Input)

    @dataclass
    class UnreadFound(Message):
        """Where `n`/`N` leads: an article, in feed `feed_id` (-1: the list shown)."""

        article_id: int
        feed_id: int

    @dataclass
    class DraftMarks(Message):
        """The articles that have a draft (for the ✎ marker)."""

        article_ids: set[int]

    def __init__(self, context: AppContext, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.context = context
        self.scope: FeedEntry = FeedEntry("all", None)
        """What the list shows: all feeds, a folder or one feed."""
        self.unread_only = False
        """Show unread articles only."""
        self.title_filter = ""
        """Show only titles containing this (case-insensitive)."""
        self.search_text = ""
        """When set, the list shows full-text search results over all feeds."""
        self.partial = False
        """The list shows only its first page; the full list is on its way."""
        self._asked_on: int | None = None
        """The article under the cursor when the list was last asked for."""
        self.started = False
        """Whether the first full article list has been shown (start-up is over)."""
        self._seeks = OneAtATime(self._seek_unread)  # `n`/`N`: one search after the other
        sort = context.config.sort
        self.sort = sort if sort in SORTS else "date"
        """The list's order (a key of SORTS)."""

    def on_mount(self) -> None:
        wanted = self.context.config.sort
        if wanted not in SORTS:
            known = ", ".join(SORTS)
            self.notify(
                f"config.toml: [general] sort = {display(wanted, limit=40)!r} is not one of "
                f"{known}; the list is sorted by date.",
                severity="warning",
                markup=False,
            )

    def compose(self) -> ComposeResult:
        yield Static("", id="list-status")
        yield Input(placeholder="Filter titles…", id="filter")
        store = self.context.store
        yield ArticleList(store.article_summaries, store=store, id="articles")

    # -- listing -----------------------------------------------------------------------------

    def list_articles(self, keep_cursor_on: int | None = None) -> None:
        """Reload the list for the current scope, filter and search."""
        self._update_status(None)
        self._asked_on = self.article_list.cursor_id
        self._list(
            self.scope.feed_ids, self.unread_only, self.title_filter, self.search_text,
            keep_cursor_on, self.sort, self.scope.starred,
        )  # fmt: skip

    def relist(self) -> None:
        """Reload the list, keeping the cursor on its article."""
        self.list_articles(keep_cursor_on=self.article_list.cursor_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="list")
    def _list(
        self,
        feed_ids: tuple[int, ...] | None,
        unread_only: bool,
        title_filter: str,
        search_text: str,
        keep_cursor_on: int | None,
        order: str = "date",
        starred: bool = False,
    ) -> None:
        store = self.context.store
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
                ids = store.article_ids(
                    scope, unread_only=unread_only, order=order, starred_only=starred
                )
            else:
                # The first page shows at once; reading (and sorting) every id takes longer.
                first = store.article_ids(
                    scope, unread_only=unread_only, limit=FIRST_PAGE, order=order,
                    starred_only=starred,
                )  # fmt: skip
                if len(first) < FIRST_PAGE:
                    ids = first
                else:
                    if not worker.is_cancelled and keep_cursor_on in (None, *first):
                        total = store.article_count(
                            scope, unread_only=unread_only, starred_only=starred
                        )
                        painted = threading.Event()
                        self.post_message(
                            messages.ArticlesListed(first, keep_cursor_on, True, total, painted)
                        )
                        # Sorting every id competes with painting the first page: wait for it.
                        painted.wait(PAINT_WAIT)
                    ids = store.article_ids(
                        scope, unread_only=unread_only, order=order, starred_only=starred
                    )
        if title_filter:
            needle = title_filter.casefold()
            ids = [row.id for row in store.article_summaries(ids) if needle in row.title.casefold()]
        if not worker.is_cancelled:
            self.post_message(messages.ArticlesListed(ids, keep_cursor_on))

    @on(messages.ArticlesListed)
    def _articles_listed(self, message: messages.ArticlesListed) -> None:
        message.stop()
        article_list = self.article_list
        keep_cursor_on = message.keep_cursor_on
        if keep_cursor_on is not None and keep_cursor_on == self._asked_on:
            # "Keep the cursor on its article": on the one under it now (keys came meanwhile).
            keep_cursor_on = article_list.cursor_id
        shown = article_list.ids
        if self.partial and not message.partial and list(message.ids[: len(shown)]) == list(shown):
            # The rest of the list the first page came from: the cursor stays where it is now
            # (the user may have moved it); the rows on show were just read.
            keep_cursor_on = article_list.cursor_id
        else:
            article_list.refresh_rows()
        self.partial = message.partial
        article_list.set_rows(message.ids, keep_cursor_on=keep_cursor_on)
        if message.painted is not None:
            self.call_after_refresh(message.painted.set)
        self._update_status(message.total if message.partial else len(message.ids))
        if not message.partial:
            self.mark_drafts()
            if not self.started:
                self.started = True
                self.call_after_refresh(keep_out_of_collector)

    def _update_status(self, count: int | None) -> None:
        """The line above the list: what it shows and how many."""
        if self.search_text:
            where = f"Search: {display(self.search_text, limit=60)}"
        elif self.scope.feed is not None:
            where = display(self.scope.feed.display_title, limit=60)
        elif self.scope.starred:
            where = STARRED_TITLE
        elif self.scope.key.startswith("folder:"):
            where = display(self.scope.key.removeprefix("folder:"), limit=60)
        else:
            where = "All articles"
        parts = [where, "…" if count is None else str(count)]
        if self.sort != "date" and not self.search_text:
            parts.append(SORTS[self.sort])
        if self.unread_only:
            parts.append("unread only")
        if self.title_filter:
            parts.append(f"filter: {display(self.title_filter, limit=40)}")
        self.query_one("#list-status", Static).update(Text(" · ".join(parts)))

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if (failed := messages.worker_failed(event, self.context.places.database)) is not None:
            self.post_message(failed)
        if event.worker.group == "next-unread" and event.worker.is_finished:
            self._seeks.done()  # after the search's own messages (UnreadFound) were handled

    # -- what the list shows -----------------------------------------------------------------

    def show_scope(self, scope: FeedEntry, keep_cursor_on: int | None = None) -> None:
        """List the articles of `scope` (a search ends)."""
        self.scope = scope
        self.search_text = ""
        self.list_articles(keep_cursor_on)

    def action_sort(self) -> None:
        """Go on to the next order: newest first, by title, by feed, unread first."""
        orders = list(SORTS)
        self.sort = orders[(orders.index(self.sort) + 1) % len(orders)]
        self.notify(f"Sorted {SORTS[self.sort]}.", markup=False)
        self.relist()

    def action_leave_search(self) -> None:
        """Escape: end a search and a title filter (the list of the scope again)."""
        if self.narrowed or self.has_class("-filtering"):
            self.clear_search()
            self.article_list.focus()

    def action_undo_mark_read(self) -> None:
        """Mark the articles the last mark-all-read marked unread again."""
        self.article_list.undo_mark_all_read(self._relist_if_by_read)

    def mark_all_read(self, feed_ids: tuple[int, ...] | None, feed_list: FeedTree) -> None:
        """Mark the articles of `feed_ids` (None: all) read (a folder or all: if asked), at once.
        In "Starred": the starred articles only (asked too)."""
        if self.scope.starred:
            return ask_mark_starred_read(self, self.article_list, self.context.store)

        def mark() -> None:
            if self.article_list.mark_all_read(feed_ids, self._relist_if_by_read):
                feed_list.show_feeds(counts_read(feed_list.feeds, feed_ids))

        if feed_ids is not None and len(feed_ids) == 1:
            return mark()
        from blogtui.ui.screens.dialogs import ConfirmScreen

        question = mark_all_question(feed_list.feeds, feed_ids)
        confirm = ConfirmScreen("Mark all read", question, yes="Mark read")
        self.app.push_screen(confirm, lambda yes: mark() if yes else None)

    def _relist_if_by_read(self) -> None:
        """List again if what shows depends on the read state (the rows repaint anyway)."""
        if self.unread_only or self.sort == "unread":
            self.relist()

    def toggle_unread_only(self) -> None:
        """Show unread articles only, or all again."""
        self.unread_only = not self.unread_only
        self.relist()

    def search(self, text: str) -> None:
        """List the articles of every feed that contain `text`."""
        self.search_text = text
        self.list_articles()

    def ask_search(self) -> None:
        """Ask for words, list the articles of every feed that contain them and focus the list."""
        from blogtui.ui.screens.dialogs import PromptScreen

        def answered(text: str | None) -> None:
            if text:
                self.search(text)
                self.article_list.focus()

        self.app.push_screen(PromptScreen("Search all articles", self.search_text), answered)

    @property
    def narrowed(self) -> bool:
        """Whether a search or a title filter narrows the list."""
        return bool(self.search_text or self.title_filter)

    def clear_search(self) -> None:
        """End a search and a title filter; list the scope again."""
        self.search_text = ""
        self.clear_filter()
        self.relist()

    def show_filter(self) -> None:
        """Show the title filter and focus it."""
        self.add_class("-filtering")
        self.filter_input.focus()

    def clear_filter(self) -> None:
        """Hide and empty the title filter."""
        self.title_filter = ""
        with self.filter_input.prevent(Input.Changed):
            self.filter_input.value = ""
        self.remove_class("-filtering")

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.title_filter = event.value.strip()
        self.relist()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        if not self.title_filter:
            self.clear_filter()
        self.article_list.focus()

    # -- next / previous unread --------------------------------------------------------------

    def find_unread(self, step: int, feed_order: list[int]) -> None:
        """Look for the next (1) or previous (-1) unread article after the cursor, then in the
        feeds after (before) this one in `feed_order`, as the list shows them (marks not yet
        written count); the screen hears `UnreadFound`. A key typed meanwhile goes on from it."""
        self._seeks.ask(step, feed_order)

    def _seek_unread(self, step: int, feed_order: list[int]) -> None:
        ids: list[int] | None = []
        if not self.narrowed:
            # While only the list's first page shows, the worker reads the whole list.
            ids = None if self.partial else list(self.article_list.ids)
        search = UnreadSearch(self.scope.feed_ids, self.scope.starred, self.unread_only, self.sort)
        shown = self.article_list.marks.reads()
        self._find_unread(search, step, ids, self.article_list.cursor, feed_order, shown)

    @work(thread=True, exit_on_error=False, group="next-unread")
    def _find_unread(
        self,
        search: UnreadSearch,
        step: int,
        ids: list[int] | None,
        cursor: int,
        feed_order: list[int],
        shown: dict[int, bool],
    ) -> None:
        found = find_unread(self.context.store, search, step, ids, cursor, feed_order, shown)
        if found is None:
            self.post_message(messages.WorkFailed("No unread articles", "No unread articles."))
            return
        self.post_message(self.UnreadFound(found.article_id, found.feed_id))
        if found.wrapped:
            self.app.call_from_thread(
                self.notify,
                f"Wrapped to the {'first' if step > 0 else 'last'} unread.",
                markup=False,
            )

    @on(UnreadFound)
    def _unread_found(self, message: UnreadFound) -> None:
        """Open it in the list now, before the screen shows it: a key typed next acts on it."""
        self.article_list.mark_opened(message.article_id)
        if message.feed_id < 0:
            self.article_list.set_rows(self.article_list.ids, keep_cursor_on=message.article_id)

    # -- ✎ marks -----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="draft-marks")
    def mark_drafts(self) -> None:
        """Find the articles with a draft; the list marks them ✎."""
        from blogtui.core.drafts.store import Draft, DraftError, DraftStore

        try:
            listing = DraftStore(self.context.places.drafts_dir).list()
        except DraftError:
            return
        urls = [entry.article_url for entry in listing if isinstance(entry, Draft)]
        ids = set(self.context.store.article_ids_by_link(urls).values()) if urls else set()
        self.post_message(self.DraftMarks(ids))

    @on(DraftMarks)
    def _draft_marks(self, message: DraftMarks) -> None:
        changed = self.article_list.draft_ids ^ message.article_ids
        if changed:
            self.article_list.draft_ids = set(message.article_ids)
            self.article_list.refresh_rows(changed)
