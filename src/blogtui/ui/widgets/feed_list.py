"""The feeds pane's behaviour: the feed list owns the feeds.

It loads them with their counts and the number of starred articles (offering the welcome screen
when there are none; again whenever another connection, the CLI, cron or the article list's
writer, changed the store), and adds, removes and renames them in its own workers (marking
read is the article list's: ui/widgets/article_list.py). The screen hears `Subscribed` (refresh
the new feed) and `Rewritten` (list the articles again).
What a line shows is feed_tree.FeedTree's (and feed_labels').
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.binding import BindingType
from textual.message import Message
from textual.worker import Worker

from blogtui.core.models import Feed
from blogtui.ui import messages
from blogtui.ui.display import display
from blogtui.ui.keys import FEED_LIST_BINDINGS
from blogtui.ui.widgets.feed_labels import ERROR_MARKER, FeedEntry, feed_label, group_label
from blogtui.ui.widgets.feed_tree import FeedTree
from blogtui.ui.widgets.read_marks import StarredShown, starred_count

if TYPE_CHECKING:
    from blogtui.core.feeds.discover import Discovered
    from blogtui.ui.context import AppContext

__all__ = ["ERROR_MARKER", "FeedEntry", "FeedList", "feed_label", "group_label"]

DATA_POLL = 2.0
"""Seconds between two looks at whether another program (the CLI, cron) changed the store."""


class FeedList(FeedTree):
    """Feeds grouped by folder, each with its unread count."""

    BINDINGS: ClassVar[list[BindingType]] = [*FEED_LIST_BINDINGS]

    @dataclass
    class Subscribed(Message):
        """A new feed was subscribed to (it wants a refresh)."""

        feed: Feed

    class Rewritten(Message):
        """Feeds were changed or removed: the article list must be read again."""

    @dataclass
    class StarredCounted(Message):
        """How many articles are starred now (the "Starred" line's count)."""

        count: int

    def __init__(self, context: AppContext, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.context = context
        self._welcomed = False
        self._data_version = 0
        self._starred = StarredShown(0, 0)
        """The store's starred count last read, and the article list's stars not yet written."""

    # -- loading -----------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._data_version = self.context.store.data_version()
        self.set_interval(DATA_POLL, self._poll_data_version)
        self.count_starred()

    def _poll_data_version(self) -> None:
        """Another connection committed (a refresh or send by the CLI or cron, or a worker of
        ours): read the feeds again; the article list follows if their counts changed."""
        version = self.context.store.data_version()
        if version != self._data_version:
            self._data_version = version
            self.load(relist_if_changed=True)

    @work(thread=True, exclusive=True, exit_on_error=False, group="feeds")
    def load(self, relist_if_changed: bool = False) -> None:
        """Read the feed list (with counts, the starred one too) from the store."""
        feeds = self.context.store.list_feeds()
        self.post_message(messages.FeedsLoaded(feeds, relist_if_changed=relist_if_changed))
        self._post_starred_count()

    @work(thread=True, exclusive=True, exit_on_error=False, group="starred-count")
    def count_starred(self) -> None:
        """Count the starred articles; the "Starred" line shows it (with the article list's
        stars not yet written: `follow_starred`)."""
        self._post_starred_count()

    def _post_starred_count(self) -> None:
        """(On a worker's thread.) Count the starred articles (the starred index's size)."""
        self.post_message(self.StarredCounted(starred_count(self.context.store)))

    @on(StarredCounted)
    def _starred_counted(self, message: StarredCounted) -> None:
        message.stop()
        self.follow_starred(StarredShown(self._starred.pending, message.count))

    def follow_starred(self, shown: StarredShown) -> None:
        """Show the store's starred count (`shown.stored`; None: the last one read) changed by
        the article list's stars not yet written: a star shows in the count when its key comes
        (the article list publishes this, ArticleList.starred_shown)."""
        stored = self._starred.stored if shown.stored is None else shown.stored
        self._starred = StarredShown(shown.pending, stored)
        self.show_starred(max(0, (stored or 0) + shown.pending))

    @on(messages.FeedsLoaded)
    def _feeds_loaded(self, message: messages.FeedsLoaded) -> None:
        message.stop()
        changed = message.feeds != self.feeds
        self.show_feeds(message.feeds)
        if message.relist or (message.relist_if_changed and changed):
            self.post_message(self.Rewritten())
        if not message.feeds and not self._welcomed and not self.context.store.account_states():
            self._welcomed = True
            from blogtui.ui.screens.welcome import WelcomeScreen

            self.app.push_screen(WelcomeScreen(), self._welcome_closed)

    def _welcome_closed(self, add_feed: bool | None) -> None:
        if add_feed:
            self.add_feed()

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if (failed := messages.worker_failed(event, self.context.places.database)) is not None:
            self.post_message(failed)

    def feed_or_warn(self) -> Feed | None:
        """The feed under the cursor; without one, say so."""
        feed = self.current_feed
        if feed is None:
            self.notify("Put the cursor on a feed first.", severity="warning", markup=False)
        return feed

    # -- add, remove, rename, details, mark read --------------------------------------------

    def add_feed(self) -> None:
        """Ask for a URL, find its feed, subscribe and fetch it."""
        from blogtui.ui.screens.feed_dialogs import AddFeedScreen

        def added(found: Discovered | None) -> None:
            if found is not None:
                self._subscribe(found)

        self.app.push_screen(AddFeedScreen(self.context.make_client), added)

    @work(thread=True, exit_on_error=False, group="feeds-write")
    def _subscribe(self, found: Discovered) -> None:
        store = self.context.store
        feed, created = store.add_feed(
            found.feed_url, found.title, found.site_url, login=found.login
        )
        self.post_message(messages.FeedAdded(feed, created))

    @on(messages.FeedAdded)
    def _feed_added(self, message: messages.FeedAdded) -> None:
        message.stop()
        title = display(message.feed.display_title, limit=100)
        if not message.created:
            self.notify(f"Already subscribed to {title}.", markup=False)
        else:
            self.notify(f"Subscribed to {title}.", markup=False)
            self.post_message(self.Subscribed(message.feed))
        self.show_feeds([*self.feeds, message.feed])
        self.select_key(f"feed:{message.feed.id}")
        self.load()

    def remove_feed(self) -> None:
        """Unsubscribe from the feed under the cursor, after confirming."""
        from blogtui.ui.screens.dialogs import ConfirmScreen

        feed = self.feed_or_warn()
        if feed is None:
            return
        question = f"Remove {feed.display_title} and its {feed.total} articles?\n{feed.url}"

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(self.context.store.remove_feed, feed.id)

        self.app.push_screen(ConfirmScreen("Remove feed", question, yes="Remove"), answered)

    def rename_feed(self) -> None:
        """Give the feed under the cursor a title of your own (empty restores its own)."""
        from blogtui.ui.screens.dialogs import PromptScreen

        feed = self.feed_or_warn()
        if feed is None:
            return

        def renamed(title: str | None) -> None:
            if title is not None:
                self._write(self.context.store.rename_feed, feed.id, title)

        prompt = PromptScreen("Rename feed", display(feed.display_title), "its own title")
        self.app.push_screen(prompt, renamed)

    def show_details(self) -> None:
        """Show the fetch state of the feed under the cursor, its last error included."""
        from blogtui.ui.screens.feed_dialogs import FeedDetailsScreen

        feed = self.feed_or_warn()
        if feed is not None:
            login = feed.id in self.context.store.login_feed_ids()
            self.app.push_screen(FeedDetailsScreen(feed, login=login))

    async def action_undo_mark_read(self) -> None:
        """Undo the last mark-all-read: the screen's `U` (the article list writes marks in the
        order they were made)."""
        await self.run_action("screen.undo_mark_read")

    def action_accounts(self) -> None:
        """Show the sync accounts (add, remove); the feed list is read again after a change."""
        from blogtui.ui.screens.accounts import AccountsScreen

        def closed(changed: bool | None) -> None:
            if changed:
                self.load(relist_if_changed=True)

        self.app.push_screen(AccountsScreen(self.context), closed)

    @work(thread=True, exit_on_error=False, group="feeds-write")
    def _write(self, change: Callable[..., object], *args: object) -> None:
        """Run one store change, then reload the feeds (and with them the article list)."""
        change(*args)
        self.post_message(messages.FeedsLoaded(self.context.store.list_feeds(), relist=True))
        self._post_starred_count()  # a removed feed's starred articles went with it
